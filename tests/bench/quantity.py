"""Quantity benchmark: 500 series x 730 days, full default backtest (7 models, 4 tests, horizon
28), the re-pricing of a cost change, and 1,000 bootstrap replicates plus the full sensitivity sweep. Fresh process per repetition (peak memory is its own)."""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pandas as pd

from tests.bench.common import peak_rss_bytes, rss_bytes, trust_seconds

SERIES, DAYS = 500, 730


def workload() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    dates = pd.date_range("2024-01-01", periods=DAYS)
    weekday = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.4, 0.85])[dates.day_of_week]
    season = 1 + 0.2 * np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - 350) / 365.25)
    base = rng.gamma(2.0, 6.0, SERIES)[:, None]
    promo = (rng.random((SERIES, DAYS)) < 0.07).astype(int)
    demand = rng.poisson(base * weekday * season * np.where(promo == 1, 1.7, 1.0))
    return pd.DataFrame(
        {
            "date": np.tile(dates, SERIES),
            "item": np.repeat([f"SKU{i:04d}" for i in range(SERIES)], DAYS),
            "units": demand.reshape(-1),
            "promo": promo.reshape(-1),
        }
    )


def fit_and_recost(params: dict[str, object], prices: int) -> tuple[Any, float, float, int]:
    """The workload analysed as perishable with `params`, then re-priced at `prices` prices from 3
    to 6 in a shuffled order (a what-if jumps anywhere in the range, and counts are stepped from
    the last level asked, which small moves would flatter): (analysis, backtest seconds, median
    re-pricing ms, resident memory before the fit)."""
    from payoff.analysis import recost, run_analysis
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.problem import make_problem

    roles = RoleMap(
        {"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET, "promo": Role.FEATURE}, Shape.TIME_SERIES
    )
    frame = workload()
    before = rss_bytes()
    start = time.perf_counter()
    analysis = run_analysis(make_problem(frame, roles, "perishable", params=params, horizon=28))
    fitted = time.perf_counter() - start
    timings = []
    for price in np.random.default_rng(0).permutation(np.linspace(3.0, 6.0, prices)):
        tick = time.perf_counter()
        recost(analysis, {"price": float(price), "unit_cost": 1.5})
        timings.append(time.perf_counter() - tick)
    return analysis, fitted, float(np.median(timings) * 1000), before


def main() -> None:
    analysis, fitted, recost_ms, before = fit_and_recost({"price": 4.0, "unit_cost": 1.5}, 21)
    trust, points = trust_seconds(analysis, {"price": 4.0})
    print(
        json.dumps(
            {
                "cells": SERIES * DAYS,
                "backtest_s": fitted,
                "recost_median_ms": recost_ms,
                "bootstrap_and_sensitivity_s": trust,
                "sweep_points": points,
                "peak_memory_mb": (peak_rss_bytes() - before) / 1e6,
                "recommended": analysis.impact.recommended.model,
                "auto_gain": analysis.impact.recommended.gain,
            }
        )
    )


if __name__ == "__main__":
    main()
