"""A quantity decision's next decisions: each series' forecast for the periods ahead, its likely
range from the backtest's errors, and the order, stock level or staff the recommended model sets,
at the analysis's (or a what-if's) costs. Split from engines/quantity.py, which fits and prices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.data.keys import key_text
from payoff.designs import Backtest
from payoff.engines.base import Values
from payoff.errors import BadMapping
from payoff.evaluate import policies
from payoff.evaluate.backtest import status_quo_rule
from payoff.evaluate.fresh_plans import shifted
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import QuantityPredictions
from payoff.evaluate.quantity_money import costs_for, critical_ratio, fresh_shift
from payoff.framings.base import QuantityFraming
from payoff.framings.policy import Ahead, Column
from payoff.models import forecasters
from payoff.models.catalogue import BLEND, STATUS_QUO, business_name, quantity_spec
from payoff.models.features import build_features
from payoff.models.panel import Panel
from payoff.models.protocols import GlobalForecasterSpec
from payoff.problem import Problem

RANGE = (0.1, 0.9)  # the forecast's likely range: its 10% and 90% quantiles from the backtest errors
# The next decisions' columns, as every download labels them (the decision rule adds its own).
PERIOD, FORECAST, LOW, HIGH = "Period", "Forecast", "Likely low (10%)", "Likely high (90%)"


@dataclass(frozen=True, eq=False)
class _Next:
    """One model's (or the blend's) next periods, series x periods: its forecast, what its
    decision adds to it, the decision, its backtest errors sorted per series (every window: the
    freshest errors), and the series decided (and ranged) by count quantiles."""

    forecast: np.ndarray
    offsets: np.ndarray
    quantity: np.ndarray
    residuals: np.ndarray
    counted: np.ndarray

    def closed_on(self, shut: np.ndarray) -> _Next:
        """The same, with no demand and no decision on the periods the business is shut."""
        forecast, quantity = np.where(shut, 0.0, self.forecast), np.where(shut, 0.0, self.quantity)
        return _Next(forecast, self.offsets, quantity, self.residuals, self.counted)


def next_decisions(problem: Problem, predictions: QuantityPredictions, impact: Impact, values: Values) -> pd.DataFrame:
    """The recommended model refitted on the whole history, its forecast for the next horizon,
    and the framing's decision at these costs, rounded exactly as the backtest rounds. The blend
    of the leading models is the median of its leaders' own next decisions."""
    framing = problem.framing
    assert isinstance(framing, QuantityFraming)
    panel, horizon = predictions.panel, predictions.horizon
    name = _model_for_next(impact, predictions)
    future = panel.extended(horizon)
    columns = {k: v[:, -horizon:] for k, v in future.columns.items() if k != "decision"}
    arrays, costs = costs_for(framing, dict(values), columns)
    leaders = list(impact.recommended.blend_of) if name == BLEND else [name]
    shut = _shut_ahead(panel, future, horizon)  # a weekday the business has not opened on lately sells nothing
    opened = [_own_next(problem, predictions, values, leader, future) for leader in leaders]
    own = [leader.closed_on(shut) for leader in opened]
    # the range is read as the orders were taken, from the forecast before shut days are zeroed
    unshut = opened[0] if name != BLEND else _blended(opened, leaders, predictions)
    ahead = unshut.closed_on(shut)
    forecast, residuals, counted = unshut.forecast, ahead.residuals, ahead.counted
    frame = pd.DataFrame({PERIOD: np.tile(future.dates[-horizon:], panel.n_series)})
    for column in panel.series.columns:
        frame[column] = np.repeat(panel.series[column].to_numpy(), horizon)
    if problem.segment is not None and problem.segment not in frame:  # the supplier (or region) of each series
        frame[problem.segment] = np.repeat(series_values(problem, predictions, problem.segment), horizon)
    frame[FORECAST] = ahead.forecast.reshape(-1)
    low, high = (np.maximum(forecast + policies.residual_quantile(residuals, q), 0.0) for q in RANGE)
    if counted.any():
        low[counted], high[counted] = (policies.count_quantile(forecast[counted], q, residuals[counted]) for q in RANGE)
    frame[LOW] = np.where(shut, 0.0, low).reshape(-1)
    frame[HIGH] = np.where(shut, 0.0, high).reshape(-1)
    ranged = formatting.COUNT if counted.all() else formatting.NUMBER  # a count's range is whole units
    kinds = {PERIOD: formatting.DATE, FORECAST: formatting.NUMBER, LOW: ranged, HIGH: ranged}

    def decided(next_: _Next) -> tuple[Column, ...]:
        # A shut day sells nothing: its demand is 0, not the forecast of 0 plus the model's errors
        # (which once gave a shut Sunday the expected cost of an open one).
        forecast, residuals = next_.forecast, next_.residuals
        paths = policies.demand_paths(forecast, residuals) if framing.policy.carries_stock(arrays) else None
        return framing.policy.next_columns(
            Ahead(
                forecast,
                next_.offsets,
                next_.quantity,
                panel.whole_units,
                arrays,
                lambda stock: np.where(shut, 0.0, policies.expected_cost(stock, forecast, residuals, costs)),
                _weekdays_ahead(future, horizon),
                None if paths is None else np.where(shut, 0.0, paths),
                shut,
            )
        )

    # The blend decides as its leaders do, column by column (a level, an order, cases): the median
    # of their decisions, as the backtest priced it.
    for column in decided(ahead) if name != BLEND else _median_columns([decided(o) for o in own]):
        frame[column.label] = column.values.reshape(-1)
        kinds[column.label] = column.kind
    if problem.money_target:  # the quantity is money (sales in dollars): so are its forecast, range and stock
        kinds = {k: formatting.MONEY if v == formatting.NUMBER else v for k, v in kinds.items()}  # people stay people
    formatting.declare(frame, kinds)
    frame.attrs["model"] = name
    frame.attrs["unit"] = panel.frequency.unit
    period = f"the next {horizon} {panel.frequency.plural}"
    who = (
        business_name(name)
        if name != BLEND
        else f"the blend of {formatting.listed([business_name(n) for n in leaders])} (the median of their decisions)"
    )
    what = f"What {who} decides for {period}, at these costs"
    if name == STATUS_QUO:
        what = f"Payoff's choice now is to keep {problem.status_quo.label}: what that decides for {period}"
    elif impact.recommended.model != name:
        what = (
            f"Payoff's choice now is to keep {problem.status_quo.label}; for comparison, what "
            f"{who} (the best model) decides for {period}"
        )
    frame.attrs["caption"] = what + (" (whole units, rounded up as in the backtest)." if panel.whole_units else ".")
    outside = int(((frame[FORECAST] > frame[HIGH] + 1e-9) | (frame[FORECAST] < frame[LOW] - 1e-9)).sum())
    learned = name not in (BLEND, STATUS_QUO) and predictions.model(name).ratio is not None
    if (
        learned
    ):  # its forecast is the demand to cover (stock, staff), a quantile at the costs' ratio: it moves with the costs
        frame.attrs["caption"] += (
            f" {business_name(name)} forecasts the demand to cover at these costs directly, not the middle of demand: "
            "its 'Forecast' moves with the costs"
            + (f" and lies outside the likely range of demand on {outside:,} row(s)." if outside else ".")
        )
    elif outside:
        frame.attrs["caption"] += (
            f" On {outside:,} row(s) the forecast lies outside its likely range: the model's past forecasts for "
            "those series were mostly too high (or too low), and the range and the decision correct for it."
        )
    if shut.any():
        weeks = min(SHUT_WEEKS, panel.n_periods // {"day": 7, "hour": 168}[panel.frequency.unit])
        frame.attrs["caption"] += (
            f" {int(shut.sum())} of the {horizon} {panel.frequency.plural} fall when your file has no rows in the last "
            f"{weeks} weeks (closed): nothing is decided for them."
        )
    return frame


SHUT_WEEKS = 8  # a weekday (or an hour of the week) with no demand seen in this many weeks is shut


def _shut_ahead(panel: Panel, future: Panel, horizon: int) -> np.ndarray:
    """Per period ahead, whether it falls on a weekday (on an hourly file, an hour of the week) no
    series has opened on in the last weeks: a shop shut on Sundays, a clinic's phones after 18:00
    and on Saturday afternoons. False everywhere on weekly and monthly files, and on a history
    shorter than eight weeks of days or two weeks of hours."""
    per_week = {"day": 7, "hour": 168}.get(panel.frequency.unit)
    fewest = {"day": SHUT_WEEKS, "hour": 2}.get(panel.frequency.unit, 0)  # an hour shut twice a week is shut
    if per_week is None or panel.n_periods < fewest * per_week:
        return np.zeros(horizon, dtype=bool)
    span = min(panel.n_periods, per_week * SHUT_WEEKS)
    recent = panel.y[:, -span:]
    phases = _phase_of_week(pd.DatetimeIndex(panel.dates[-span:]), panel.frequency.unit)
    opened = {int(phase) for phase in np.unique(phases[~np.isnan(recent).all(axis=0)])}
    ahead = _phase_of_week(pd.DatetimeIndex(future.dates[-horizon:]), panel.frequency.unit)
    shut: np.ndarray = ~np.isin(ahead, list(opened))
    return shut


def _phase_of_week(dates: pd.DatetimeIndex, unit: str) -> np.ndarray:
    phase: np.ndarray = dates.day_of_week.to_numpy() * (24 if unit == "hour" else 1)
    return phase + (dates.hour.to_numpy() if unit == "hour" else 0)


def _weekdays_ahead(future: Panel, horizon: int) -> np.ndarray | None:
    """The next periods' days of the week (Monday 0) on a daily file; None otherwise."""
    if future.frequency.unit != "day":
        return None
    weekdays: np.ndarray = pd.DatetimeIndex(future.dates[-horizon:]).day_of_week.to_numpy()
    return weekdays


def _own_next(problem: Problem, predictions: QuantityPredictions, values: Values, name: str, future: Panel) -> _Next:
    """One model's next decisions: refitted on the whole history (or the status quo's rule), its
    forecast raised by its own backtest errors' quantile at these costs, as the backtest decides."""
    framing = problem.framing
    assert isinstance(framing, QuantityFraming)
    panel, horizon = predictions.panel, predictions.horizon
    ratio = critical_ratio(framing, values, future)  # at these costs: a what-if refits the order model
    forecast = _refitted(problem, predictions, name, future, ratio)
    kept = predictions.model(name)
    errors = np.where(kept.fallback, np.nan, predictions.actual - kept.forecast)  # every window: the freshest errors
    residuals = np.sort(errors, axis=1)
    columns = {k: v[:, -horizon:] for k, v in future.columns.items() if k != "decision"}
    arrays, costs = costs_for(framing, dict(values), columns)
    tau = np.broadcast_to(costs.critical_ratio, forecast.shape)
    shift = None if name == STATUS_QUO else fresh_shift(framing, values, predictions, name)
    if shift is not None:  # fresh stock: as far above the costs' ratio as the backtest ordered it
        tau = shifted(costs.cost_ratio, shift, forecast.shape)
    offsets = np.zeros_like(forecast) if name == STATUS_QUO else policies.residual_quantile(residuals, tau)
    learned = kept.ratio is not None and framing.policy.cover(arrays) is None
    if learned:  # refitted at these costs' ratio: its orders are its own (as in the backtest's pricing)
        offsets = offsets - policies.residual_quantile(residuals, ratio)
    counts = panel.whole_units and framing.policy.counts_demand and not learned and name != STATUS_QUO
    counted = np.full(panel.n_series, counts) & ~policies.steadier_than_counts(forecast, residuals)
    if counted.any():  # count quantiles, as in the backtest
        offsets[counted] = (
            policies.count_quantile(forecast[counted], tau[counted], residuals[counted]) - forecast[counted]
        )
    return _Next(forecast, offsets, policies.quantile_decision(forecast, offsets), residuals, counted)


def _refitted(problem: Problem, predictions: QuantityPredictions, name: str, future: Panel, ratio: float) -> np.ndarray:
    """A model's forecast for the next periods, refitted on the whole history; kept with the
    predictions, so a page drawn again (or a blend of five models) refits nothing twice. A model
    that learns the decision is refitted at each ratio it is asked for."""
    panel, horizon = predictions.panel, predictions.horizon
    spec = None if name == STATUS_QUO else quantity_spec(name)
    learns = isinstance(spec, GlobalForecasterSpec) and spec.learns_decision
    key = (name, round(ratio, 6) if learns else None)
    cache: dict[tuple[str, float | None], np.ndarray] = predictions.__dict__.setdefault("_refitted", {})
    if key not in cache:
        if spec is None:
            forecast = status_quo_rule(problem.status_quo).fit(panel.y).predict(horizon)  # type: ignore[arg-type]
        elif isinstance(spec, GlobalForecasterSpec):
            design = problem.evaluation
            assert isinstance(design, Backtest)
            features = build_features(future, horizon, design.country)
            forecast = spec.build(ratio).fit(features, future, panel.n_periods, horizon).predict(horizon)
        else:
            forecast = spec.build(panel.season).fit(panel.y).predict(horizon)
        missing = np.isnan(forecast).any(axis=1)  # as the backtest decides a series its model missed: its last value
        if missing.any():
            forecast = np.where(missing[:, None], forecasters.Naive().fit(panel.y).predict(horizon), forecast)
        cache[key] = np.maximum(np.nan_to_num(forecast), 0.0)
    return cache[key].copy()


def _blended(own: list[_Next], leaders: list[str], predictions: QuantityPredictions) -> _Next:
    """The blend's forecast and likely range: the median of its leaders' forecasts, and the errors
    of the median of their backtest forecasts, leaving out the cells where any of them fell back
    to the last value (as a single model's errors leave out its own)."""
    forecast = np.median(np.stack([o.forecast for o in own]), axis=0)
    quantity = np.median(np.stack([o.quantity for o in own]), axis=0)
    kept = [predictions.model(name) for name in leaders]
    fell_back = np.logical_or.reduce([k.fallback for k in kept])
    median = np.median(np.stack([k.forecast for k in kept]), axis=0)
    residuals = np.sort(np.where(fell_back, np.nan, predictions.actual - median), axis=1)
    counted = np.logical_or.reduce([o.counted for o in own])
    return _Next(forecast, quantity - forecast, quantity, residuals, counted)


def _median_columns(each: list[tuple[Column, ...]]) -> tuple[Column, ...]:
    """Each decision column's median over the leaders; whole numbers stay whole, rounded up (the
    median of two is their mean)."""
    out = []
    for i, first in enumerate(each[0]):
        stacked = np.stack([columns[i].values for columns in each])
        median = np.median(stacked, axis=0)
        whole = bool(np.all(np.isnan(stacked) | (np.round(stacked) == stacked)))
        out.append(Column(first.label, np.ceil(median - 1e-9) if whole else median, first.kind))
    return tuple(out)


def _model_for_next(impact: Impact, predictions: QuantityPredictions) -> str:
    """The model auto picks now; when that is the business's own column (nothing to refit),
    the best model instead."""
    names = {m.name for m in predictions.models} | {BLEND}
    if impact.recommended.model in names:
        return impact.recommended.model
    ranked = sorted((m for m in impact.models if m.name in names and m.gain is not None), key=lambda m: -(m.gain or 0))
    return ranked[0].name


def series_values(problem: Problem, predictions: QuantityPredictions, column: str) -> list[str]:
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
