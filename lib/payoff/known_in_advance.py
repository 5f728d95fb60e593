"""Which quantity regressors are plausibly known in advance. A forecast may use a planned promotion,
a list price, a holiday or a weather forecast for the period it predicts; it may not use the
average price of what sold that day, the day's revenue or its footfall, which are only known once
the period is over and would make every backtest look better than any real order could be.

A regressor is flagged as looking realised with demand when
- its name says it is an outcome (volume, revenue, amount, sold, the average price of sales), or
- it goes missing (or to zero) where demand is zero, as a ratio of sales does, or
- it moves with same-period demand almost one for one (alone it explains at least 80% of the
  variation of demand within a series) but far less with demand one horizon later.
Flagged columns are left out unless the user says they are known in advance."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from payoff.data.roles import snake_name
from payoff.models.panel import Panel

# Matched against the name in lower case with spaces and dashes as underscores ("Qty Sold" is
# "qty_sold"). A call centre's report of the period (answered, abandoned, handle and wait times,
# service level) is an outcome of it, as sales are; so is a hotel's night (its average daily rate, ADR,
# and revenue per available room, RevPAR: what the rooms sold at), and so is what was thrown away,
# failed or carried over that day (a florist's stems binned, a depot's parcels carried over).
_OUTCOME_NAME = re.compile(
    r"volume|revenue|turnover|amount|takings|receipts|(^|_)sold|sales|actual|reali[sz]ed|"
    r"(avg|average|mean)_?(selling_?)?price|price_?(paid|realised|realized)|footfall|visitors|customers_served|"
    r"answered|abandon|handled|handle_?time|talk_?time|wait(ing)?_?time|service_?level|occupancy|(^|_)(aht|asa)(_|$)|"
    r"(^|_)(adr|revpar)(_|$)|(avg|average|achieved)_?(daily_?|room_?|nightly_?)?rate|"
    r"wast(e|ed|age)|binned|spoil|discard|written_?off|shrink|carried_?over|(^|_)failed|undelivered|(^|_)returned|refund",
    re.I,
)
_PLANNED_NAME = re.compile(r"promo|holiday|planned|list_?price|forecast|discount|campaign|event|closed", re.I)
EXPLAINS = 0.8  # share of demand's within-series variation a realised measure explains on its own
DROP = 0.5  # ... and how much less it explains of demand one horizon later


@dataclass(frozen=True)
class RealisedFlag:
    column: str
    reason: str


def realised_flags(panel: Panel, horizon: int) -> list[RealisedFlag]:
    """Every regressor of the panel that looks realised with demand, with the evidence."""
    flags = []
    for column, values in panel.regressors.items():
        reason = _reason(column, values, panel.y, horizon)
        if reason:
            flags.append(RealisedFlag(column, reason))
    return flags


def _reason(column: str, x: np.ndarray, y: np.ndarray, horizon: int) -> str | None:
    name = snake_name(column)
    if _OUTCOME_NAME.search(name) and not _PLANNED_NAME.search(name):
        return "its name says it is an outcome of the period (what sold, the calls answered), known only once the period is over"
    seen = ~np.isnan(y)
    zero = seen & (y == 0)
    selling = seen & (y > 0)
    if zero.sum() >= 5 and selling.sum() >= 5:
        blank_at_zero = float(np.mean(np.isnan(x[zero]) | (x[zero] == 0)))
        blank_when_selling = float(np.mean(np.isnan(x[selling]) | (x[selling] == 0)))
        if blank_at_zero >= 0.5 and blank_at_zero >= 3 * max(blank_when_selling, 0.05):
            return (
                f"it is missing or zero on {blank_at_zero:.0%} of the periods with no sales (against "
                f"{blank_when_selling:.0%} otherwise), as a measure of what sold is"
            )
    if _is_binary(x) or _PLANNED_NAME.search(name):
        return None  # a flag (promotion, holiday) or a named plan: known in advance by nature
    now = _within_series_r2(x, y)
    later = _within_series_r2(x[:, : x.shape[1] - horizon], y[:, horizon:]) if x.shape[1] > horizon else 0.0
    if now >= EXPLAINS and now - later >= DROP:
        return (
            f"on its own it explains {now:.0%} of the ups and downs of same-period demand but {later:.0%} of demand "
            f"{horizon} period(s) later, as a measure taken with the sales does"
        )
    return None


def _is_binary(x: np.ndarray) -> bool:
    known = x[~np.isnan(x)]
    return known.size > 0 and np.unique(known).size <= 2


def _within_series_r2(x: np.ndarray, y: np.ndarray) -> float:
    """The squared correlation of x and y after each series' own means are taken out."""
    both = ~np.isnan(x) & ~np.isnan(y)
    if both.sum() < 10:
        return 0.0
    with np.errstate(all="ignore"):
        xm = np.where(both, x, np.nan)
        ym = np.where(both, y, np.nan)
        xc = xm - np.nanmean(xm, axis=1, keepdims=True)
        yc = ym - np.nanmean(ym, axis=1, keepdims=True)
        covariance = np.nansum(xc * yc)
        scale = np.sqrt(np.nansum(xc * xc) * np.nansum(yc * yc))
    return float((covariance / scale) ** 2) if scale > 0 else 0.0
