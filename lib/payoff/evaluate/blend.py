"""The blend of the leading models: at each window, the median of the decisions of the few models
that cost least on the windows before it. It competes in `auto` like any model.

Why: with many candidates and few windows, the model cheapest on the earlier windows is often a
noisy guess (the winner's curse). On Walmart's 45 stores the rankings flip from one test to the
next, and auto's single pick cost 1.175x the best single model, where the median of the five
leaders' orders cost 0.953x. Where one model is clearly best, the blend costs more than it, so
the blend does not replace the pick: it is one more candidate, chosen only on earlier windows,
like every other (docs/benchmarks.md, "The blend of the leaders")."""

from __future__ import annotations

import numpy as np

from payoff.framings.policy import Plan

LEADERS = 5  # the models blended: the five cheapest (fewer when fewer were fitted)
FEWEST = 3  # no blend of fewer models than this: the median of two is their mean, and one is itself


def leaders_per_window(costs: np.ndarray, barred: list[tuple[int, int]]) -> list[np.ndarray]:
    """For each window k, the models (rows of `costs`, models x windows) blended there: the
    LEADERS cheapest over the windows before k, ties to the earlier model. Window 0 has no
    earlier window, so every model is blended there. A (model, window) pair in `barred` (a model
    that diverged there) is never blended in that window."""
    models, windows = costs.shape
    earlier = np.cumsum(costs, axis=1) - costs
    out = []
    for k in range(windows):
        allowed = [i for i in range(models) if (i, k) not in barred]
        if k == 0:
            out.append(np.array(allowed, dtype=int))
            continue
        ranked = sorted(allowed, key=lambda i: (round(float(earlier[i, k]), 9), i))
        out.append(np.array(ranked[:LEADERS], dtype=int))
    return out


def leaders_now(costs: np.ndarray) -> np.ndarray:
    """The models blended for the next periods: the LEADERS cheapest over every window."""
    totals = np.round(costs.sum(axis=1), 9)
    ranked: np.ndarray = np.argsort(totals, kind="stable")[:LEADERS]
    return ranked


def blended_plan(plans: list[Plan], leaders: list[np.ndarray], window_of: np.ndarray, whole_units: bool) -> Plan:
    """The median, cell by cell, of the leaders' quantities (order-up-to levels, orders, staff)
    and of the mean forecasts behind them, window by window. Rounding is the pricing's, once, on
    the median: with an even number of leaders (every model at the calibration window, or four
    models fitted) that is the mean of the middle two, rounded up."""
    quantity = np.zeros_like(plans[0].quantity)
    forecast = np.zeros_like(plans[0].quantity)
    for k, chosen in enumerate(leaders):
        cells = window_of == k
        if not chosen.size:  # every model diverged here: the median of them all (auto never picks a diverged one)
            chosen = np.arange(len(plans))
        quantity[:, cells] = cell_median([plans[i].quantity[:, cells] for i in chosen])
        means = [(plans[i].quantity if plans[i].forecast is None else plans[i].forecast)[:, cells] for i in chosen]
        forecast[:, cells] = cell_median(means)
    return Plan(quantity, None, whole_units, forecast)


def cell_median(arrays: list[np.ndarray]) -> np.ndarray:
    """np.median of the arrays, cell by cell, the same to the last digit: sorting a handful of
    values along the first axis takes half the time of numpy's partition there (every
    re-pricing blends: 12 of its 75 ms on 500 series)."""
    stacked = np.stack(arrays)
    if np.isnan(stacked).any():  # numpy's median is NaN there; a sort would put the NaN last
        nan_median: np.ndarray = np.median(stacked, axis=0)
        return nan_median
    ordered = np.sort(stacked, axis=0)
    middle = len(arrays) // 2
    if len(arrays) % 2:
        middle_one: np.ndarray = ordered[middle]
        return middle_one
    median: np.ndarray = np.mean(ordered[middle - 1 : middle + 1], axis=0)
    return median
