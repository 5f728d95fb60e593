"""The date formats a file may write, and which one its values are in: day/month order settled by
a weekday written beside the date, else by the reading whose dates fall on a more regular grid."""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY_FIRST = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%a %d/%m/%Y",  # a weekday before the date ("Sun 01/01/2023"), as hotel and till exports write it
    "%a %d.%m.%Y",
)
MONTH_FIRST = (
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%m-%d-%y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%a %m/%d/%Y",
)
OTHER_FORMATS = (
    "ISO8601",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%Y-%m",
    "%a %Y-%m-%d",
    "%a %d %b %Y",
    "%a, %d %b %Y",
    "%A, %B %d, %Y",
    "%A %d %B %Y",
)
DATE_FORMATS = OTHER_FORMATS + DAY_FIRST + MONTH_FIRST
FORMAT_LABELS = {"ISO8601": "ISO (YYYY-MM-DD)"}


def _regularity(dates: pd.Series) -> int:
    unique = np.sort(dates.dropna().unique())
    return len(np.unique(np.diff(unique))) if len(unique) > 2 else 0


def _weekdays_agree(values: pd.Series, parsed: pd.Series) -> float:
    """The share of values whose leading weekday name ('Sun', 'Monday,') is the parsed date's."""
    written = values.astype("str").str.strip().str[:3].str.lower()
    return float((written == parsed.dt.day_name().str[:3].str.lower()).mean())


def detect_date_formats(values: pd.Series, dayfirst: bool | None) -> tuple[list[str], bool]:
    """Formats that parse every sampled value (best first), and whether day/month is ambiguous.

    An empty list means no single format fits; see :func:`cover_formats` for mixed columns."""
    fits = []
    for fmt in DATE_FORMATS:
        parsed = pd.to_datetime(values, format=fmt, errors="coerce")
        if parsed.notna().all():
            fits.append((fmt, parsed))
    if not fits:
        return [], False
    day = [f for f in fits if f[0] in DAY_FIRST]
    month = [f for f in fits if f[0] in MONTH_FIRST]
    other = [f for f in fits if f[0] in OTHER_FORMATS]
    if other:
        return [other[0][0]], False
    if day and month:
        if dayfirst is True:
            return [day[0][0]], True
        if dayfirst is False:
            return [month[0][0]], True
        # A weekday written before the date tells which reading is right ("Mon 05/02/2024").
        agree_day, agree_month = _weekdays_agree(values, day[0][1]), _weekdays_agree(values, month[0][1])
        if agree_day != agree_month:
            return [(day if agree_day > agree_month else month)[0][0]], False
        # All days <= 12: the reading whose dates fall on a more regular grid wins.
        if _regularity(month[0][1]) < _regularity(day[0][1]):
            return [month[0][0]], True
        return [day[0][0]], True
    return [(day or month)[0][0]], False


def cover_formats(values: pd.Series) -> list[tuple[str, int]]:
    """Greedy cover of a mixed-format column: (format, values it parses)."""
    remaining = values
    cover: list[tuple[str, int]] = []
    for _ in range(3):
        best, best_count = None, 0
        for fmt in DATE_FORMATS:
            count = int(pd.to_datetime(remaining, format=fmt, errors="coerce").notna().sum())
            if count > best_count:
                best, best_count = fmt, count
        if best is None:
            break
        cover.append((best, best_count))
        remaining = remaining[pd.to_datetime(remaining, format=best, errors="coerce").isna()]
        if remaining.empty:
            break
    return cover


def format_label(fmt: str) -> str:
    return FORMAT_LABELS.get(fmt, fmt.replace("%a", "weekday").replace("%A", "weekday").replace("%", ""))
