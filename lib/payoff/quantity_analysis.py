"""Quantity framings end to end: roles -> panel -> backtest -> priced decisions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from payoff.analysis import Analysis, AnalysisSpec, Progress, parse_quantity_status_quo
from payoff.data.roles import Role, RoleMap, Shape
from payoff.errors import BadMapping
from payoff.evaluate import quantity_money
from payoff.evaluate.backtest import BacktestSettings, default_horizon, run_backtest
from payoff.models.panel import build_panel


def panel_inputs(frame: pd.DataFrame, roles: RoleMap, framing: str) -> dict[str, Any]:
    if roles.shape == Shape.EVENT_LOG:
        raise BadMapping(
            "This table is an event log (one row per call, order or visit): aggregate it to one row "
            "per hour, day or week on the Data page first."
        )
    date, target = roles.one(Role.DATE), roles.one(Role.TARGET)
    if date is None:
        raise BadMapping("Mark the date column on the Data page: quantity framings forecast over time.")
    if target is None:
        raise BadMapping("Mark the quantity to forecast (units sold, calls) as the target on the Data page.")
    columns: dict[str, str] = {}
    if framing in ("perishable", "inventory"):
        if roles.one(Role.PRICE):
            columns["price"] = roles.one(Role.PRICE)  # type: ignore[assignment]
        if roles.one(Role.COST):
            columns["unit_cost"] = roles.one(Role.COST)  # type: ignore[assignment]
    regressors = [
        c
        for c, r in roles.roles.items()
        if r in (Role.FEATURE, Role.PRICE)
        and c in frame
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    return {
        "date": date,
        "keys": roles.columns(Role.SERIES_KEY),
        "target": target,
        "regressors": regressors,
        "columns": columns,
    }


def run(
    frame: pd.DataFrame, roles: RoleMap, spec: AnalysisSpec, params: dict[str, Any], progress: Progress | None = None
) -> Analysis:
    inputs = panel_inputs(frame, roles, spec.framing)
    kind, status_quo = parse_quantity_status_quo(spec.status_quo, frame, roles)
    if kind == "column":
        inputs["columns"]["decision"] = status_quo
    panel = build_panel(frame, **inputs)
    if spec.season:
        if spec.season < 1:
            raise BadMapping("The season length must be at least 1 period.")
        panel = replace(panel, season_override=int(spec.season))
    horizon = spec.horizon or default_horizon(panel.frequency, panel.n_periods, spec.origins)
    settings = BacktestSettings(horizon, spec.origins, spec.step, spec.country)
    rule = status_quo if kind == "rule" else None
    models = list(spec.models) if spec.models else None
    predictions = run_backtest(panel, settings, models, progress, status_quo_rule=rule)
    label = f"your '{status_quo}' column" if kind == "column" else f"the status quo ({rule.label})"
    analysis = Analysis(
        spec=spec,
        family="quantity",
        params=params,
        impact=None,
        predictions=predictions,
        status_quo_label=label,
        status_quo_model=rule.name if rule else None,
        model_names=[n for n in predictions.models if n != (rule.name if rule else None)],
        context={"inputs": inputs, "frequency": panel.frequency, "horizon": horizon, "season": panel.season},
    )
    analysis.impact = price(analysis, params)
    return analysis


def price(analysis: Analysis, params: dict[str, Any]):
    return quantity_money.price(
        analysis.predictions, analysis.spec.framing, params, analysis.status_quo_label, analysis.status_quo_model
    )
