"""The decisions to take next: the chosen model refitted on the whole history, its forecast for
the next horizon, and the decision rule of the framing at the current costs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from payoff.analysis import Analysis
from payoff.evaluate import policies
from payoff.evaluate.backtest import model_catalogue
from payoff.framings import quantity
from payoff.models.features import build_features
from payoff.models.panel import Panel
from payoff.models.regression import _GlobalModel


def recommended_model(analysis: Analysis) -> str:
    """The best model, or the best real model when the status quo came first."""
    impact = analysis.impact
    candidates = [m for m in impact.models if not m.is_status_quo and m.name in analysis.predictions.models]
    best = impact.model(impact.best_model)
    if best.is_status_quo or best.name not in analysis.predictions.models:
        return max(candidates, key=lambda m: m.gain).name
    return best.name


def _extended(panel: Panel, horizon: int) -> Panel:
    """The panel with `horizon` empty future periods; regressors carry their last known value."""
    alias = {"hour": "h", "day": "D", "week": "7D", "month": "MS"}[panel.frequency]
    dates = pd.date_range(panel.dates[0], periods=panel.n_periods + horizon, freq=alias)
    pad = np.full((panel.n_series, horizon), np.nan)

    def grow(matrix: np.ndarray) -> np.ndarray:
        last = pd.DataFrame(matrix.T).ffill().to_numpy().T[:, -1:]
        return np.concatenate([matrix, np.repeat(last, horizon, axis=1)], axis=1)

    return replace(
        panel,
        y=np.concatenate([panel.y, pad], axis=1),
        dates=dates,
        regressors={k: grow(v) for k, v in panel.regressors.items()},
        columns={k: grow(v) for k, v in panel.columns.items()},
    )


def next_decisions(analysis: Analysis, params: dict[str, Any] | None = None) -> pd.DataFrame:
    params = {**analysis.params, **(params or {})}
    framing = analysis.spec.framing
    predictions = analysis.predictions
    panel, horizon = predictions.panel, predictions.settings.horizon
    name = recommended_model(analysis)
    model = model_catalogue(panel)[name]
    future = _extended(panel, horizon)
    if isinstance(model, _GlobalModel):
        features = build_features(future, horizon, predictions.settings.country)
        forecast = model.fit(features, future, panel.n_periods, horizon).predict(horizon)
    else:
        forecast = model.fit(panel.y).predict(horizon)
    forecast = np.maximum(np.nan_to_num(forecast), 0.0)
    kept = predictions.models[name]
    errors = predictions.actual - kept.forecast  # every tested window: the freshest residuals
    residuals = np.sort(np.concatenate([kept.residuals[-1], errors], axis=1), axis=1)
    columns = {k: v[:, -horizon:] for k, v in future.columns.items() if k in ("price", "unit_cost")}
    costs = quantity.unit_costs(framing, params, columns)
    tau = costs.critical_ratio
    offsets = policies.residual_quantile(residuals, tau if np.ndim(tau) == 2 else float(tau))
    quantile = policies.quantile_decision(forecast, offsets)
    dates = future.dates[-horizon:]
    frame = pd.DataFrame({"period": np.tile(dates, panel.n_series)})
    for column in panel.series.columns:
        frame[column] = np.repeat(panel.series[column].to_numpy(), horizon)
    frame["forecast"] = forecast.reshape(-1).round(2)
    if framing == "staffing":
        frame["staff to schedule"] = quantity.staff_for(quantile, params).reshape(-1).astype(int)
    elif framing == "inventory":
        periods = int(params["lead_time"]) + int(params["review_period"])
        frame["order-up-to level"] = (quantile * periods).reshape(-1).round(1)
    else:
        frame["quantity to stock"] = np.ceil(quantile - 1e-9).reshape(-1).astype(int)
    frame.attrs["model"] = name
    return frame
