"""What a value column's name says about the period it charges for: a monthly charge is worth
more than one month of a kept customer, and is asked in months ('MonthlyCharges': how many months
does a kept customer stay?)."""

from __future__ import annotations

import re

_PER_PERIOD = re.compile(
    r"monthly|per.?month|mrr|weekly|per.?week|yearly|annual|per.?year|charge|fee|subscription", re.I
)


def per_period_value(column: str | None) -> bool:
    """A value column that is a charge per month (or week, year): a kept customer is worth more."""
    return column is not None and bool(_PER_PERIOD.search(column))


_CHARGE_PERIODS = (
    (re.compile(r"month|mrr", re.I), "month", 12),
    (re.compile(r"week", re.I), "week", 52),
    (re.compile(r"year|annual", re.I), "year", 1),
)


def charge_period(column: str) -> tuple[str, int | None]:
    """The period a value column charges for, as its name says ('MonthlyCharges': month), and how
    many of them make a year; ('period', None) where the name does not say ('Fee')."""
    for pattern, period, in_a_year in _CHARGE_PERIODS:
        if pattern.search(column):
            return period, in_a_year
    return "period", None
