"""The tables an analysis is carried away in, shared by the app, the report and the exports:
the model comparison, the assumptions (every parameter with its unit and where it came from),
and the data used (file, rows, period, columns and their roles). Raw values; whoever shows them
formats them, and downloads keep full precision."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.analysis import Analysis
from payoff.designs import Backtest
from payoff.engines.quantity_next import FORECAST, PERIOD
from payoff.evaluate.impact import Impact, ModelMoney
from payoff.framings import catalogue
from payoff.framings.base import Direction, FromColumn
from payoff.framings.fresh import weekday_names
from payoff.framings.rules import EXPECTED_LOST, EXPECTED_ORDER, STOCK, summed_and_averaged
from payoff.models.catalogue import AUTO, STATUS_QUO, business_name

# The act and the two outcomes of each targeting framing, in its own words.
WORDS = {f.key: f.words for f in catalogue.FRAMINGS.values() if hasattr(f, "words")}


EXTRA_LABELS = {
    "fill_rate": ("Fill rate", formatting.PERCENT),
    "stockout_units": ("Units short", formatting.COUNT),
    "average_stock": ("Average stock", formatting.NUMBER),
    "acted": ("Acted on", formatting.COUNT),
}
ACCURACY_LABELS = {
    "mae": ("Average error (MAE)", formatting.NUMBER),
    "wape": ("Error share (WAPE)", formatting.PERCENT),
    "bias": ("Bias", formatting.PERCENT),
    "auc": ("Ranking quality (AUC)", formatting.SCORE),
    "log_loss": ("Log loss", formatting.SCORE),
    "brier": ("Brier score", formatting.SCORE),
}
GAIN, LOW, HIGH, CHANCE = "Gain", "90% range: from", "to", "Chance of a gain"


def _order(impact: Impact) -> list[ModelMoney]:
    return sorted(impact.models, key=lambda m: (m.kind != STATUS_QUO, m.kind != AUTO, -(m.gain or -np.inf)))


def _money_label(impact: Impact) -> str:
    return "Cost" if impact.direction is Direction.COST else "Net value"


def compare_table(impact: Impact) -> pd.DataFrame:
    """What a manager compares: each option's money, its gain against today with the 90% range
    and the chance it beats today, in business names; today's practice first, Payoff's choice next."""
    rows = []
    total = _money_label(impact)
    for model in _order(impact):
        low, high = model.gain_interval or (None, None)
        today = model.is_status_quo
        rows.append(
            {
                "Option": entry_label(model.name, impact),
                total: model.money,
                GAIN: None if today else model.gain,
                LOW: None if today else low,
                HIGH: None if today else high,
                CHANCE: None if today else model.p_beats,
                "Note": _note(model.name, model.failed, model.indistinguishable, impact),
            }
        )
    frame = pd.DataFrame(rows)
    return formatting.declare(
        frame,
        {
            total: formatting.MONEY,
            GAIN: formatting.MONEY,
            LOW: formatting.MONEY,
            HIGH: formatting.MONEY,
            CHANCE: formatting.PROBABILITY,
        },
    )


def money_table(impact: Impact) -> pd.DataFrame:
    """Every figure of every entry, for analysts and the workbook: the money and its parts, the
    gain with its range as two numbers, service and accuracy, under human labels. Raw numbers;
    whoever shows them formats them by the kinds the frame declares."""
    rows = []
    kinds: dict[str, str] = {}
    total = _money_label(impact)
    for model in _order(impact):
        low, high = model.gain_interval or (None, None)
        row: dict[str, Any] = {
            "Option": entry_label(model.name, impact),
            "Technical name": model.name,
            total: model.money,
        }
        for component, value in model.components.items():
            row[component_label(component, impact)] = value
            kinds[component_label(component, impact)] = formatting.MONEY
        row.update({GAIN: model.gain, LOW: low, HIGH: high, CHANCE: None if model.is_status_quo else model.p_beats})
        for key, value in model.extras.items():
            if " & " in key:  # how many entities fell in each cell
                label, kind = f"{component_label(key, impact)} (how many)", formatting.COUNT
            else:
                label, kind = EXTRA_LABELS.get(key, (key.replace("_", " ").capitalize(), formatting.NUMBER))
            row[label], kinds[label] = value, kind
        for key, value in model.accuracy.items():
            label, kind = ACCURACY_LABELS.get(key, (key, formatting.NUMBER))
            row[label], kinds[label] = value, kind
        row["Note"] = _note(model.name, model.failed, model.indistinguishable, impact)
        rows.append(row)
    frame = pd.DataFrame(rows)
    kinds |= {total: formatting.MONEY, GAIN: formatting.MONEY, LOW: formatting.MONEY, HIGH: formatting.MONEY}
    kinds[CHANCE] = formatting.PROBABILITY
    return formatting.declare(frame, kinds)


def entry_label(name: str, impact: Impact) -> str:
    """An entry's name for a business reader: today's practice named, Payoff's choice, models by
    their business names."""
    if name == STATUS_QUO:
        return f"Today: {impact.status_quo_label}"
    return business_name(name)


def component_label(component: str, impact: Impact) -> str:
    """A money component in the framing's words: "act & event" -> "contact, and it churns"."""
    words = WORDS.get(impact.framing)
    if words is None or " & " not in component:
        return component.capitalize()
    act, event, no_event = words
    decided, happened = component.split(" & ")
    verb = act if decided == "act" else f"do not {act}"
    return f"{verb.capitalize()}, and it {event if happened == 'event' else no_event}"


def _note(name: str, failed: bool, same: bool, impact: Impact) -> str:
    if failed:
        return "failed: see the warning"
    if name == impact.best_model and name != STATUS_QUO:
        return "best in hindsight"
    if name == AUTO:
        return "chosen in advance"  # short: the last column of a wide table at 1280 pixels
    return "ties the best" if same else ""


SOURCE_WORDS = {"typed": "your number", "column": "from your file", "default": "Payoff's default"}


def assumptions_table(analysis: Analysis, impact: Impact | None = None) -> pd.DataFrame:
    """Every business parameter the money rests on, where its value came from, and the status quo
    it is compared with."""
    impact = impact or analysis.impact
    problem = analysis.problem
    sources = dict(problem.sources)
    sample = problem.defaults_from == "sample"
    rows: list[dict[str, Any]] = []
    for param in problem.framing.params:
        value = impact.params.get(param.key)
        if isinstance(value, FromColumn):
            scale = "" if value.scale == 1 else f" x {value.scale:g}"
            shown = f"each row's '{value.column}'{scale}"
        elif value is None:
            shown = {
                "optional_count": "no limit",
                "optional_share": "none: the costs decide",
                "optional_periods": "the lead time, always",
            }.get(param.kind, "")
            shown = "every period" if param.kind == "weekdays" else shown
        elif param.kind == "weekdays":
            shown = weekday_names(int(value))
        elif isinstance(value, bool):
            shown = "yes" if value else "no"
        elif param.kind in ("share", "optional_share"):
            shown = formatting.percent(float(value))
        elif param.kind == "money":
            shown = formatting.money(float(value), currency=impact.currency)
        else:
            shown = formatting.number(float(value))
        source = sources.get(param.key, "default")
        own = impact.params.get(param.key) != problem.values.get(param.key)
        said = "a what-if" if own else SOURCE_WORDS.get(source, source)
        if said == "Payoff's default" and sample:
            said = "the sample's documented value"
        rows.append(
            {"Assumption": param.label, "Value": shown, "Unit": param.unit, "From": said, "Technical name": param.key}
        )
    rows.append(
        {
            "Assumption": "What the business does today",
            "Value": problem.status_quo.label,
            "Unit": "",
            "From": {"given": "your choice", "decision column": "your file", "framing default": "Payoff's default"}.get(
                problem.status_quo_source, problem.status_quo_source
            ),
            "Technical name": "status_quo",
        }
    )
    if impact.currency:
        rows.append(
            {
                "Assumption": "Currency",
                "Value": impact.currency,
                "Unit": "",
                "From": "your choice",
                "Technical name": "currency",
            }
        )
    return pd.DataFrame(rows)


def data_table(analysis: Analysis) -> pd.DataFrame:
    """The columns the analysis used and the role each played."""
    problem = analysis.problem
    roles: list[tuple[str, str]] = [(problem.target, "outcome (what is predicted)")]
    if problem.date:
        roles.append((problem.date, "date"))
    roles += [(key, "series key") for key in problem.keys]
    if problem.entity_id:
        roles.append((problem.entity_id, "entity id"))
    roles += [(feature, "feature") for feature in problem.features]
    for key, value in problem.params:
        if isinstance(value, FromColumn):
            roles.append((value.column, f"prices '{key}'"))
    return pd.DataFrame(roles, columns=["column", "role"]).drop_duplicates()


def data_summary(analysis: Analysis) -> dict[str, Any]:
    """File, rows and period in words, for the report's header and the app's captions."""
    problem = analysis.problem
    table = problem.table
    summary: dict[str, Any] = {"file": problem.source or "(unnamed)", "rows": len(table), "period": ""}
    if problem.date and problem.date in table.columns:
        dates = pd.to_datetime(table[problem.date], errors="coerce").dropna()
        if len(dates):
            summary["period"] = f"{dates.min():%d %b %Y} to {dates.max():%d %b %Y}"
    design = problem.evaluation
    summary["evaluation"] = (
        f"{design.origins} backtest windows of {design.horizon} {design.frequency.plural}"
        if isinstance(design, Backtest)
        else f"{design.folds}-fold cross-fitting"
    )
    return summary


def workbook_sheets(
    analysis: Analysis, decisions: pd.DataFrame, impact: Impact | None = None
) -> dict[str, pd.DataFrame]:
    """The XLSX export: the decisions (and, for quantities, the next order day's, per supplier
    where the analysis breaks the gain down by one), the assumptions they were priced at, and the
    model comparison."""
    sheets = {"decisions": decisions}
    segment = analysis.problem.segment
    for group in (None, segment) if segment is not None else (None,):
        found = next_order(decisions, group)
        if found is not None:
            sheets["next order" if group is None else f"next order per {group}"[:31]] = found[1]
    return {
        **sheets,
        "assumptions": assumptions_table(analysis, impact),
        "model comparison": money_table(impact or analysis.impact),
    }


def next_summary(decisions: pd.DataFrame) -> tuple[dict[str, float], pd.DataFrame] | None:
    """The next decisions in totals: overall ({what: total}) and per series (the key columns
    between the period and the forecast), largest first. None for a list that is not quantities."""
    if PERIOD not in decisions or FORECAST not in decisions:
        return None
    columns = list(decisions.columns)
    keys = columns[columns.index(PERIOD) + 1 : columns.index(FORECAST)]
    summed, kept = summed_and_averaged(columns)
    if EXPECTED_ORDER in summed:  # fresh stock: the levels overlap (stock carries over), the orders add up
        summed = [c for c in summed if c not in (STOCK, EXPECTED_LOST)]
    if not summed and not kept:
        return None
    totals = {c: float(decisions[c].sum()) for c in summed} | {c: float(decisions[c].mean()) for c in kept}
    if keys:
        per_series = decisions.groupby(keys, sort=False, dropna=False).agg(
            {**{c: "sum" for c in summed}, **{c: "mean" for c in kept}}
        )
        per_series = per_series.reset_index().sort_values((summed or kept)[0], ascending=False, ignore_index=True)
    else:
        per_series = pd.DataFrame([totals])
    kinds = formatting.kinds_of(decisions)
    return totals, formatting.declare(per_series, {c: kinds.get(c, formatting.NUMBER) for c in (*summed, *kept)})


def next_order(decisions: pd.DataFrame, group: str | None = None) -> tuple[str, pd.DataFrame] | None:
    """The next order day of a quantity list: its date in words and its rows (those with a decision
    on the first period that has any), or, with `group` (a supplier column), their totals per
    group, largest first. None when the list has no such day."""
    if PERIOD not in decisions or STOCK not in decisions:  # orders of stock, not staff or levels
        return None
    summed, _ = summed_and_averaged(list(decisions.columns))
    decided = decisions[STOCK].notna() & (decisions[STOCK] > 0)
    if not decided.any():
        return None
    day = decisions.loc[decided, PERIOD].min()  # the earliest over every series: rows run series by series
    rows = decisions[(decisions[PERIOD] == day) & decided]
    unit = str(decisions.attrs.get("unit", "day"))
    when = formatting.date(pd.Timestamp(day), unit)
    if group is None or group not in rows:
        return when, formatting.declare(rows.reset_index(drop=True), formatting.kinds_of(decisions))
    totals = rows.groupby(group, sort=False, dropna=False)[summed].sum().reset_index()
    totals = totals.sort_values(STOCK, ascending=False, ignore_index=True)
    kinds = formatting.kinds_of(decisions)
    return when, formatting.declare(totals, {c: kinds.get(c, formatting.NUMBER) for c in summed})
