"""Peers side by side (`make bench-peers`; the peers live in the `peers` extra, never a runtime
dependency). Each tool runs in its own fresh process, so its time and peak memory are its own.

Quantity, on the oracle workload (500 series x 730 days, 4 tests of 28 days, perishable at
price 10 and unit cost 4, critical ratio 0.6):
- payoff: the full default backtest (7 models, a calibration window and 4 tests), auto's orders;
- statsforecast: `cross_validation` with AutoETS and SeasonalNaive on the same 4 windows; the
  60% quantile is the upper end of its 20% interval, rounded up to whole units as Payoff rounds;
- prophet: one model per series and window (the planned promotion as a regressor) on the first
  50 series, its 60% quantile the upper end of a 20% interval; compared on those 50 series.
Every order is priced by the same formula as Payoff's money and reported against the oracle.

Targeting, on the targeting benchmark's 100,000 customers (churn framing, default costs):
- payoff: every default model out of fold on 5 folds, auto's list;
- tuned: scikit-learn's TunedThresholdClassifierCV around HistGradientBoosting, its threshold
  tuned for money (a scorer that prices its decisions with each customer's value), predicted
  out of fold on the same 5 folds. Both are priced by Payoff's churn cells, as gain over the
  status quo of calling nobody."""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import poisson

from tests.bench.common import peak_rss_bytes
from tests.bench.oracle import DAYS, PRICE, UNIT_COST, truth
from tests.bench.peers_real import TOOLS as REAL_TOOLS
from tests.bench.workloads import WORKLOADS

SERIES, HORIZON, WINDOWS, PROPHET_SERIES = 500, 28, 4, 50
UNDER, OVER = PRICE - UNIT_COST, UNIT_COST
TAU = UNDER / (UNDER + OVER)


def newsvendor(actual: np.ndarray, stock: np.ndarray) -> float:
    return float((UNDER * np.maximum(actual - stock, 0) + OVER * np.maximum(stock - actual, 0)).sum())


def test_cells() -> np.ndarray:
    return np.arange(DAYS - WINDOWS * HORIZON, DAYS)


def _workload(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The 500-series daily workload: the shared profile (issue 10's) or each series' own shape."""
    if name == "shared":
        return truth(SERIES)
    workload = WORKLOADS[name](SERIES)
    assert workload.rate.shape == (SERIES, DAYS) and workload.features == ("promo",)
    return workload.frame, workload.rate


def quantity_payoff(workload: str = "shared") -> dict[str, object]:
    from payoff.analysis import run_analysis
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.models.catalogue import AUTO
    from payoff.problem import make_problem

    frame, rate = _workload(workload)
    demand = frame["units"].to_numpy().reshape(SERIES, DAYS)
    roles = RoleMap(
        {"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET, "promo": Role.FEATURE}, Shape.TIME_SERIES
    )
    start = time.perf_counter()
    problem = make_problem(frame, roles, "perishable", params={"price": PRICE, "unit_cost": UNIT_COST}, horizon=28)
    analysis = run_analysis(problem)
    seconds = time.perf_counter() - start
    cells = analysis.predictions.periods[analysis.predictions.scored]
    assert np.array_equal(cells, test_cells())
    actual, oracle = demand[:, cells], poisson.ppf(TAU, rate[:, cells])
    stock = analysis.impact.decisions[AUTO]
    best = min(
        (newsvendor(actual, analysis.impact.decisions[m.name]), m.name)
        for m in analysis.impact.models
        if m.kind == "model"
    )
    few = slice(0, PROPHET_SERIES)
    return {
        "seconds": seconds,
        "vs_oracle": newsvendor(actual, stock) / newsvendor(actual, oracle),
        "best_model": best[1],
        "best_vs_oracle": best[0] / newsvendor(actual, oracle),
        "vs_oracle_first_50": newsvendor(actual[few], stock[few]) / newsvendor(actual[few], oracle[few]),
        "peak_memory_mb": peak_rss_bytes() / 2**20,
    }


def quantity_statsforecast(n_jobs: int = -1, workload: str = "shared") -> dict[str, object]:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, SeasonalNaive

    frame, rate = _workload(workload)
    demand = frame["units"].to_numpy().reshape(SERIES, DAYS)
    long = frame.rename(columns={"item": "unique_id", "date": "ds", "units": "y"})[["unique_id", "ds", "y"]]
    long["y"] = long["y"].astype(float)
    start = time.perf_counter()
    # Both cores by default, as Payoff's own run uses them; statsforecast's own default is one.
    sf = StatsForecast(models=[AutoETS(season_length=7), SeasonalNaive(season_length=7)], freq="D", n_jobs=n_jobs)
    level = round(200 * TAU - 100)  # the upper end of a central 20% interval is the 60% quantile
    cv = sf.cross_validation(df=long, h=HORIZON, n_windows=WINDOWS, step_size=HORIZON, level=[level])
    seconds = time.perf_counter() - start
    cells = test_cells()
    actual, oracle = demand[:, cells], poisson.ppf(TAU, rate[:, cells])
    out: dict[str, object] = {"seconds": seconds, "peak_memory_mb": peak_rss_bytes() / 2**20}
    cv = cv.sort_values(["unique_id", "ds"])
    for model in ("AutoETS", "SeasonalNaive"):
        quantile = cv[f"{model}-hi-{level}"].to_numpy().reshape(SERIES, len(cells))
        stock = np.ceil(np.maximum(quantile, 0.0) - 1e-9)  # whole units, rounded up as Payoff rounds
        out[f"{model}_vs_oracle"] = newsvendor(actual, stock) / newsvendor(actual, oracle)
    return out


def quantity_prophet() -> dict[str, object]:
    import logging

    from prophet import Prophet

    logging.getLogger("cmdstanpy").setLevel(logging.ERROR)
    logging.getLogger("prophet").setLevel(logging.ERROR)
    frame, rate = truth(SERIES)
    demand = frame["units"].to_numpy().reshape(SERIES, DAYS)
    dates = pd.date_range("2024-01-01", periods=DAYS)
    promo = frame["promo"].to_numpy().reshape(SERIES, DAYS)
    cells = test_cells()
    stock = np.zeros((PROPHET_SERIES, len(cells)))
    start = time.perf_counter()
    for i in range(PROPHET_SERIES):
        history = pd.DataFrame({"ds": dates, "y": demand[i].astype(float), "promo": promo[i]})
        for w in range(WINDOWS):
            origin = DAYS - (WINDOWS - w) * HORIZON
            model = Prophet(interval_width=2 * TAU - 1, weekly_seasonality=True, yearly_seasonality=True)
            model.add_regressor("promo")
            model.fit(history.iloc[:origin])
            future = history.iloc[origin : origin + HORIZON][["ds", "promo"]]
            quantile = model.predict(future)["yhat_upper"].to_numpy()
            stock[i, w * HORIZON : (w + 1) * HORIZON] = np.ceil(np.maximum(quantile, 0.0) - 1e-9)
    seconds = time.perf_counter() - start
    actual, oracle = demand[:PROPHET_SERIES, cells], poisson.ppf(TAU, rate[:PROPHET_SERIES, cells])
    return {
        "seconds": seconds,
        "fits": PROPHET_SERIES * WINDOWS,
        "vs_oracle_first_50": newsvendor(actual, stock) / newsvendor(actual, oracle),
        "peak_memory_mb": peak_rss_bytes() / 2**20,
    }


def _churn_problem():
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.problem import make_problem
    from tests.bench.targeting import workload

    frame = workload()
    roles = {c: Role.FEATURE for c in frame.columns}
    roles.update(value=Role.VALUE, churned=Role.TARGET)
    return frame, make_problem(frame, RoleMap(roles, Shape.ENTITY, positive_class="yes"), "churn")


def targeting_payoff() -> dict[str, object]:
    from payoff.analysis import run_analysis

    _, problem = _churn_problem()
    start = time.perf_counter()
    analysis = run_analysis(problem)
    seconds = time.perf_counter() - start
    models = {m.name: m.gain for m in analysis.impact.models if m.kind == "model"}
    best = max(models, key=lambda k: models[k] or -np.inf)
    return {
        "seconds": seconds,
        "gain": analysis.impact.recommended.gain,
        "best_model": best,
        "best_gain": models[best],
        "peak_memory_mb": peak_rss_bytes() / 2**20,
    }


def targeting_tuned() -> dict[str, object]:
    import sklearn
    from sklearn.metrics import make_scorer
    from sklearn.model_selection import TunedThresholdClassifierCV

    from payoff.framings.base import param_arrays
    from payoff.framings.targeting import churn_cells
    from payoff.models import classifiers
    from tests.bench.targeting import gbm_pipeline

    frame, problem = _churn_problem()
    y = (frame["churned"] == "yes").to_numpy()
    features = [c for c in frame.columns if c != "churned"]

    def realised(values: np.ndarray, truth_: np.ndarray, acts: np.ndarray) -> float:
        parts = churn_cells(param_arrays(problem.values, {"value": values})).realised(acts, truth_.astype(bool))
        return float(sum(np.sum(v) for v in parts.values()))

    # The money of the decisions, each customer at their own value: the threshold search needs a
    # scorer made by make_scorer, and the values reach it through metadata routing.
    sklearn.set_config(enable_metadata_routing=True)
    scorer = make_scorer(
        lambda truth_, acts, value: realised(np.asarray(value), np.asarray(truth_), np.asarray(acts).astype(bool)),
        response_method="predict",
    ).set_score_request(value=True)
    model = gbm_pipeline(frame, features)
    splits = classifiers.folds(y.astype(int), None, 5)
    acts = np.zeros(len(y), dtype=bool)
    values = frame["value"].to_numpy()
    start = time.perf_counter()
    for train, test in splits:
        tuned = TunedThresholdClassifierCV(model, scoring=scorer, cv=5, random_state=0)
        tuned.fit(frame[features].iloc[train], y[train].astype(int), value=values[train])
        acts[test] = tuned.predict(frame[features].iloc[test]).astype(bool)
    seconds = time.perf_counter() - start
    nobody = realised(values, y, np.zeros(len(y), dtype=bool))
    return {
        "seconds": seconds,
        "gain": realised(values, y, acts) - nobody,
        "peak_memory_mb": peak_rss_bytes() / 2**20,
    }


TOOLS = {
    **REAL_TOOLS,
    "quantity_payoff": quantity_payoff,
    "quantity_statsforecast": quantity_statsforecast,
    "quantity_statsforecast_one_process": lambda: quantity_statsforecast(n_jobs=1),  # statsforecast's default
    "quantity_payoff_own_shape": lambda: quantity_payoff("own-shape"),
    "quantity_statsforecast_own_shape": lambda: quantity_statsforecast(workload="own-shape"),
    # the measure: statsforecast at its default process count (one)
    "quantity_statsforecast_own_shape_one_process": lambda: quantity_statsforecast(n_jobs=1, workload="own-shape"),
    "quantity_prophet": quantity_prophet,
    "targeting_payoff": targeting_payoff,
    "targeting_tuned": targeting_tuned,
}

if __name__ == "__main__":
    print(json.dumps(TOOLS[sys.argv[1]]()))
