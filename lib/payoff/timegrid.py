"""The one calendar type: how often a table's dates come, the season that repeats in them, the
pandas alias of their grid, and how a period is labelled in the user's own terms.

A weekly file of Fridays stays a file of Fridays (its grid is ``W-FRI``), a file of month ends
stays month ends (``ME``): every label shown or written is a date the user will recognise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from payoff.errors import BadMapping

UNITS = ("hour", "day", "week", "month")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_SEASON = {"hour": 24, "day": 7, "week": 52, "month": 12}
# Horizons a business plans over, longest first: a week of hours, four weeks of days ...
_NATURAL_HORIZONS = {"hour": (168, 72, 48, 24), "day": (28, 14, 7), "week": (8, 4), "month": (3, 1)}
_LABEL = {"hour": "%d %b %Y %H:00", "day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y"}


@dataclass(frozen=True)
class Frequency:
    """`unit` is hour, day, week or month. `anchor` is the weekday (0 = Monday) a weekly file's
    dates fall on, or "start"/"end" for monthly files dated on the first or last day."""

    unit: str = "day"
    anchor: int | str | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise BadMapping(f"Unknown period '{self.unit}'; choose one of {', '.join(UNITS)}.")

    @property
    def season(self) -> int:
        """Periods in the cycle detected from the unit: 24 hours, 7 days, 52 weeks, 12 months."""
        return _SEASON[self.unit]

    @property
    def alias(self) -> str:
        """The pandas frequency of the grid (``h``, ``D``, ``W-FRI``, ``MS`` or ``ME``)."""
        if self.unit == "hour":
            return "h"
        if self.unit == "day":
            return "D"
        if self.unit == "week":
            return f"W-{WEEKDAYS[int(self.anchor or 0)]}"
        return "ME" if self.anchor == "end" else "MS"

    @property
    def plural(self) -> str:
        return f"{self.unit}s"

    @property
    def natural_horizons(self) -> tuple[int, ...]:
        return _NATURAL_HORIZONS[self.unit]

    def period_of(self, stamps: pd.Series) -> pd.Series:
        """Each timestamp as the label of the period it falls in (on the file's own anchor)."""
        if self.unit == "hour":
            return stamps.dt.floor("h")
        days = stamps.dt.normalize()
        if self.unit == "day":
            return days
        if self.unit == "week":
            back = (days.dt.day_of_week - int(self.anchor or 0)) % 7
            return days - pd.to_timedelta(back, unit="D")
        start = days.dt.to_period("M").dt.start_time
        return start + pd.offsets.MonthEnd(0) if self.anchor == "end" else start

    def grid(self, first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
        """Every period label from the first to the last, inclusive."""
        return pd.date_range(first, last, freq=self.alias)

    def following(self, last: pd.Timestamp, periods: int) -> pd.DatetimeIndex:
        """The `periods` labels after `last`."""
        return pd.date_range(last, periods=periods + 1, freq=self.alias)[1:]

    def label(self, stamp: pd.Timestamp) -> str:
        return pd.Timestamp(stamp).strftime(_LABEL[self.unit])

    def span(self, first: pd.Timestamp, last: pd.Timestamp) -> str:
        return f"{self.label(first)} to {self.label(last)}"

    def default_horizon(self, n_periods: int | None = None, origins: int = 4, season: int | None = None) -> int:
        """The longest natural horizon the history allows for `origins` tests and a calibration
        window, after one season (or horizon) of history."""
        season = season or self.season
        for horizon in self.natural_horizons:
            if n_periods is None or horizon * (origins + 1) + max(season, horizon) + 2 <= n_periods:
                return horizon
        return self.natural_horizons[-1]


def infer_frequency(dates: pd.Series) -> Frequency:
    """Hour, day, week or month from the most common step between consecutive distinct dates;
    weeks keep the weekday the file uses, months whether it dates them on the first or last day."""
    unique = pd.Series(dates.dropna().unique())
    if len(unique) < 3:
        return Frequency("day")
    unique = unique.sort_values()
    step = unique.diff().dropna().dt.total_seconds().median() / 3600
    if step < 12:
        return Frequency("hour")
    if step < 4 * 24:
        return Frequency("day")
    if step < 20 * 24:
        weekday = int(np.bincount(unique.dt.day_of_week.to_numpy(), minlength=7).argmax())
        return Frequency("week", weekday)
    ends = bool(unique.dt.is_month_end.all()) and not bool(unique.dt.is_month_start.all())
    return Frequency("month", "end" if ends else "start")


_SECONDS = {"hour": 3600, "day": 86400}


def finer_rows(dates: pd.Series, frequency: Frequency, keys: pd.DataFrame | None = None) -> str | None:
    """How often the rows come when that is finer than the file's periods ("30 minutes" in a
    file worked in hours), else None: the rows of a period are then combined into it. With the
    series' `keys`, the step is read within each series: one shop stamped at midnight and another
    at noon, each once a day, is not a file of rows every 12 hours."""
    if frequency.unit not in _SECONDS:
        return None
    step = _median_step(pd.Series(dates.dropna().unique()).sort_values())
    if step is not None and 0 < step < _SECONDS[frequency.unit] and keys is not None and keys.shape[1]:
        # finer across the file: read again within each series (only then, a sort of every row)
        stamps = keys.assign(_stamp=dates).dropna(subset=["_stamp"]).drop_duplicates()
        stamps = stamps.sort_values([*keys.columns, "_stamp"])
        same = (stamps[list(keys.columns)].shift() == stamps[list(keys.columns)]).all(axis=1)
        gaps = stamps["_stamp"].diff().dt.total_seconds()[same]
        step = float(gaps.median()) if len(gaps) >= 2 else None
    if step is None or not 0 < step < _SECONDS[frequency.unit]:
        return None
    minutes = step / 60
    if minutes >= 60:
        return f"{minutes / 60:g} hours"
    return f"{minutes:g} minutes" if minutes >= 1 else f"{step:g} seconds"


def _median_step(unique: pd.Series) -> float | None:
    """The median gap between sorted stamps, in seconds; None with fewer than three."""
    if len(unique) < 3:
        return None
    return float(unique.diff().dropna().dt.total_seconds().median())


def combined_rows(
    dates: pd.Series,
    frequency: Frequency,
    target: str,
    decision: str | None = None,
    level: bool = False,
    keys: pd.DataFrame | None = None,
) -> str | None:
    """The sentence that says how rows finer than the periods were combined, or None."""
    every = finer_rows(dates, frequency, keys)
    if every is None:
        return None
    unit = frequency.unit
    said = (
        f"Your rows come every {every}; Payoff works in {frequency.plural}: '{target}' is added up within each {unit}"
    )
    if decision is not None:
        how = f"averaged over the {unit} (people on shift)" if level else f"added up within each {unit}"
        said += f", and '{decision}' is {how}"
    return said + "."


def count_periods(dates: pd.Series, frequency: Frequency) -> int:
    """How many periods the grid from the first to the last date holds."""
    labels = frequency.period_of(dates.dropna())
    if labels.empty:
        return 0
    return len(frequency.grid(labels.min(), labels.max()))
