"""Slow movers against the oracle: 500 Poisson series x 730 days with daily means from 0.1 to 2
and a weekly pattern, the perishable framing at price 10 and unit cost 4 (critical ratio 0.6).
The oracle knows each day's true mean and stocks its Poisson 60% quantile; every model's and
auto's whole-unit decisions are priced by the same formula on the same test days and reported as
a ratio to the oracle's cost."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd

from tests.bench.common import peak_rss_bytes
from tests.bench.oracle import PRICE, UNIT_COST, ratios_to_oracle

SERIES, DAYS = 500, 730
WEEKLY = np.array([0.7, 0.8, 0.9, 1.0, 1.1, 1.5, 1.0])


def truth() -> tuple[pd.DatetimeIndex, np.ndarray]:
    rng = np.random.default_rng(5)
    dates = pd.date_range("2024-01-01", periods=DAYS)
    means = np.exp(rng.uniform(np.log(0.1), np.log(2.0), SERIES))
    return dates, means[:, None] * (WEEKLY / WEEKLY.mean())[dates.day_of_week][None, :]


def main() -> None:
    from payoff.analysis import run_analysis
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.models.catalogue import AUTO
    from payoff.problem import make_problem

    dates, rate = truth()
    demand = np.random.default_rng(6).poisson(rate)
    frame = pd.DataFrame(
        {
            "date": np.tile(dates, SERIES),
            "item": np.repeat([f"part {i:03d}" for i in range(SERIES)], DAYS),
            "units": demand.reshape(-1),
        }
    )
    roles = RoleMap({"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET}, Shape.TIME_SERIES)
    problem = make_problem(frame, roles, "perishable", params={"price": PRICE, "unit_cost": UNIT_COST})
    start = time.perf_counter()
    analysis = run_analysis(problem)
    seconds = time.perf_counter() - start
    ratios = ratios_to_oracle(analysis, rate, demand)
    best = min((v, k) for k, v in ratios.items() if k != AUTO)
    print(
        json.dumps(
            {
                "zero_share": float((demand == 0).mean()),
                "models": list(problem.models),
                "backtest_s": seconds,
                "auto_vs_oracle": ratios[AUTO],
                "best_model": best[1],
                "best_vs_oracle": best[0],
                **{f"{k}_vs_oracle": v for k, v in ratios.items() if k != AUTO},
                "peak_memory_mb": peak_rss_bytes() / 2**20,
            }
        )
    )


if __name__ == "__main__":
    main()
