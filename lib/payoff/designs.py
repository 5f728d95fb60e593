"""How a problem is evaluated honestly: a rolling-origin backtest for quantities, cross-fitting
for targeting, and the checks each needs on the table (enough history, a usable outcome)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import holidays
import numpy as np
import pandas as pd

from payoff.data.roles import RoleMap, Shape, positive_class
from payoff.data.yes_no import MOST_OUTCOME_VALUES
from payoff.errors import BadMapping, NotEnoughData
from payoff.statusquo import LastValue, Seasonal, SeasonalAverage
from payoff.timegrid import Frequency, count_periods, infer_frequency

MIN_EVENTS = 20


@dataclass(frozen=True)
class Backtest:
    """Quantity framings: rolling-origin tests over the end of the history."""

    frequency: Frequency
    horizon: int
    origins: int
    step: int
    season: int
    country: str | None
    n_periods: int
    horizon_given: bool = False
    season_given: bool = False

    @property
    def history_needed(self) -> int:
        """Periods needed: one season (or horizon) of history, a calibration window, the tests."""
        return self.horizon + self.step * self.origins + max(self.season, self.horizon) + 2


@dataclass(frozen=True)
class CrossFit:
    """Targeting framings: out-of-fold scores, time-ordered folds when a date is mapped."""

    folds: int
    positive_class: str
    time_ordered: bool


Evaluation = Backtest | CrossFit


def outcome(table: pd.DataFrame, target: str, label: str | None = None) -> tuple[np.ndarray, str]:
    """(is the event, the event's label) for each row with a known outcome; raises a PayoffError
    when the column cannot be an outcome."""
    values = table[target]
    present = values.notna()
    distinct = values[present].astype("str").unique()
    if len(distinct) < 2:
        shown = f" ({distinct[0]})" if len(distinct) else ""
        raise NotEnoughData(
            f"The outcome '{target}' has only one value{shown}; there is nothing to predict. "
            "Choose a column with two outcomes."
        )
    if len(distinct) > 2 and (label not in set(distinct) or len(distinct) > MOST_OUTCOME_VALUES):
        # a few values (Completed, Late, No-show): one is the event, the others are not
        how = (
            "pick which value is the event on the Data page or with --positive (the others count as no event), or "
            "choose another column"
            if len(distinct) <= MOST_OUTCOME_VALUES
            else "choose another column, or recode it (e.g. churned yes/no)"
        )
        raise BadMapping(f"The outcome '{target}' has {len(distinct)} values; targeting needs two outcomes: {how}.")
    label = label if label is not None else positive_class(values[present], target)
    if label not in set(distinct):
        raise BadMapping(f"'{label}' is not a value of '{target}'; its values are {', '.join(sorted(distinct))}.")
    positive = (values[present].astype("str") == str(label)).to_numpy()
    events, others = int(positive.sum()), int((~positive).sum())
    if min(events, others) < MIN_EVENTS:
        rare = f"'{target}' = {label}" if events < others else f"'{target}' other than {label}"
        raise NotEnoughData(
            f"Only {min(events, others)} rows have {rare}; at least {MIN_EVENTS} of each outcome are needed to "
            "learn anything. Add more history."
        )
    return positive, str(label)


def backtest_design(
    table: pd.DataFrame,
    roles: RoleMap,
    date: str | None,
    target: str | None,
    horizon: int | None,
    origins: int,
    step: int | None,
    season: int | None,
    country: str | None,
    errors: list[str],
) -> Backtest | None:
    if roles.shape == Shape.EVENT_LOG:
        errors.append(
            "This table is an event log (one row per call, order or visit): aggregate it to one row per hour, "
            "day or week on the Data page first (or give --aggregate)."
        )
        return None
    if date is None:
        errors.append("Mark the date column on the Data page (or give --date): quantity framings forecast over time.")
        return None
    if not pd.api.types.is_datetime64_any_dtype(table[date]):
        errors.append(f"'{date}' does not hold dates; choose the date column on the Data page.")
        return None
    if target is not None and target in table.columns and not is_number(table, target):
        errors.append(f"'{target}' is not numeric, so it cannot be forecast; choose a quantity column.")
    if country is not None and country.upper() not in holidays.list_supported_countries():
        errors.append(f"'{country}' is not a country code the holidays calendar knows; use an ISO code such as US.")
    frequency = infer_frequency(table[date])
    n_periods = count_periods(table[date], frequency)
    if season is not None and season < 1:
        errors.append(f"The season length must be at least 1 period, not {season}.")
    cycle = season if season and season >= 1 else frequency.season
    if origins < 1:
        errors.append(f"Use at least 1 test, not {origins}.")
    chosen = horizon if horizon is not None else frequency.default_horizon(n_periods, max(origins, 1), cycle)
    if chosen < 1:
        errors.append(f"The horizon must be at least 1 {frequency.unit}, not {chosen}.")
    stride = step if step is not None else chosen
    if step is not None and step < chosen:
        errors.append(
            f"The step between tests ({step}) must be at least the horizon ({chosen}), so each period is tested once."
        )
    design = Backtest(
        frequency,
        chosen,
        origins,
        stride,
        cycle,
        country.upper() if country else None,
        n_periods,
        horizon is not None,
        season is not None,
    )
    if origins >= 1 and chosen >= 1 and design.history_needed > n_periods:
        errors.append(
            f"The data has {n_periods} {frequency.plural}; {origins} tests of {chosen} {frequency.plural} plus a "
            f"calibration window need at least {design.history_needed}. Use fewer tests or a shorter horizon."
        )
    return design


def is_number(table: pd.DataFrame, column: str) -> bool:
    return pd.api.types.is_numeric_dtype(table[column]) and not pd.api.types.is_bool_dtype(table[column])


# The season a business would look back one cycle over, per calendar unit, with its words.
_SEASONAL = {
    "day": (7, "weekday", "week"),
    "hour": (168, "hour", "week"),
    "week": (52, "week", "year"),
    "month": (12, "month", "year"),
}
CLEAR_SEASON = 0.9  # the seasonal rule's error at most this share of the last value's: a clear season


def seasonal_rule(
    design: Backtest, rule: Seasonal | SeasonalAverage | None = None
) -> Seasonal | SeasonalAverage | None:
    """`rule` (or the same period last season) on this file's calendar: the same weekday last week
    on a daily file, the same hour last week on an hourly one (last day when the history is short),
    the same week last year on a weekly one. None when the history before the tests does not hold
    one season."""
    first = design.n_periods - design.horizon - design.step * design.origins
    if design.season_given:
        season, period, cycle = design.season, "period", "season"
    else:
        season, period, cycle = _SEASONAL[design.frequency.unit]
        if design.frequency.unit == "hour" and first < season:
            season, cycle = 24, "day"
    seasons = rule.seasons if isinstance(rule, SeasonalAverage) else 1
    if first < season * seasons:
        return None
    if isinstance(rule, SeasonalAverage):
        return SeasonalAverage(rule.seasons, rule.buffer, season, period, cycle)
    return Seasonal(season, period, cycle)


def default_quantity_rule(demand: np.ndarray, design: Backtest) -> tuple[Seasonal | LastValue, str]:
    """What a business without a decision column is assumed to do: the same period last season
    when the history shows a clear season (that rule was closer to what happened than the last
    value seen, over the horizon, before the tests), else the last value. With the reason.
    `demand` is the series x periods matrix on the design's calendar."""
    rule = seasonal_rule(design)
    if rule is None:
        return LastValue(), "the history before the tests is shorter than one season"
    assert isinstance(rule, Seasonal)
    end = design.n_periods - design.horizon - design.step * design.origins
    y = demand[:, :end]
    if not y.size or not np.isfinite(y).any():
        return LastValue(), "there is no history before the tests"
    with warnings.catch_warnings():  # a series with no history yet has no level: it is left out below
        warnings.simplefilter("ignore", RuntimeWarning)
        level = np.nanmean(np.abs(y), axis=1, keepdims=True)
    scaled = y / np.where(np.isfinite(level) & (level > 0), level, 1.0)
    seasonal = _mean_abs(scaled[:, rule.season :] - scaled[:, : -rule.season])
    steps = range(1, min(design.horizon, rule.season) + 1)
    steps_held = [v for v in (_mean_abs(scaled[:, k:] - scaled[:, :-k]) for k in steps) if np.isfinite(v)]
    held = float(np.mean(steps_held)) if steps_held else float("nan")
    if not np.isfinite(seasonal) or not np.isfinite(held) or held <= 0:
        return LastValue(), "the history is too sparse to tell"
    closer = 1 - seasonal / held
    if seasonal <= CLEAR_SEASON * held:
        return rule, (
            f"the history has a clear season: before the tests, {rule.label} was {closer:.0%} closer to what "
            "happened than the last value seen"
        )
    return LastValue(), (
        f"the history has no clear season: before the tests, {rule.label} was not clearly closer to what happened "
        "than the last value seen"
    )


def _mean_abs(differences: np.ndarray) -> float:
    if differences.size == 0 or not np.isfinite(differences).any():
        return float("nan")
    return float(np.nanmean(np.abs(differences)))  # some value is finite: no empty-slice warning
