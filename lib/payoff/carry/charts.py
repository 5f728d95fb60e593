"""Plotly figure builders: data in, go.Figure out, the same in the app and the report.

Charts read without an analyst: business names, the currency on every money axis, every bar
labelled, ids as categories (never a numeric axis of store numbers), long lists cut to the top
and "others", money shown as positive costs or earnings rather than negative bars, axis titles,
legends above the plot and margins that fit the labels.

Text from the user (series names, columns, segment values) goes through :func:`text`: plotly
reads a few HTML tags in labels (``<b>``, ``<a href>``), so angle brackets and ampersands are
passed as entities and show literally."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from payoff import formatting
from payoff.carry.tables import component_label
from payoff.evaluate.impact import Impact, ModelMoney
from payoff.framings.base import Direction
from payoff.models.catalogue import AUTO, STATUS_QUO, business_name

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
TODAY, CHOICE = "#7f7f7f", "#1f77b4"
GOOD, BAD = "#2ca02c", "#d62728"
TOP = 15  # bars shown before the rest are summed into "others"
LEGEND_ABOVE = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0}
MARGIN = {"t": 40, "b": 10, "l": 10, "r": 70}  # room on the right for labels outside the bars


def text(value: object) -> str:
    """A user's label as plotly shows it literally."""
    return html.escape(str(value), quote=False)


def money_axis(currency: str, title: str) -> dict[str, object]:
    """A money axis: separators, the currency, a title that does not sit on the ticks."""
    prefix, suffix = (currency, "") if len(currency) == 1 else ("", f" {currency}" if currency else "")
    return {
        "tickformat": ",.0f",
        "tickprefix": prefix,
        "ticksuffix": suffix,
        "separatethousands": True,
        "title": {"text": title, "standoff": 12},
        "automargin": True,
    }


def _label(value: float, currency: str) -> str:
    return formatting.money(value, compact=True, currency=currency)


def _layout(figure: go.Figure, height: int, **extra: object) -> go.Figure:
    figure.update_layout(height=height, margin=MARGIN, legend=LEGEND_ABOVE, **extra)
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


def _ranked(impact: Impact) -> list[ModelMoney]:
    """Priced entries: the status quo first, Payoff's choice next, then by gain."""
    priced = [m for m in impact.models if not m.failed]
    return sorted(priced, key=lambda m: (m.kind != STATUS_QUO, m.kind != AUTO, -(m.gain or 0.0)))


def _name(model: ModelMoney) -> str:
    return "Today" if model.is_status_quo else business_name(model.name)


def _component(component: str, impact: Impact) -> str:
    return component_label(component, impact)


def _signed_parts(impact: Impact, models: list[ModelMoney]) -> list[tuple[str, str, list[float]]]:
    """(label, colour role, positive values per model) for every component: costs and money lost
    as positive amounts lost, earnings as positive amounts earned (no negative bars)."""
    parts = []
    for component in models[0].components if models else []:
        values = [m.components.get(component, 0.0) for m in models]
        if not any(values):
            continue
        if impact.direction is Direction.COST:
            parts.append((_component(component, impact), "cost", [abs(v) for v in values]))
        else:
            earned = sum(values) >= 0
            what = "earned" if earned else "lost"
            parts.append((f"{_component(component, impact)} ({what})", what, [abs(v) for v in values]))
    return parts


def today_vs_choice(impact: Impact) -> go.Figure:
    """The answer in one picture: today's money against Payoff's choice, component by component,
    each bar labelled with its amount."""
    today, choice = impact.model(STATUS_QUO), impact.model(AUTO)
    models = [today, choice]
    figure = go.Figure()
    for name, colour, model_index in (("Today", TODAY, 0), ("Payoff's choice", CHOICE, 1)):
        labels, values = [], []
        for label, _, per_model in _signed_parts(impact, models):
            labels.append(text(label))
            values.append(per_model[model_index])
        figure.add_bar(
            name=name,
            y=labels,
            x=values,
            orientation="h",
            marker_color=colour,
            text=[_label(v, impact.currency) for v in values],
            textposition="auto",
            hovertemplate="%{y}: %{x:,.0f}<extra>" + name + "</extra>",
        )
    title = "cost over the test period" if impact.direction is Direction.COST else "money over the test period"
    figure.update_layout(barmode="group", xaxis=money_axis(impact.currency, title), yaxis={"autorange": "reversed"})
    return _layout(figure, 70 * len(figure.data[0].y) + 80 if figure.data else 220)


def money_by_model(impact: Impact) -> go.Figure:
    """Each option's money, component by component (stacked, positive), today on top."""
    models = _ranked(impact)
    names = [text(_name(m)) for m in models]
    figure = go.Figure()
    for i, (label, role, values) in enumerate(_signed_parts(impact, models)):
        colour = PALETTE[i % len(PALETTE)] if role == "cost" else (GOOD if role == "earned" else PALETTE[(i + 3) % 7])
        figure.add_bar(
            name=text(label),
            y=names,
            x=values,
            orientation="h",
            marker_color=colour,
            text=[_label(v, impact.currency) for v in values],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}: %{x:,.0f}<extra>" + text(label) + "</extra>",
        )
    title = "total cost" if impact.direction is Direction.COST else "money lost or earned"
    figure.update_layout(
        barmode="stack",
        xaxis=money_axis(impact.currency, title),
        yaxis={"type": "category", "autorange": "reversed"},
    )
    return _layout(figure, max(260, 34 * len(models) + 100))


def gain_by_model(impact: Impact) -> go.Figure:
    """Each option's gain against today with its 90% range; Payoff's choice in blue."""
    models = [m for m in _ranked(impact) if not m.is_status_quo][::-1]
    gain = [m.gain or 0.0 for m in models]
    low = [(m.gain_interval or (0.0, 0.0))[0] for m in models]
    high = [(m.gain_interval or (0.0, 0.0))[1] for m in models]
    figure = go.Figure(
        go.Bar(
            x=gain,
            y=[text(_name(m)) for m in models],
            orientation="h",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [max(h - g, 0) for g, h in zip(gain, high, strict=True)],
                "arrayminus": [max(g - lo, 0) for g, lo in zip(gain, low, strict=True)],
            },
            marker_color=[
                CHOICE if m.kind == AUTO else (GOOD if g > 0 else BAD) for m, g in zip(models, gain, strict=True)
            ],
            text=[_label(g, impact.currency) for g in gain],
            # at the bar's base: the range's line runs through the bar's end, and struck through a
            # label placed there ("$6,939" crossed out)
            textposition="inside",
            insidetextanchor="start",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis=money_axis(impact.currency, "gain against today, with its 90% range"), yaxis={"type": "category"}
    )
    return _layout(figure, max(260, 36 * len(models) + 80), showlegend=False)


def forecast_vs_actual(
    dates: pd.DatetimeIndex,
    actual: np.ndarray,
    lines: dict[str, np.ndarray],
    decision: np.ndarray | None,
    decision_name: str,
    quantity: str = "quantity",
) -> go.Figure:
    figure = go.Figure()
    figure.add_scatter(x=dates, y=actual, name="what happened", mode="lines+markers", line={"color": "black"})
    for i, (name, values) in enumerate(lines.items()):
        figure.add_scatter(
            x=dates,
            y=values,
            name=text(f"forecast: {business_name(name)}"),
            mode="lines",
            line={"color": PALETTE[i % len(PALETTE)]},
        )
    if decision is not None:
        figure.add_scatter(
            x=dates,
            y=decision,
            name=text(decision_name),
            mode="lines",
            line={"dash": "dash", "color": BAD, "shape": "hv"},
        )
    figure.update_layout(yaxis_title=text(quantity), xaxis_title="period")
    return _layout(figure, 380)


def top_and_others(frame: pd.DataFrame, value: str, label: str, top: int = TOP) -> pd.DataFrame:
    """The `top` rows with the largest absolute `value` and one "others" row summing the rest."""
    if len(frame) <= top:
        return frame
    ranked = frame.reindex(frame[value].abs().sort_values(ascending=False).index)
    kept, rest = ranked.head(top - 1), ranked.iloc[top - 1 :]
    others = pd.DataFrame({label: [f"others ({len(rest)})"], value: [rest[value].sum()]})
    return pd.concat([kept, others], ignore_index=True)


def gain_by_segment(segments: pd.DataFrame, currency: str = "", top: int = TOP) -> go.Figure:
    """The gain of Payoff's choice per segment (ids as categories), the largest first, the rest
    as "others"; losing segments in red; every bar labelled."""
    shown = top_and_others(segments[["segment", "gain"]], "gain", "segment", top).iloc[::-1]
    figure = go.Figure(
        go.Bar(
            x=shown["gain"],
            y=[text(v) for v in shown["segment"]],
            orientation="h",
            marker_color=np.where(shown["gain"] > 0, GOOD, BAD),
            text=[_label(g, currency) for g in shown["gain"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_layout(
        xaxis=money_axis(currency, "gain of Payoff's choice against today"),
        yaxis={"type": "category"},
        showlegend=False,
    )
    return _layout(figure, max(260, 26 * len(shown) + 80))


def profit_curve(
    curve: pd.DataFrame, chosen_share: float, budget_share: float | None, status_quo: float, currency: str = ""
) -> go.Figure:
    """Money against the share of entities acted on (best first), with the chosen point."""
    figure = go.Figure()
    figure.add_scatter(x=curve["share"], y=curve["money"], mode="lines", name="acting on the top share")
    chosen = curve.iloc[(curve["share"] - chosen_share).abs().argmin()]
    figure.add_scatter(
        x=[chosen["share"]],
        y=[chosen["money"]],
        mode="markers",
        name="Payoff's decision",
        marker={"size": 12, "color": BAD},
    )
    figure.add_hline(y=status_quo, line_dash="dot", annotation_text="today", annotation_position="top left")
    if budget_share is not None:
        figure.add_vline(x=budget_share, line_dash="dash", annotation_text="budget", annotation_position="top")
    figure.update_layout(
        xaxis_title="share of entities acted on, most promising first",
        yaxis=money_axis(currency, "money"),
        xaxis_tickformat=".0%",
    )
    return _layout(figure, 360)


def calibration(table: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect", line={"dash": "dot", "color": "grey"})
    figure.add_scatter(x=table["predicted"], y=table["observed"], mode="lines+markers", name="model")
    figure.update_layout(
        xaxis_title="predicted chance",
        yaxis_title="share that happened",
        xaxis_tickformat=".0%",
        yaxis_tickformat=".0%",
    )
    return _layout(figure, 360)


def importance(table: pd.DataFrame, unit: str, currency: str = "") -> go.Figure:
    """What each column is worth to the decisions: the money lost when it is shuffled. A column
    whose shuffling costs nothing (or, by chance, a little less) is shown at zero: it carries no money."""
    shown = table.head(12).iloc[::-1]
    worth = np.maximum(shown["importance"].to_numpy(dtype=float), 0.0)
    figure = go.Figure(
        go.Bar(
            x=worth,
            y=[text(v) for v in shown["feature"]],
            orientation="h",
            text=[_label(v, currency) for v in worth],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_layout(xaxis=money_axis(currency, text(unit)), yaxis={"type": "category"}, showlegend=False)
    return _layout(figure, max(240, 26 * len(shown) + 80))


def tornado(bars: list[tuple[str, float, float]], base: float, currency: str = "") -> go.Figure:
    """How far the gain of Payoff's choice moves when each assumption moves over its range;
    the widest swing on top, the gain at your costs as a line labelled above the bars."""
    shown = bars[::-1]
    figure = go.Figure(
        go.Bar(
            x=[high - low for _, low, high in shown],
            base=[low for _, low, _ in shown],
            y=[text(label) for label, _, _ in shown],
            orientation="h",
            customdata=[high for _, _, high in shown],
            marker_color=[BAD if low < 0 else CHOICE for _, low, _ in shown],
            text=[f"{_label(low, currency)} to {_label(high, currency)}" for _, low, high in shown],
            textposition="inside",
            hovertemplate="%{y}: %{base:,.0f} to %{customdata:,.0f}<extra></extra>",
        )
    )
    figure.add_vline(x=base, line_dash="dot", annotation_text="at your costs", annotation_position="top")
    figure.add_vline(x=0, line_color="grey")
    figure.update_layout(
        xaxis=money_axis(currency, "gain against today, as each assumption moves over its range"),
        yaxis={"type": "category"},
        showlegend=False,
    )
    return _layout(figure, max(220, 40 * len(shown) + 100))


def sweep_lines(
    values: tuple[float, ...], gains: dict[str, tuple[float, ...]], label: str, currency: str = ""
) -> go.Figure:
    """The gain of every option against one assumption's value."""
    figure = go.Figure()
    for i, (name, series) in enumerate(gains.items()):
        width = 4 if name == AUTO else 1.5
        figure.add_scatter(
            x=values,
            y=series,
            name=text(business_name(name)),
            mode="lines+markers",
            line={"width": width, "color": PALETTE[i % len(PALETTE)]},
        )
    figure.add_hline(y=0, line_color="grey")
    figure.update_layout(xaxis_title=text(label), yaxis=money_axis(currency, "gain against today"))
    return _layout(figure, 380)
