"""How a problem is evaluated honestly: a rolling-origin backtest for quantities, cross-fitting
for targeting, and the checks each needs on the table (enough history, a usable outcome)."""

from __future__ import annotations

from dataclasses import dataclass

import holidays
import numpy as np
import pandas as pd

from payoff.data.roles import RoleMap, Shape, positive_class
from payoff.errors import BadMapping, NotEnoughData
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
    if len(distinct) > 2:
        raise BadMapping(
            f"The outcome '{target}' has {len(distinct)} values; targeting needs exactly two "
            "(e.g. churned yes/no). Choose another column or recode it."
        )
    label = label if label is not None else positive_class(values[present])
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
