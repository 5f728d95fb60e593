"""Every model's and auto's cost against the oracle, on a workload whose true demand is known.

The issue's workload: series x 730 days, weekly and yearly seasonality, promotions planned in
advance (a 0/1 column at the day they apply), Poisson noise; 4 tests of 28 days; the perishable
framing at price 10 and unit cost 4 (critical ratio 0.6). The oracle knows each day's true mean
and stocks its Poisson 60% quantile. Everything is priced by the same formula on the same test
days. ``--series`` sets the catalogue size (500 by default; the scale benchmark runs 5,000 and
20,000); ``--workers`` the processes for the per-series work."""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from scipy.stats import poisson

from tests.bench.common import peak_rss_bytes

DAYS = 730
PRICE, UNIT_COST = 10.0, 4.0
WEEKLY = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.4, 0.85])
PROMO_LIFT = 1.7


def truth(series: int, days: int = DAYS, seed: int = 11) -> tuple[pd.DataFrame, np.ndarray]:
    """The table a user would upload, and the true daily mean of every (series, day)."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days)
    weekday = WEEKLY[dates.day_of_week]
    season = 1 + 0.2 * np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - 350) / 365.25)
    base = rng.gamma(2.0, 6.0, series)[:, None]  # sizes differ by two orders of magnitude
    promo = (rng.random((series, days)) < 0.07).astype(np.int8)
    rate = base * weekday * season * np.where(promo == 1, PROMO_LIFT, 1.0)
    demand = rng.poisson(rate)
    frame = pd.DataFrame(
        {
            "date": np.tile(dates.to_numpy(), series),
            "item": np.repeat(np.array([f"SKU{i:05d}" for i in range(series)]), days),
            "units": demand.reshape(-1).astype(np.int32),
            "promo": promo.reshape(-1),
        }
    )
    return frame, rate


def ratios_to_oracle(analysis, rate: np.ndarray, demand: np.ndarray) -> dict[str, float]:
    """Each priced entry's cost on the scored test days over the oracle's, by the one formula."""
    from payoff.models.catalogue import STATUS_QUO

    predictions = analysis.predictions
    cells = predictions.periods[predictions.scored]
    actual = demand[:, cells].astype(float)
    under, over = PRICE - UNIT_COST, UNIT_COST
    tau = under / (under + over)

    def cost(stock: np.ndarray) -> float:
        return float((under * np.maximum(actual - stock, 0) + over * np.maximum(stock - actual, 0)).sum())

    oracle = cost(poisson.ppf(tau, rate[:, cells]))
    out = {}
    for entry in analysis.impact.models:
        if entry.money is None or entry.name == STATUS_QUO:
            continue
        priced = cost(analysis.impact.decisions[entry.name])
        # The benchmark's formula and Payoff's money must agree, or the ratio means nothing.
        assert abs(priced - entry.money) <= 1e-6 * max(entry.money, 1.0), (entry.name, priced, entry.money)
        out[entry.name] = priced / oracle
    return out


def main() -> None:
    from payoff.analysis import run_analysis
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.models.catalogue import AUTO
    from payoff.problem import make_problem
    from payoff.runtime.compute import Compute

    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    frame, rate = truth(args.series)
    demand = frame["units"].to_numpy().reshape(args.series, DAYS)
    roles = RoleMap(
        {"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET, "promo": Role.FEATURE}, Shape.TIME_SERIES
    )
    start = time.perf_counter()
    problem = make_problem(frame, roles, "perishable", params={"price": PRICE, "unit_cost": UNIT_COST}, horizon=28)
    analysis = run_analysis(problem, compute=Compute(workers=args.workers))
    seconds = time.perf_counter() - start
    ratios = ratios_to_oracle(analysis, rate, demand)
    best = min((v, k) for k, v in ratios.items() if k != AUTO)
    print(
        json.dumps(
            {
                "series": args.series,
                "workers": args.workers,
                "rows": len(frame),
                "backtest_s": seconds,
                "auto_vs_oracle": ratios[AUTO],
                "auto_picks": analysis.impact.recommended.model,
                "best_model": best[1],
                "best_vs_oracle": best[0],
                **{f"{k}_vs_oracle": v for k, v in ratios.items() if k != AUTO},
                "peak_memory_mb": peak_rss_bytes() / 2**20,
            }
        )
    )


if __name__ == "__main__":
    main()
