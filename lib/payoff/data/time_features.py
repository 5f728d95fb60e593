"""The hour of day and the day of week of a table of rows stamped with times (card transactions,
calls), as features: night-time fraud is the textbook case, and the stamp itself only orders the
folds. Derived from the date column where its times vary; skipped where the file already has the
hour as a column of its own. A file of current rows gets the same columns from its own stamps."""

from __future__ import annotations

import pandas as pd

HOUR, WEEKDAY = ": hour of day", ": day of week (Monday 0)"
SAME = 0.99  # share of rows on which a column of the file equals the hour: the file has it already


def time_features(frame: pd.DataFrame, date: str | None) -> dict[str, pd.Series]:
    """The derived columns, by name ("timestamp: hour of day"); none where `date` has no times."""
    if date is None or date not in frame or not pd.api.types.is_datetime64_any_dtype(frame[date]):
        return {}
    stamps = frame[date]
    known = stamps.dropna()
    if known.empty or bool((known == known.dt.normalize()).all()):
        return {}  # dates alone: their age only extrapolates in folds ordered by time
    hour = stamps.dt.hour.astype("float64")
    out = {f"{date}{WEEKDAY}": stamps.dt.day_of_week.astype("float64")}
    if not any(_same(frame[column], hour) for column in frame.columns if column != date):
        out = {f"{date}{HOUR}": hour, **out}
    return out


def with_time_features(frame: pd.DataFrame, date: str | None, names: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """`frame` with those of `names` that are derived from `date` added (a file of current rows)."""
    wanted = {k: v for k, v in time_features(frame, date).items() if k in names}
    return frame.assign(**wanted) if wanted else frame


def derived(names: list[str] | tuple[str, ...], date: str | None) -> list[str]:
    return [n for n in names if date is not None and n in (f"{date}{HOUR}", f"{date}{WEEKDAY}")]


def _same(column: pd.Series, hour: pd.Series) -> bool:
    if not pd.api.types.is_numeric_dtype(column):
        return False
    both = column.notna() & hour.notna()
    return bool(both.any()) and float((column[both].astype("float64") == hour[both]).mean()) >= SAME
