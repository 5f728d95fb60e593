"""Weekdays a business is shut every week: a daily file with no row on any Sunday is a shop shut
on Sundays, said once, and its Sundays are neither gaps nor priced."""

from __future__ import annotations

import numpy as np
import pandas as pd

from payoff.data.findings import Finding

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekdays_never_open(dates: pd.Index | np.ndarray) -> list[int]:
    """The weekdays (0 is Monday) with no row on any date of a daily file of three weeks or more:
    days the business is shut every week, whose dates have no rows."""
    days = pd.DatetimeIndex(dates).dropna()
    if len(days) < 2 or (days.max() - days.min()).days < 21:
        return []
    present = set(days.day_of_week.tolist())
    shut = [day for day in range(7) if day not in present]
    return shut if len(shut) < 7 else []


def shut_on(shut: list[int], date: str) -> Finding:
    names = [f"a {WEEKDAYS[day]}" for day in shut]
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return Finding(
        "shut_weekdays",
        "info",
        f"No row falls on {said}: Payoff reads the business as shut on those days every week, so they are "
        "neither gaps nor priced. If it sold on those days, add their rows.",
        date,
        (),
        len(shut),
    )
