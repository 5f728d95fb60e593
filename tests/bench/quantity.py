"""Quantity benchmark: 500 series x 730 days, full default backtest (7 models, 4 tests, horizon
28), the re-pricing of a cost change, and 1,000 bootstrap replicates plus the full sensitivity sweep. Fresh process per repetition (peak memory is its own)."""

from __future__ import annotations

import json
import time

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


def main() -> None:
    from payoff.analysis import recost, run_analysis
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.problem import make_problem

    frame = workload()
    roles = RoleMap(
        {"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET, "promo": Role.FEATURE}, Shape.TIME_SERIES
    )
    before = rss_bytes()
    start = time.perf_counter()
    problem = make_problem(frame, roles, "perishable", params={"price": 4.0, "unit_cost": 1.5}, horizon=28)
    analysis = run_analysis(problem)
    fitted = time.perf_counter() - start
    timings = []
    for price in np.linspace(3.0, 6.0, 21):
        tick = time.perf_counter()
        recost(analysis, {"price": float(price), "unit_cost": 1.5})
        timings.append(time.perf_counter() - tick)
    trust, points = trust_seconds(analysis, {"price": 4.0})
    print(
        json.dumps(
            {
                "cells": SERIES * DAYS,
                "backtest_s": fitted,
                "recost_median_ms": float(np.median(timings) * 1000),
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
