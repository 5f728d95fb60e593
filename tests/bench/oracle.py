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
from tests.bench.direct_quantile import direct_quantile_orders
from tests.bench.workloads import DEFAULT_SERIES, WORKLOADS, Workload, shared

DAYS = 730
PRICE, UNIT_COST = 10.0, 4.0
DIRECT = "direct quantile gbm (peer)"


def truth(series: int, days: int = DAYS, seed: int = 11) -> tuple[pd.DataFrame, np.ndarray]:
    """The shared-profile table a user would upload, and the true daily mean of every cell."""
    workload = shared(series, days, seed)
    return workload.frame, workload.rate


def ratios_to_oracle(analysis, rate: np.ndarray, demand: np.ndarray, direct: bool = False) -> dict[str, float]:
    """Each priced entry's cost on the scored test days over the oracle's, by the one formula;
    with `direct`, also the direct quantile gradient-boosting peer's on the same windows."""
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
    if direct:  # the peer: not a Payoff entry, priced by the same formula on the same cells
        orders = direct_quantile_orders(analysis.predictions, tau)[:, predictions.scored]
        out[DIRECT] = cost(orders) / oracle
    return out


def main() -> None:
    from payoff.analysis import run_analysis
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.models.catalogue import AUTO
    from payoff.problem import make_problem
    from payoff.runtime.compute import Compute

    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", choices=list(WORKLOADS), default="shared")
    parser.add_argument("--series", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--direct", action="store_true", help="also the direct quantile gradient-boosting peer")
    parser.add_argument("--models", default="", help="comma-separated; every default model when empty")
    args = parser.parse_args()
    series = args.series or DEFAULT_SERIES[args.workload]
    workload: Workload = WORKLOADS[args.workload](series)
    frame = workload.frame
    roles = RoleMap(
        {
            "date": Role.DATE,
            "item": Role.SERIES_KEY,
            "units": Role.TARGET,
            **{name: Role.FEATURE for name in workload.features},
        },
        Shape.TIME_SERIES,
    )
    start = time.perf_counter()
    problem = make_problem(
        frame,
        roles,
        "perishable",
        params={"price": PRICE, "unit_cost": UNIT_COST},
        horizon=workload.horizon,
        models=[m for m in args.models.split(",") if m] or None,
    )
    analysis = run_analysis(problem, compute=Compute(workers=args.workers))
    seconds = time.perf_counter() - start
    ratios = ratios_to_oracle(analysis, workload.rate, workload.demand, direct=args.direct)
    best = min((v, k) for k, v in ratios.items() if k not in (AUTO, DIRECT))
    print(
        json.dumps(
            {
                "workload": args.workload,
                "series": series,
                "workers": args.workers,
                "rows": len(frame),
                "backtest_s": seconds,
                "auto_vs_oracle": ratios[AUTO],
                "auto_picks": analysis.impact.recommended.model,
                "best_model": best[1],
                "best_vs_oracle": best[0],
                "auto_vs_best": ratios[AUTO] / best[0],
                **({"auto_vs_direct_quantile": ratios[AUTO] / ratios[DIRECT]} if args.direct else {}),
                **{f"{k}_vs_oracle": v for k, v in ratios.items() if k != AUTO},
                "peak_memory_mb": peak_rss_bytes() / 2**20,
            }
        )
    )


if __name__ == "__main__":
    main()
