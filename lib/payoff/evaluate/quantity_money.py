"""Price every model's quantity decisions over the backtest: newsvendor (perishable, custom),
staffing, or the simulated order-up-to policy (inventory). Runs on kept predictions only, so it
is what every cost slider calls; nothing here refits."""

from __future__ import annotations

from typing import Any

import numpy as np

from payoff.evaluate import policies
from payoff.evaluate.backtest import ModelForecasts, Predictions
from payoff.evaluate.impact import Impact, ModelMoney, finish
from payoff.evaluate.uncertainty import block_bootstrap
from payoff.framings import quantity
from payoff.models.forecasters import nanmean

STATUS_QUO_COLUMN = "status quo"  # the user's decision column, priced like a model


def _offsets(model: ModelForecasts, predictions: Predictions, tau: np.ndarray) -> np.ndarray:
    """Residual quantile at tau for every evaluated cell, from the residuals before its origin."""
    offsets = np.zeros_like(model.forecast)
    for k in range(len(predictions.origin_starts)):
        cells = predictions.origin_of == k
        tau_k = tau[:, cells] if np.ndim(tau) == 2 else tau
        value = policies.residual_quantile(model.residuals[k], tau_k)
        offsets[:, cells] = value if value.shape[1] == cells.sum() else np.repeat(value, cells.sum(), axis=1)
    return offsets


def _cell_columns(predictions: Predictions) -> dict[str, np.ndarray]:
    columns = predictions.panel.columns
    return {key: columns[key][:, predictions.periods] for key in ("price", "unit_cost") if key in columns}


def _protection_level(
    model: ModelForecasts, predictions: Predictions, tau: np.ndarray, periods: int, status_quo: bool
) -> np.ndarray:
    """Order-up-to level S_t: forecast demand over lead time + review period, plus safety stock
    from the model's residual quantile at tau (sum of `periods` residuals approximated as
    periods*mean + sqrt(periods)*(quantile - mean)). A status quo rule gets no safety stock."""
    forecast = model.forecast
    n = forecast.shape[1]
    cumulative = np.concatenate([np.zeros((forecast.shape[0], 1)), np.cumsum(forecast, axis=1)], axis=1)
    start = np.arange(n) + 1
    stop = np.minimum(start + periods, n)
    width = np.maximum(stop - start, 1)
    ahead = np.where(stop > start, (cumulative[:, stop] - cumulative[:, start]) / width, forecast[:, -1:])
    level = ahead * periods
    if status_quo:
        return level
    quantile = _offsets(model, predictions, tau)
    mean = np.zeros_like(forecast)
    for k in range(len(predictions.origin_starts)):
        cells = predictions.origin_of == k
        mean[:, cells] = np.nan_to_num(nanmean(model.residuals[k], axis=1))[:, None]
    return np.maximum(level + periods * mean + np.sqrt(periods) * (quantile - mean), 0.0)


def price(
    predictions: Predictions,
    framing: str,
    params: dict[str, Any],
    status_quo_label: str,
    status_quo_model: str | None,
) -> Impact:
    """Money of every model; the status quo is the named rule model, or the decision column."""
    actual = predictions.actual
    seen = ~np.isnan(actual)
    demand = np.where(seen, actual, 0.0)
    costs = quantity.unit_costs(framing, params, _cell_columns(predictions))
    tau = np.broadcast_to(costs.critical_ratio, actual.shape) if np.ndim(costs.critical_ratio) else costs.critical_ratio
    panel = predictions.panel
    labels = panel.labels()
    entries: list[tuple[str, np.ndarray | None, ModelForecasts | None]] = []
    if status_quo_model is None:
        entries.append((STATUS_QUO_COLUMN, panel.columns["decision"][:, predictions.periods], None))
    for name, model in predictions.models.items():
        entries.append((name, None, model))
    results: list[ModelMoney] = []
    per_period: dict[str, np.ndarray] = {}
    decisions: dict[str, np.ndarray] = {}
    lead, review = int(params.get("lead_time", 0)), int(params.get("review_period", 1))
    history = panel.y[:, : predictions.origin_starts[0]]
    typical = np.nan_to_num(nanmean(history[:, -4 * panel.season :], axis=1))
    initial_stock = typical * (lead + review)  # the same starting shelf for every policy
    for name, fixed, model in entries:
        is_sq = name == status_quo_model or model is None
        components: dict[str, np.ndarray]
        extras: dict[str, float] = {}
        if framing == "inventory":
            if model is None:
                result = policies.simulate_order_up_to(
                    demand,
                    np.zeros_like(demand),
                    lead,
                    review,
                    bool(params["backorders"]),
                    initial_stock,
                    fixed_orders=np.nan_to_num(fixed),
                )
            else:
                level = _protection_level(model, predictions, tau, lead + review, is_sq)
                result = policies.simulate_order_up_to(
                    demand, level, lead, review, bool(params["backorders"]), initial_stock
                )
            components = {"lost sales": costs.under * result.lost, "holding": costs.over * result.end_stock}
            decision = result.orders
            total_demand = demand.sum()
            extras = {
                "fill_rate": float(result.served.sum() / total_demand) if total_demand else 1.0,
                "stockout_units": float(result.lost.sum()),
                "average_stock": float(result.end_stock.mean()),
            }
        else:
            if model is None:
                decision = np.nan_to_num(fixed)
            elif is_sq:
                decision = model.forecast
            else:
                decision = policies.quantile_decision(model.forecast, _offsets(model, predictions, tau))
            if framing == "staffing":
                staff = decision if model is None else quantity.staff_for(decision, params)
                unserved, staff_cost = quantity.staffing_cost(demand, staff, params)
                components = {"unserved work": unserved, "staff": staff_cost}
                decision = staff
            else:
                short, excess = quantity.newsvendor_cost(demand, decision, costs)
                components = {"stockouts": short, "overstock": excess}
        components = {k: np.where(seen, np.broadcast_to(v, actual.shape), 0.0) for k, v in components.items()}
        cell_cost = sum(components.values())
        per_period[name] = cell_cost.sum(axis=0)
        decisions[name] = decision
        accuracy = model.accuracy(actual) if model is not None else {}
        results.append(
            ModelMoney(
                name=name,
                money=float(cell_cost.sum()),
                components={k: float(v.sum()) for k, v in components.items()},
                accuracy=accuracy,
                per_segment=dict(zip(labels, cell_cost.sum(axis=1).tolist(), strict=True)),
                extras=extras,
                failed=list(model.failed) if model is not None else [],
                is_status_quo=is_sq,
            )
        )
    sq_name = status_quo_model or STATUS_QUO_COLUMN
    gains = {name: per_period[sq_name] - values for name, values in per_period.items()}
    dates = panel.dates[predictions.periods]
    unit = panel.frequency
    impact = Impact(
        framing=framing,
        params=dict(params),
        direction="cost",
        status_quo=status_quo_label,
        models=results,
        evaluation={
            "rows": int(seen.sum()),
            "series": panel.n_series,
            "periods": len(predictions.periods),
            "frequency": unit,
            "start": str(dates.min().date()),
            "end": str(dates.max().date()),
            "tests": len(predictions.origin_starts),
            "horizon": predictions.settings.horizon,
            "period_text": f"the last {len(predictions.periods)} {unit}s ({dates.min():%d %b %Y} to {dates.max():%d %b %Y})",
            "critical_ratio": float(np.mean(tau)),
        },
        details={"decisions": decisions, "per_period": per_period, "status_quo_model": sq_name},
    )
    # Blocks of a season, but at least five blocks in the window so the resampling varies.
    block = max(1, min(panel.season, len(predictions.periods) // 5))
    return finish(impact, gains, lambda g: block_bootstrap(g, block))
