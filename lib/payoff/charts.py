"""Plotly figure builders: data in, go.Figure out. Text from the user (series names, columns,
segment values) goes through :func:`text`: plotly reads a few HTML tags in labels (``<b>``,
``<a href>``), so angle brackets and ampersands are passed as entities and show literally."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from payoff.evaluate.impact import Impact
from payoff.models.catalogue import AUTO, STATUS_QUO


def text(value: object) -> str:
    """A user's label as plotly shows it literally."""
    return html.escape(str(value), quote=False)


PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]


MONEY_AXIS = {"tickformat": ",.0f", "separatethousands": True}


def _ranked(impact: Impact) -> list:
    """Priced entries: the status quo first, Payoff's choice next, then by gain."""
    priced = [m for m in impact.models if not m.failed]
    return sorted(priced, key=lambda m: (m.kind != STATUS_QUO, m.kind != AUTO, -(m.gain or 0.0)))


def money_by_model(impact: Impact) -> go.Figure:
    """Stacked cost (or value) components per entry, status quo first."""
    models = _ranked(impact)
    names = [m.name for m in models]
    figure = go.Figure()
    components = list(models[0].components) if models else []
    for i, component in enumerate(components):
        figure.add_bar(
            name=component,
            x=names,
            y=[m.components.get(component, 0.0) for m in models],
            marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate="%{x}: %{y:,.2f}<extra>" + component + "</extra>",
        )
    figure.update_layout(
        barmode="relative",
        yaxis=MONEY_AXIS,
        yaxis_title="total cost" if impact.direction == "cost" else "net value",
        legend_title_text="",
        height=380,
        margin={"t": 30, "b": 10},
    )
    return figure


def gain_by_model(impact: Impact) -> go.Figure:
    """Each entry's gain with its 90% interval; Payoff's choice in blue."""
    models = [m for m in _ranked(impact) if not m.is_status_quo][::-1]
    gain = [m.gain or 0.0 for m in models]
    low = [(m.gain_interval or (0.0, 0.0))[0] for m in models]
    high = [(m.gain_interval or (0.0, 0.0))[1] for m in models]
    figure = go.Figure(
        go.Bar(
            x=gain,
            y=["auto: Payoff's choice" if m.kind == AUTO else m.name for m in models],
            orientation="h",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [max(h - g, 0) for g, h in zip(gain, high, strict=True)],
                "arrayminus": [max(g - lo, 0) for g, lo in zip(gain, low, strict=True)],
            },
            marker_color=[
                "#1f77b4" if m.kind == AUTO else ("#2ca02c" if g > 0 else "#d62728")
                for m, g in zip(models, gain, strict=True)
            ],
            hovertemplate="%{y}: %{x:,.2f}<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis=MONEY_AXIS, xaxis_title="gain vs status quo (90% interval)", height=340, margin={"t": 20, "b": 10}
    )
    return figure


def forecast_vs_actual(
    dates: pd.DatetimeIndex,
    actual: np.ndarray,
    lines: dict[str, np.ndarray],
    decision: np.ndarray | None,
    decision_name: str,
) -> go.Figure:
    figure = go.Figure()
    figure.add_scatter(x=dates, y=actual, name="actual", mode="lines+markers", line={"color": "black"})
    for i, (name, values) in enumerate(lines.items()):
        figure.add_scatter(
            x=dates, y=values, name=text(f"forecast: {name}"), mode="lines", line={"color": PALETTE[i % len(PALETTE)]}
        )
    if decision is not None:
        figure.add_scatter(
            x=dates,
            y=decision,
            name=text(decision_name),
            mode="lines",
            line={"dash": "dash", "color": "#d62728", "shape": "hv"},
        )
    figure.update_layout(height=380, margin={"t": 20, "b": 10}, legend={"orientation": "h"})
    return figure


def gain_by_segment(segments: pd.DataFrame, top: int = 15) -> go.Figure:
    shown = pd.concat([segments.nlargest(top // 2 + 1, "gain"), segments.nsmallest(top // 2, "gain")])
    shown = shown.drop_duplicates().sort_values("gain")
    figure = go.Figure(
        go.Bar(
            x=shown["gain"],
            y=[text(v) for v in shown["segment"]],
            orientation="h",
            marker_color=np.where(shown["gain"] > 0, "#2ca02c", "#d62728"),
        )
    )
    figure.update_layout(
        xaxis=MONEY_AXIS, xaxis_title="gain vs status quo", height=max(260, 22 * len(shown)), margin={"t": 20}
    )
    return figure


def profit_curve(curve: pd.DataFrame, chosen_share: float, budget_share: float | None, status_quo: float) -> go.Figure:
    """Money against the share of entities acted on (best first), with the chosen point."""
    figure = go.Figure()
    figure.add_scatter(x=curve["share"], y=curve["money"], mode="lines", name="acting on the top share")
    chosen = curve.iloc[(curve["share"] - chosen_share).abs().argmin()]
    figure.add_scatter(
        x=[chosen["share"]],
        y=[chosen["money"]],
        mode="markers",
        name="chosen decision",
        marker={"size": 12, "color": "#d62728"},
    )
    figure.add_hline(y=status_quo, line_dash="dot", annotation_text="status quo")
    if budget_share is not None:
        figure.add_vline(x=budget_share, line_dash="dash", annotation_text="budget")
    figure.update_layout(
        xaxis_title="share of entities acted on",
        yaxis=MONEY_AXIS,
        yaxis_title="money",
        xaxis_tickformat=".0%",
        height=360,
        margin={"t": 20},
    )
    return figure


def calibration(table: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    figure.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect", line={"dash": "dot", "color": "grey"})
    figure.add_scatter(x=table["predicted"], y=table["observed"], mode="lines+markers", name="model")
    figure.update_layout(xaxis_title="predicted probability", yaxis_title="observed rate", height=360, margin={"t": 20})
    return figure


def importance(table: pd.DataFrame, unit: str) -> go.Figure:
    shown = table.head(12).iloc[::-1]
    figure = go.Figure(go.Bar(x=shown["importance"], y=[text(v) for v in shown["feature"]], orientation="h"))
    figure.update_layout(height=max(240, 26 * len(shown)), margin={"t": 20}, xaxis=MONEY_AXIS, xaxis_title=unit)
    return figure


def tornado(bars: list[tuple[str, float, float]], base: float) -> go.Figure:
    """How far the gain of Payoff's choice moves when each assumption moves over its range;
    the widest swing on top, the run's own gain as a line."""
    shown = bars[::-1]
    figure = go.Figure(
        go.Bar(
            x=[high - low for _, low, high in shown],
            base=[low for _, low, _ in shown],
            y=[text(label) for label, _, _ in shown],
            orientation="h",
            customdata=[high for _, _, high in shown],
            marker_color=["#d62728" if low < 0 else "#1f77b4" for _, low, _ in shown],
            hovertemplate="%{y}: %{base:,.0f} to %{customdata:,.0f}<extra></extra>",
        )
    )
    figure.add_vline(x=base, line_dash="dot", annotation_text="at your costs")
    figure.add_vline(x=0, line_color="grey")
    figure.update_layout(
        xaxis=MONEY_AXIS,
        xaxis_title="gain vs status quo over each assumption's range",
        height=max(220, 40 * len(shown) + 80),
        margin={"t": 30, "b": 10},
    )
    return figure


def sweep_lines(values: tuple[float, ...], gains: dict[str, tuple[float, ...]], label: str) -> go.Figure:
    """The gain of every entry against one assumption's value."""
    figure = go.Figure()
    for i, (name, series) in enumerate(gains.items()):
        width = 4 if name == AUTO else 1.5
        figure.add_scatter(
            x=values,
            y=series,
            name="auto: Payoff's choice" if name == AUTO else name,
            mode="lines+markers",
            line={"width": width, "color": PALETTE[i % len(PALETTE)]},
        )
    figure.add_hline(y=0, line_color="grey")
    figure.update_layout(
        xaxis_title=text(label), yaxis=MONEY_AXIS, yaxis_title="gain vs status quo", height=360, margin={"t": 20}
    )
    return figure
