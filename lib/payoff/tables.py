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
from payoff.evaluate.impact import Impact
from payoff.framings.base import FromColumn
from payoff.models.catalogue import AUTO, STATUS_QUO


def money_table(impact: Impact) -> pd.DataFrame:
    """Money first, accuracy second; the status quo on top, then by gain. Raw numbers: the page
    formats them, downloads keep full precision."""
    rows = []
    order = sorted(impact.models, key=lambda m: (m.kind != STATUS_QUO, m.kind != AUTO, -(m.gain or -np.inf)))
    total = "total cost" if impact.direction == "cost" else "net value"
    for model in order:
        row: dict[str, Any] = {"model": _entry_label(model.name, impact), total: model.money}
        row.update(dict(model.components))
        row["gain vs status quo"] = model.gain
        row["90% interval"] = (
            "" if model.gain_interval is None or model.is_status_quo else formatting.interval(*model.gain_interval)
        )
        row["P(beats status quo)"] = None if model.is_status_quo else model.p_beats
        row["note"] = _note(model.name, model.failed, model.indistinguishable, impact)
        row.update(dict(model.accuracy))
        rows.append(row)
    return pd.DataFrame(rows)


def _entry_label(name: str, impact: Impact) -> str:
    if name == STATUS_QUO:
        return f"status quo: {impact.status_quo_label}"
    if name == AUTO:
        return "auto: Payoff's choice per test"
    return name


def _note(name: str, failed: bool, same: bool, impact: Impact) -> str:
    if failed:
        return "failed: see below"
    if name == impact.best_model and name != STATUS_QUO:
        return "best in hindsight"
    return "indistinguishable from the best" if same else ""


def assumptions_table(analysis: Analysis, impact: Impact | None = None) -> pd.DataFrame:
    """Every business parameter the money rests on, and the status quo it is compared with."""
    impact = impact or analysis.impact
    problem = analysis.problem
    rows: list[dict[str, Any]] = []
    for param in problem.framing.params:
        value = impact.params.get(param.key)
        if isinstance(value, FromColumn):
            scale = "" if value.scale == 1 else f" x {value.scale:g}"
            shown, source = f"each row's '{value.column}'{scale}", "column"
        else:
            shown, source = "" if value is None else formatting.number(float(value)), "value"
        rows.append({"assumption": param.label, "key": param.key, "value": shown, "unit": param.unit, "from": source})
    rows.append(
        {
            "assumption": "status quo (what the business does today)",
            "key": "status_quo",
            "value": problem.status_quo.label,
            "unit": "",
            "from": problem.status_quo_source,
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
    """The XLSX export: the decisions, the assumptions they were priced at, and the model comparison."""
    return {
        "decisions": decisions,
        "assumptions": assumptions_table(analysis, impact),
        "model comparison": money_table(impact or analysis.impact),
    }
