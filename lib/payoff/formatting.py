"""Money that reads like money: thousands separators and sensible decimals on screen and in
reports (downloads keep full precision)."""

from __future__ import annotations

import math

MILLION = 1_000_000


def money(value: float | None, compact: bool = False) -> str:
    """1234567.8 -> "1,234,568" (or "1.23 M" when compact); 12.345 -> "12.35"; None -> "n/a"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if compact and abs(value) >= MILLION:
        return f"{value / MILLION:,.2f} M"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}"
    return "0" if text in ("-0", "-0.00", "0.00") else text


def interval(low: float, high: float, compact: bool = False) -> str:
    return f"{money(low, compact)} to {money(high, compact)}"


def share(value: float) -> str:
    return f"{value:.0%}"


def number(value: float) -> str:
    """A parameter value as typed: 0.3, 1.8, 250, 1,200."""
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
