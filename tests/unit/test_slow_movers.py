"""Slow movers: Croston (SBA) and TSB, checked by hand, offered by default only when most periods
sell nothing, and turned into whole-unit decisions."""

import numpy as np
import pandas as pd
import pytest

from payoff.data.roles import Role, RoleMap, Shape
from payoff.models.catalogue import INTERMITTENT
from payoff.models.forecasters import TSB, Croston
from payoff.problem import make_problem
from tests.helpers import analyse

SALES = np.array([[0, 3, 0, 0, 2, 0.0]])


def test_croston_by_hand():
    # start: size 2.5 (mean sale), interval 3 (6 periods / 2 sales); a = 0.5
    # sale of 3 two periods in: size 2.75, interval 2.5; sale of 2 three later: size 2.375, interval 2.75
    assert Croston(alpha=0.5, corrected=False).fit(SALES).predict(2)[0] == pytest.approx([2.375 / 2.75] * 2)
    assert Croston(alpha=0.5).fit(SALES).rate_ == pytest.approx([0.75 * 2.375 / 2.75])  # SBA: x (1 - a/2)


def test_tsb_by_hand():
    # probability 1/3 -> 1/6 (no sale) -> 7/12 (sale) -> 7/24 -> 7/48 -> 55/96 (sale) -> 55/192; size 2.375
    assert TSB(alpha=0.5, beta=0.5).fit(SALES).rate_ == pytest.approx([55 / 192 * 2.375])


def test_a_series_that_never_sold_forecasts_zero_and_gaps_are_skipped():
    y = np.array([[0, 0, 0, 0.0], [np.nan, 2, np.nan, 2]])
    assert Croston().fit(y).rate_ == pytest.approx([0.0, 0.95 * 2.0])
    assert TSB().fit(y).rate_ == pytest.approx([0.0, 2.0])


def slow(days: int = 240, items: int = 4, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2025-01-01", periods=days, freq="D")
    weekday = np.array([0.6, 0.8, 1.0, 1.0, 1.2, 1.6, 0.8])[dates.day_of_week]
    rates = np.linspace(0.1, 0.6, items)
    return pd.DataFrame(
        {
            "date": np.tile(dates, items),
            "item": np.repeat([f"spare part {i}" for i in range(items)], days),
            "units": rng.poisson(np.outer(rates, weekday)).reshape(-1),
        }
    )


ROLES = RoleMap({"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET}, Shape.TIME_SERIES)


def test_intermittent_models_are_offered_only_for_mostly_zero_demand():
    frame = slow()
    assert (frame["units"] == 0).mean() > 0.5
    assert set(INTERMITTENT) <= set(make_problem(frame, ROLES, "perishable").models)
    busy = frame.assign(units=frame["units"] + 5)
    assert not set(INTERMITTENT) & set(make_problem(busy, ROLES, "perishable").models)
    named = make_problem(busy, ROLES, "perishable", models=["tsb"]).models
    assert named == ("tsb",)  # explicit beats detected


def test_slow_movers_get_whole_unit_decisions():
    analysis = analyse(slow(), ROLES, "perishable", models=["croston (sba)", "tsb", "seasonal naive"])
    for name in ("croston (sba)", "tsb"):
        entry = analysis.impact.model(name)
        assert not entry.failed and entry.money is not None
        decisions = analysis.impact.decisions[name]
        assert np.array_equal(decisions, np.ceil(decisions))


def test_count_quantile_by_hand():
    from payoff.evaluate.policies import count_quantile

    # Poisson(0.5): P(0) = e^-0.5 = 0.607, P(<=1) = 0.910 -> the 0.6 quantile is 0, the 0.7 quantile 1
    no_spread = np.full((1, 10), np.nan)  # no errors yet: Poisson
    assert count_quantile(np.array([[0.5, 0.5]]), np.array([[0.6, 0.7]]), no_spread).tolist() == [[0.0, 1.0]]
    # errors with variance 3 around a mean of 1: negative binomial with k = 1^2 / (3 - 1) = 0.5, p = 1/3;
    # P(0) = (1/3)^0.5 = 0.577, P(1) = 0.5 * (1/3)^0.5 * (2/3) = 0.192 -> P(<=1) = 0.770: the 0.6 quantile is 1
    errors = np.sort(np.array([[np.sqrt(3.0), -np.sqrt(3.0)] * 5]), axis=1)
    assert count_quantile(np.array([[1.0]]), np.array([[0.6]]), errors).tolist() == [[1.0]]
    assert count_quantile(np.array([[1.0]]), np.array([[0.55]]), errors).tolist() == [[0.0]]


def test_slow_movers_are_stocked_from_count_quantiles():
    analysis = analyse(slow(), ROLES, "perishable", models=["moving average"], params={"price": 10, "unit_cost": 4})
    decisions = analysis.impact.decisions["moving average"]
    # a residual quantile added to a fractional forecast and rounded up would stock >= 1 nearly always;
    # at means of 0.1 to 0.6 and a 60% critical ratio the right stock is mostly 0
    assert (decisions == 0).mean() > 0.5


def test_offsets_match_a_cell_by_cell_reference():
    """The re-pricing's shortcuts (one quantile per series when its ratio is flat, every cell in
    one count-quantile call, dispersions kept) give what each cell's own numpy quantile (demand
    not counted) or scipy ppf (counted demand, slow or busy) gives, for flat and per-cell ratios."""
    from scipy import stats

    from payoff.evaluate.offsets import offsets
    from payoff.evaluate.predictions import Forecasts, QuantityPredictions
    from payoff.models.panel import Panel
    from payoff.timegrid import Frequency

    rng = np.random.default_rng(5)
    series, days, horizon, starts = 6, 100, 10, (60, 70, 80, 90)
    rates = np.array([0.3, 0.8, 1.5, 6.0, 12.0, 2.5])  # three slow, then busy, busy, slow
    y = rng.poisson(rates[:, None] * np.ones(days)).astype(float)
    panel = Panel(
        y, pd.date_range("2025-01-01", periods=days), pd.DataFrame({"item": list("abcdef")}), Frequency("day"), 7
    )
    forecast = rates[:, None] * rng.uniform(0.7, 1.3, (series, len(starts) * horizon))
    entry = Forecasts("model", forecast, np.zeros(forecast.shape, bool))
    predictions = QuantityPredictions(panel, starts, horizon, (entry,))
    errors = predictions.actual - forecast
    taus = (np.full(forecast.shape, 0.6), rng.uniform(0.2, 0.95, forecast.shape))
    for tau, counts in [(tau, counts) for tau in taus for counts in (False, True)]:
        got = offsets(predictions, "model", tau, counts=counts)
        for k in range(len(starts)):
            pool = errors[:, : k * horizon] if k else errors[:, :horizon]
            for i in range(series):
                for j in range(k * horizon, (k + 1) * horizon):
                    m = forecast[i, k * horizon : (k + 1) * horizon].mean()
                    n = len(pool[i])  # errors spread two standard errors below a count's
                    steady = n >= 10 and np.mean(pool[i] ** 2) < m * (1 - 2 * np.sqrt((1 / m + 2) / n))
                    if not counts or steady:  # the forecast plus its errors' quantile
                        expected = np.quantile(pool[i], tau[i, j])
                    else:  # counted demand, slow or busy: the count quantile at the forecast
                        extra = np.mean(pool[i] ** 2) - m
                        mean = forecast[i, j]
                        if extra > 1e-9:
                            size = m**2 / extra
                            count = stats.nbinom.ppf(tau[i, j], size, size / (size + mean))
                        else:
                            count = stats.poisson.ppf(tau[i, j], mean)
                        expected = count - mean
                    assert got[i, j] == pytest.approx(expected, abs=1e-9), (k, i, j)
