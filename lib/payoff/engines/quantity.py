"""Quantity decisions (perishable stock, replenishment, staffing): a table becomes a series x
period panel, every model is backtested over rolling windows, and the kept forecasts are priced
as the orders, stock levels or schedules the business would have set."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.closures import without_closures
from payoff.data.keys import key_text
from payoff.decision_kinds import DecisionKind
from payoff.designs import Backtest
from payoff.engines.base import Explain, Progress, Threshold, Values
from payoff.errors import BadMapping
from payoff.evaluate import policies
from payoff.evaluate.backtest import (
    FITTING_ERRORS,
    run_backtest,
    status_quo_rule,
    window_labels,
    window_starts,
)
from payoff.evaluate.explain_quantity import quantity_explanations
from payoff.evaluate.fresh_plans import shifted
from payoff.evaluate.impact import BacktestRecord, Entry, Impact
from payoff.evaluate.predictions import Explanation, QuantityPredictions
from payoff.evaluate.quantity_money import Priced, costs_for, fresh_shift, price_entries, window_costs
from payoff.evaluate.summary import build_impact, wording
from payoff.evaluate.uncertainty import block_bootstrap
from payoff.framings.base import FromColumn, QuantityFraming
from payoff.framings.fresh import always_short
from payoff.framings.policy import Ahead
from payoff.models.catalogue import AUTO, REPEATERS, STATUS_QUO, business_name, quantity_spec
from payoff.models.features import build_features
from payoff.models.panel import Panel, build_panel
from payoff.models.protocols import GlobalForecasterSpec
from payoff.problem import Problem
from payoff.runtime import budget
from payoff.runtime.compute import Compute
from payoff.statusquo import DecisionColumn


class QuantityEngine:
    kind = DecisionKind.QUANTITY
    framing_type = QuantityFraming

    def fit(
        self, problem: Problem, progress: Progress | None = None, compute: Compute | None = None
    ) -> tuple[QuantityPredictions, Explain]:
        design = problem.evaluation
        assert isinstance(design, Backtest)
        columns = {key: value.column for key, value in problem.params if isinstance(value, FromColumn)}
        if isinstance(problem.status_quo, DecisionColumn):
            columns["decision"] = problem.status_quo.column
        marked = (*problem.features, problem.closed_column) if problem.closed_column else problem.features
        panel = build_panel(
            problem.table,
            design.frequency,
            design.season,
            str(problem.date),
            problem.keys,
            problem.target,
            marked,
            columns,
        )
        panel, _ = without_closures(panel, problem.closed_column)  # closed days: no demand, no order, no cost
        if problem.money_target:  # money is not counted in whole units: orders are not rounded up
            panel = replace(panel, counted=False)
        budget.check_quantity(panel.n_series, panel.n_periods)  # before anything is fitted
        starts = window_starts(panel.n_periods, design.horizon, design.step, design.origins)
        rule = None if isinstance(problem.status_quo, DecisionColumn) else status_quo_rule(problem.status_quo)  # type: ignore[arg-type]
        framing = problem.framing
        assert isinstance(framing, QuantityFraming)
        forecasts, fitted, _ = run_backtest(
            panel,
            starts,
            design.horizon,
            problem.models,
            design.country,
            rule,
            progress,
            compute,
            critical_ratio(framing, problem.values, panel),
        )
        predictions = QuantityPredictions(panel, starts, design.horizon, forecasts, panel.columns.get("decision"))

        def explain() -> tuple[Explanation, ...]:
            try:
                return quantity_explanations(fitted, predictions, framing, problem.values, problem.target)
            except FITTING_ERRORS as error:  # said, not hidden: the money does not depend on it
                return (Explanation("explanations", "", (), f"The explanations could not be computed: {error}."),)

        return predictions, explain

    def price(
        self,
        problem: Problem,
        predictions: QuantityPredictions,
        values: Values,
        threshold: Threshold | None = None,
        uncertainty: bool = True,
    ) -> Impact:
        framing = problem.framing
        assert isinstance(framing, QuantityFraming)
        priced, auto, picks, costs = price_entries(framing, values, predictions)
        scored = predictions.scored
        actual = predictions.actual
        entries = [_entry(p, predictions, framing) for p in priced]
        entries.append(_entry(auto, predictions, framing))
        totals = window_costs(priced, predictions).sum(axis=1)
        now = priced[int(np.argmin(np.round(totals, 9)))].name
        choices = tuple(priced[i].name for i in picks[1:])
        panel = predictions.panel
        periods = predictions.periods[scored]
        dates = panel.dates[periods]
        frequency = panel.frequency
        labels = window_labels(panel, predictions.starts, predictions.horizon)
        evaluation: BacktestRecord = {
            "rows": int((~np.isnan(actual[:, scored])).sum()),
            "series": panel.n_series,
            "periods": int(scored.sum()),
            "frequency": frequency.unit,
            "grid": frequency.alias,
            "start": dates.min().date().isoformat(),
            "end": dates.max().date().isoformat(),
            "tests": predictions.windows - 1,
            "horizon": predictions.horizon,
            "season": panel.season,
            "calibration": labels[0],
            "windows": labels[1:],
            "period_text": f"the last {int(scored.sum())} {frequency.plural} ({frequency.span(dates.min(), dates.max())})",
            "critical_ratio": float(np.mean(costs.critical_ratio)),
            "whole_units": panel.whole_units,
            "closures": problem.closures or None,
            "leakage_flags": [
                {"column": column, "reason": reason, "used": column in problem.features}
                for column, reason in problem.realised
            ],
        }
        warnings = accuracy_outliers(entries) + _as_placed(problem, predictions, values)
        gap = always_short(values.get("order_days"), int(values.get("shelf_life") or 1))  # type: ignore[arg-type]
        warnings += [gap] if gap else []
        if warnings:
            evaluation["warnings"] = warnings
        # Blocks of a season, but at least five blocks in the window so the resampling varies.
        block = max(1, min(panel.season, int(scored.sum()) // 5))
        return build_impact(
            framing,
            values,
            entries,
            choices,
            now,
            problem.status_quo.label,
            evaluation,
            (lambda gain: block_bootstrap(gain, block)) if uncertainty else None,
            wording(problem),
        )

    def next_decisions(
        self, problem: Problem, predictions: QuantityPredictions, impact: Impact, values: Values
    ) -> pd.DataFrame:
        return next_decisions(problem, predictions, impact, values)

    gain_units = "series"

    def priced_column(self, predictions: QuantityPredictions, key: str) -> np.ndarray:
        return predictions.panel.columns[key]

    def gains_by(self, problem: Problem, predictions: QuantityPredictions, impact: Impact, column: str) -> pd.DataFrame:
        """Each series' gain of Payoff's choice over the status quo, beside its value of `column`."""
        sign = impact.direction.sign
        auto, status_quo = impact.model(AUTO).per_series, impact.model(STATUS_QUO).per_series
        gains = np.array([sign * (auto[label] - status_quo[label]) for label in predictions.panel.labels()])
        return pd.DataFrame({"segment": _series_values(problem, predictions, column), "gain": gains})


def critical_ratio(framing: QuantityFraming, values: Values, panel: Panel) -> float:
    """The share of demand to cover at these costs, averaged over the panel's cells where a price
    column sets it: what a model that learns the decision is fitted at."""
    columns = {k: v for k, v in panel.columns.items() if k != "decision"}
    _, costs = costs_for(framing, values, columns)
    ratio = np.asarray(costs.critical_ratio, dtype="float64")
    known = ratio[np.isfinite(ratio)]
    return float(np.clip(known.mean(), 0.01, 0.99)) if known.size else 0.5


def _as_placed(problem: Problem, predictions: QuantityPredictions, values: Values) -> list[str]:
    """Said when the business's own orders are priced as placed while the settings constrain
    Payoff's: the delivery days, cases and order limits are what-ifs the history did not live by."""
    if predictions.status_quo_decisions is None:
        return []
    words = {"case_pack": "case size", "min_order": "minimum order", "max_order": "most", "order_days": "delivery days"}
    set_here = [
        words[param.key]
        for param in problem.framing.params
        if param.key in words and values.get(param.key) not in (None, param.default)
    ]
    if not set_here:
        return []
    return [
        f"Today's orders are priced as you placed them ({problem.status_quo.label}), on the days you placed them: "
        f"the {' and '.join(set_here)} you set apply to Payoff's orders only."
    ]


BROKEN_TIMES = 3.0  # a model whose error is this many times the others' typical error is not to be trusted


def accuracy_outliers(entries: list[Entry]) -> list[str]:
    """Fitted models whose backtest error is several times the other models' typical error: listed
    with their numbers, so a broken model is never priced without a word. The models that only
    repeat the data (naive ...) can be weak but cannot break, so they are compared, not flagged."""
    errors = {e.name: e.accuracy["mae"] for e in entries if e.kind == "model" and "mae" in e.accuracy}
    out = []
    for name, mae in errors.items():
        if name in REPEATERS:
            continue
        others = [v for other, v in errors.items() if other != name and np.isfinite(v)]
        typical = float(np.median(others)) if others else float("nan")
        if others and typical > 0 and mae > BROKEN_TIMES * typical:
            out.append(
                f"{name}'s forecasts were off by {mae / typical:.1f} times the other models' typical error (MAE "
                f"{mae:,.1f} against {typical:,.1f}): something in the data breaks it, so do not trust its money."
            )
    return out


def _entry(priced: Priced, predictions: QuantityPredictions, framing: QuantityFraming) -> Entry:
    scored = predictions.scored
    labels = predictions.panel.labels()
    total = priced.total[:, scored]
    extras: dict[str, float] = {}
    if priced.lost is not None and priced.served is not None and priced.stock is not None:
        demand = priced.served[:, scored].sum() + priced.lost[:, scored].sum()
        extras = {
            "fill_rate": float(priced.served[:, scored].sum() / demand) if demand else 1.0,
            "stockout_units": float(priced.lost[:, scored].sum()),
            "average_stock": float(priced.stock[:, scored].mean()),
        }
    names = {m.name for m in predictions.models}
    kind = AUTO if priced.name == AUTO else (STATUS_QUO if priced.name == STATUS_QUO else "model")
    forecasts = predictions.model(priced.name) if priced.name in names else None
    return Entry(
        name=priced.name,
        kind=kind,
        per_unit=total.sum(axis=0),
        components={k: float(v[:, scored].sum()) for k, v in priced.costs.items()},
        extras=extras,
        accuracy=predictions.accuracy(priced.name) if forecasts is not None and kind == "model" else {},
        failures=forecasts.failures if forecasts is not None else (),
        per_series=dict(zip(labels, total.sum(axis=1).tolist(), strict=True)),
        decisions=priced.decisions[:, scored],
    )


RANGE = (0.1, 0.9)  # the forecast's likely range: its 10% and 90% quantiles from the backtest errors
# The next decisions' columns, as every download labels them (the decision rule adds its own).
PERIOD, FORECAST, LOW, HIGH = "Period", "Forecast", "Likely low (10%)", "Likely high (90%)"


def next_decisions(problem: Problem, predictions: QuantityPredictions, impact: Impact, values: Values) -> pd.DataFrame:
    """The recommended model refitted on the whole history, its forecast for the next horizon,
    and the framing's decision at these costs, rounded exactly as the backtest rounds."""
    framing = problem.framing
    assert isinstance(framing, QuantityFraming)
    panel, horizon = predictions.panel, predictions.horizon
    name = _model_for_next(impact, predictions)
    design = problem.evaluation
    assert isinstance(design, Backtest)
    future = panel.extended(horizon)
    ratio = critical_ratio(framing, values, future)  # at these costs: a what-if refits the order model
    if name == STATUS_QUO:
        forecast = status_quo_rule(problem.status_quo).fit(panel.y).predict(horizon)  # type: ignore[arg-type]
    elif isinstance(spec := quantity_spec(name), GlobalForecasterSpec):
        features = build_features(future, horizon, design.country)
        forecast = spec.build(ratio).fit(features, future, panel.n_periods, horizon).predict(horizon)
    else:
        forecast = spec.build(panel.season).fit(panel.y).predict(horizon)
    forecast = np.maximum(np.nan_to_num(forecast), 0.0)
    kept = predictions.model(name)
    errors = np.where(kept.fallback, np.nan, predictions.actual - kept.forecast)  # every window: the freshest errors
    residuals = np.sort(errors, axis=1)
    columns = {k: v[:, -horizon:] for k, v in future.columns.items() if k != "decision"}
    params = dict(values)
    arrays, costs = costs_for(framing, params, columns)
    tau = np.broadcast_to(costs.critical_ratio, forecast.shape)
    shift = None if name == STATUS_QUO else fresh_shift(framing, values, predictions, name)
    if shift is not None:  # fresh stock: as far above the costs' ratio as the backtest ordered it
        tau = shifted(costs.cost_ratio, shift, forecast.shape)
    offsets = np.zeros_like(forecast) if name == STATUS_QUO else policies.residual_quantile(residuals, tau)
    learned = kept.ratio is not None and framing.policy.cover(arrays) is None
    if learned:  # refitted at these costs' ratio: its orders are its own (as in the backtest's pricing)
        offsets = offsets - policies.residual_quantile(residuals, ratio)
    slow = policies.slow_series(panel.y, panel.n_periods) & (panel.whole_units and framing.policy.counts_slow_movers)
    slow &= not learned
    if name != STATUS_QUO and slow.any():  # slow movers: count quantiles, as in the backtest
        offsets[slow] = policies.count_quantile(forecast[slow], tau[slow], residuals[slow]) - forecast[slow]
    quantity = policies.quantile_decision(forecast, offsets)
    shut = _shut_ahead(panel, future, horizon)  # a weekday the business has not opened on lately sells nothing
    forecast, quantity = np.where(shut, 0.0, forecast), np.where(shut, 0.0, quantity)
    frame = pd.DataFrame({PERIOD: np.tile(future.dates[-horizon:], panel.n_series)})
    for column in panel.series.columns:
        frame[column] = np.repeat(panel.series[column].to_numpy(), horizon)
    if problem.segment is not None and problem.segment not in frame:  # the supplier (or region) of each series
        frame[problem.segment] = np.repeat(_series_values(problem, predictions, problem.segment), horizon)
    frame[FORECAST] = forecast.reshape(-1)
    low, high = (np.maximum(forecast + policies.residual_quantile(residuals, q), 0.0) for q in RANGE)
    if slow.any():
        low[slow], high[slow] = (policies.count_quantile(forecast[slow], q, residuals[slow]) for q in RANGE)
    frame[LOW] = np.where(shut, 0.0, low).reshape(-1)
    frame[HIGH] = np.where(shut, 0.0, high).reshape(-1)
    kinds = {PERIOD: formatting.DATE, FORECAST: formatting.NUMBER, LOW: formatting.NUMBER, HIGH: formatting.NUMBER}
    ahead = Ahead(
        forecast,
        offsets,
        quantity,
        panel.whole_units,
        arrays,
        lambda stock: policies.expected_cost(stock, forecast, residuals, costs),
        _weekdays_ahead(future, horizon),
        policies.demand_paths(forecast, residuals) if framing.policy.carries_stock(arrays) else None,
    )
    for column in framing.policy.next_columns(ahead):
        frame[column.label] = column.values.reshape(-1)
        kinds[column.label] = column.kind
    formatting.declare(frame, kinds)
    frame.attrs["model"] = name
    frame.attrs["unit"] = panel.frequency.unit
    period = f"the next {horizon} {panel.frequency.plural}"
    what = f"What {business_name(name)} decides for {period}, at these costs"
    if name == STATUS_QUO:
        what = f"Payoff's choice now is to keep {problem.status_quo.label}: what that decides for {period}"
    elif impact.recommended.model != name:
        what = (
            f"Payoff's choice now is to keep {problem.status_quo.label}; for comparison, what "
            f"{business_name(name)} (the best model) decides for {period}"
        )
    frame.attrs["caption"] = what + (" (whole units, rounded up as in the backtest)." if panel.whole_units else ".")
    return frame


SHUT_WEEKS = 8  # a weekday with no demand seen in this many weeks is a day the business is shut


def _shut_ahead(panel: Panel, future: Panel, horizon: int) -> np.ndarray:
    """Per period ahead, whether it falls on a weekday no series has opened on in the last weeks
    (a shop shut on Sundays): False everywhere but on a daily file."""
    if panel.frequency.unit != "day" or panel.n_periods < 7 * SHUT_WEEKS:
        return np.zeros(horizon, dtype=bool)
    recent = panel.y[:, -7 * SHUT_WEEKS :]
    weekdays = pd.DatetimeIndex(panel.dates[-7 * SHUT_WEEKS :]).day_of_week.to_numpy()
    opened = {int(day) for day in np.unique(weekdays[~np.isnan(recent).all(axis=0)])}
    ahead = pd.DatetimeIndex(future.dates[-horizon:]).day_of_week.to_numpy()
    shut: np.ndarray = ~np.isin(ahead, list(opened))
    return shut


def _weekdays_ahead(future: Panel, horizon: int) -> np.ndarray | None:
    """The next periods' days of the week (Monday 0) on a daily file; None otherwise."""
    if future.frequency.unit != "day":
        return None
    weekdays: np.ndarray = pd.DatetimeIndex(future.dates[-horizon:]).day_of_week.to_numpy()
    return weekdays


def _model_for_next(impact: Impact, predictions: QuantityPredictions) -> str:
    """The model auto picks now; when that is the business's own column (nothing to refit),
    the best model instead."""
    names = {m.name for m in predictions.models}
    if impact.recommended.model in names:
        return impact.recommended.model
    ranked = sorted((m for m in impact.models if m.name in names and m.gain is not None), key=lambda m: -(m.gain or 0))
    return ranked[0].name


def _series_values(problem: Problem, predictions: QuantityPredictions, column: str) -> list[str]:
    """Each series' value of the column; it must not change within a series."""
    series = predictions.panel.series
    if column in series.columns:
        own: list[str] = series[column].astype("str").tolist()
        return own
    keys = list(problem.keys)
    table = problem.table
    if not keys:
        distinct = table[column].dropna().astype("str").unique()
        if len(distinct) > 1:
            raise BadMapping(f"'{column}' changes over time; break the gain down by a column that names series.")
        return [distinct[0] if len(distinct) else "missing"]
    per_series = key_text(table[keys]).assign(**{column: table[column].astype("str")}).drop_duplicates()
    if per_series.duplicated(keys).any():
        raise BadMapping(
            f"'{column}' changes within a series; break the gain down by a column that is the same for each "
            f"series ({', '.join(keys)}, or a column like region)."
        )
    lookup = per_series.set_index(keys)[column]
    index = pd.MultiIndex.from_frame(series[keys].astype("str")) if len(keys) > 1 else series[keys[0]].astype("str")
    found: list[str] = lookup.reindex(index).fillna("missing").tolist()
    return found
