"""Peers on real files (`make bench-peers`): Walmart's 45 stores against statsforecast's AutoETS
with a 52-week season, and, on Walmart and the yaz restaurant, the direct quantile
gradient-boosting peer (the "data-driven newsvendor", tests/bench/direct_quantile.py).

Every tool orders at the same critical ratio (0.6: perishable at price 1, unit cost 0.4 per unit
of the target, dollars on Walmart) on the same windows as Payoff's backtest, and every order is
priced by the one newsvendor formula: 0.6 per unit short, 0.4 per unit left over.

Walmart's windows are Payoff's own on a weekly file of 143 weeks: 4 tests of 8 weeks, the last
32 weeks. The statsforecast tool runs in .venv-peers, where Payoff's pandas is not, so it reads
the CSV itself; the Payoff tool checks the windows are these, or the comparison would be unfair."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from tests.bench.common import peak_rss_bytes

# As tests/realdata.py has it, without its pytest: the peers' environment has none.
REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"

PRICE, UNIT_COST = 1.0, 0.4
UNDER, OVER = PRICE - UNIT_COST, UNIT_COST
TAU = UNDER / (UNDER + OVER)
WALMART = REALDATA / "walmart_weekly" / "Walmart.csv"
YAZ = REALDATA / "yaz_restaurant" / "yaz_ingredients_daily.csv"
WALMART_HORIZON, WALMART_WINDOWS = 8, 4


def newsvendor(actual: np.ndarray, stock: np.ndarray) -> float:
    return float((UNDER * np.maximum(actual - stock, 0) + OVER * np.maximum(stock - actual, 0)).sum())


def walmart_table() -> pd.DataFrame:
    """Stores x weeks, sorted as both tools see them."""
    frame = pd.read_csv(WALMART)
    frame["Date"] = pd.to_datetime(frame["Date"], format="%d/%m/%y")
    return frame.sort_values(["Store", "Date"]).reset_index(drop=True)


def _payoff_on(path: Path, target: str | None, country: str) -> dict[str, object]:
    """Payoff's backtest on a real file (its detected roles, perishable at the ratio above): auto's
    cost, the best single model's, and the direct quantile peer's on the same windows."""
    from payoff.analysis import run_analysis
    from payoff.data.load import read_table
    from payoff.data.roles import Role, RoleMap, suggest_roles
    from payoff.models.catalogue import AUTO, STATUS_QUO
    from payoff.problem import make_problem
    from tests.bench.direct_quantile import direct_quantile_orders

    frame = read_table(path.read_bytes(), path.name).frame
    roles = suggest_roles(frame)
    if target:
        roles = RoleMap({**roles.roles, target: Role.TARGET}, roles.shape)
    params = {"price": PRICE, "unit_cost": UNIT_COST}
    start = time.perf_counter()
    problem = make_problem(frame, roles, "perishable", params=params, source=path.name, country=country)
    analysis = run_analysis(problem)
    seconds = time.perf_counter() - start
    predictions = analysis.predictions
    cells = predictions.periods[predictions.scored]
    actual = predictions.actual[:, predictions.scored]
    costs = {}
    for entry in analysis.impact.models:
        if entry.money is None or entry.name == STATUS_QUO:
            continue
        costs[entry.name] = newsvendor(actual, analysis.impact.decisions[entry.name])
        # The formula here and Payoff's money must agree, or the comparison means nothing.
        assert abs(costs[entry.name] - entry.money) <= 1e-6 * max(entry.money, 1.0), (entry.name, entry.money)
    direct = direct_quantile_orders(predictions, TAU, country)[:, predictions.scored]
    best = min((cost, name) for name, cost in costs.items() if name != AUTO)
    return {
        "seconds": seconds,
        "cells": [int(cells[0]), int(cells[-1]), len(cells)],
        "auto_cost": costs[AUTO],
        "auto_picks": analysis.impact.recommended.model,
        "best_model": best[1],
        "best_cost": best[0],
        "direct_quantile_cost": newsvendor(actual, direct),
        "auto_vs_direct_quantile": costs[AUTO] / newsvendor(actual, direct),
        **{f"{name}_cost": cost for name, cost in costs.items() if name != AUTO},
        "peak_memory_mb": peak_rss_bytes() / 2**20,
    }


def walmart_payoff() -> dict[str, object]:
    out = _payoff_on(WALMART, None, "US")
    weeks = walmart_table()["Date"].nunique()
    tested = WALMART_HORIZON * WALMART_WINDOWS
    assert out["cells"] == [weeks - tested, weeks - 1, tested], out["cells"]  # the windows statsforecast uses
    return out


def yaz_payoff() -> dict[str, object]:
    return _payoff_on(YAZ, "demand", "DE")


def walmart_statsforecast() -> dict[str, object]:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, SeasonalNaive

    frame = walmart_table()
    long = pd.DataFrame({"unique_id": frame["Store"], "ds": frame["Date"], "y": frame["Weekly_Sales"].astype(float)})
    stores, weeks = long["unique_id"].nunique(), long["ds"].nunique()
    start = time.perf_counter()
    sf = StatsForecast(models=[AutoETS(season_length=52), SeasonalNaive(season_length=52)], freq="W-FRI", n_jobs=-1)
    level = round(200 * TAU - 100)  # the upper end of a central 20% interval is the 60% quantile
    cv = sf.cross_validation(
        df=long, h=WALMART_HORIZON, n_windows=WALMART_WINDOWS, step_size=WALMART_HORIZON, level=[level]
    )
    seconds = time.perf_counter() - start
    cv = cv.sort_values(["unique_id", "ds"])
    tested = WALMART_HORIZON * WALMART_WINDOWS
    actual = long["y"].to_numpy().reshape(stores, weeks)[:, weeks - tested :]
    out: dict[str, object] = {"seconds": seconds, "peak_memory_mb": peak_rss_bytes() / 2**20}
    for model in ("AutoETS", "SeasonalNaive"):
        stock = np.maximum(cv[f"{model}-hi-{level}"].to_numpy().reshape(stores, tested), 0.0)  # dollars: not rounded
        out[f"{model}_cost"] = newsvendor(actual, stock)
    return out


TOOLS = {"walmart_payoff": walmart_payoff, "walmart_statsforecast": walmart_statsforecast, "yaz_payoff": yaz_payoff}
