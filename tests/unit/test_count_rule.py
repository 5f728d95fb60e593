"""Counted demand is stocked at a count's quantile: the negative binomial (or Poisson) quantile at
the model's forecast, with the spread of its own errors, for busy series as for slow ones; a
series steadier than a count keeps the forecast plus its errors' quantile. Checked against
scipy's quantiles and by hand, in the backtest and in the next decisions alike."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from payoff.data.roles import Role, RoleMap, Shape
from payoff.engines.quantity_next import FORECAST, HIGH, next_decisions
from tests.helpers import analyse

ROLES = RoleMap({"date": Role.DATE, "shop": Role.SERIES_KEY, "units": Role.TARGET}, Shape.TIME_SERIES)
PRICE, UNIT_COST = 10.0, 4.0  # perishable: a critical ratio of (10 - 4) / 10 = 0.6
DAYS = 160


@pytest.fixture(scope="module")
def analysis():
    """Shop 'steady' sells exactly 20 a day; shop 'busy' a Poisson count with mean 20."""
    dates = pd.date_range("2025-01-01", periods=DAYS)
    busy = np.random.default_rng(7).poisson(20.0, DAYS)
    frame = pd.DataFrame(
        {
            "date": np.tile(dates, 2),
            "shop": np.repeat(["steady", "busy"], DAYS),
            "units": np.concatenate([np.full(DAYS, 20), busy]),
        }
    )
    return analyse(
        frame, ROLES, "perishable", models=["moving average"], params={"price": PRICE, "unit_cost": UNIT_COST}
    )


def rows_of(analysis, shop):
    return int(np.flatnonzero(analysis.predictions.panel.series["shop"].to_numpy() == shop)[0])


def test_a_steady_series_keeps_its_errors_quantile_and_costs_nothing(analysis):
    """Its forecast is exact, so its errors are all 0: it stocks 20 every day and loses nothing.
    Poisson's 60% quantile at 20 would be 21 (P(X <= 20) = 0.559), a unit over every day."""
    assert stats.poisson.ppf(0.6, 20) == 21  # the control: what a count's quantile would stock
    stock = analysis.impact.decisions["moving average"][rows_of(analysis, "steady")]
    assert stock.tolist() == [20.0] * len(stock)


def test_a_busy_count_is_stocked_at_its_count_quantile_at_the_forecast(analysis):
    predictions = analysis.predictions
    row, h = rows_of(analysis, "busy"), predictions.horizon
    forecast = predictions.model("moving average").forecast[row]
    errors = predictions.actual[row] - forecast
    stock = analysis.impact.decisions["moving average"][row]  # the scored windows' cells: 1 on
    assert len(stock) == (predictions.windows - 1) * h
    for k in range(1, predictions.windows):  # scored windows: the spread of the errors before k
        cells = slice(k * h, (k + 1) * h)
        level, second = forecast[cells].mean(), np.mean(errors[: k * h] ** 2)
        extra = second - level
        for mean, got in zip(forecast[cells], stock[(k - 1) * h : k * h], strict=True):
            if extra > 0:
                size = level**2 / extra
                expected = stats.nbinom.ppf(0.6, size, size / (size + mean))
            else:
                expected = stats.poisson.ppf(0.6, mean)
            assert got == expected


def test_next_decisions_take_the_same_rule(analysis):
    """The next orders: the busy shop's is the count quantile at its next forecast with the spread
    of every window's errors; the steady shop's is its forecast, 20."""
    frame = next_decisions(analysis.problem, analysis.predictions, analysis.impact, analysis.values)
    frame = frame[frame.columns[: frame.columns.get_loc(HIGH) + 2]]
    order = frame.columns[-1]
    steady, busy = frame[frame["shop"] == "steady"], frame[frame["shop"] == "busy"]
    assert steady[order].tolist() == [20.0] * len(steady)
    predictions = analysis.predictions
    row = rows_of(analysis, "busy")
    errors = predictions.actual[row] - predictions.model("moving average").forecast[row]
    means = busy[FORECAST].to_numpy(dtype=float)
    extra = np.mean(errors**2) - means.mean()
    assert extra > 0  # moving-average errors spread more than Poisson: the negative binomial
    size = means.mean() ** 2 / extra
    expected = stats.nbinom.ppf(0.6, size, size / (size + means))
    assert busy[order].to_numpy(dtype=float).tolist() == expected.tolist()


def test_count_quantiles_match_scipys_from_slow_to_busy_and_past_the_summed_steps():
    """The summed probabilities (packed as cells finish) against scipy's ppf, Poisson and negative
    binomial, at means from 0.2 to 400 (past MAX_COUNT_STEPS, where scipy takes over)."""
    from payoff.evaluate.policies import count_ppf

    rng = np.random.default_rng(11)
    mean = np.concatenate([rng.uniform(0.2, 3, 300), rng.uniform(3, 60, 300), rng.uniform(150, 400, 40)])
    q = rng.uniform(0.05, 0.97, mean.size)
    size = np.where(rng.random(mean.size) < 0.5, np.inf, rng.uniform(1.0, 80.0, mean.size))
    got = count_ppf(q, mean, size)
    nb = np.isfinite(size)
    expected = np.where(
        nb,
        stats.nbinom.ppf(q, np.where(nb, size, 1.0), np.where(nb, size, 1.0) / (np.where(nb, size, 1.0) + mean)),
        stats.poisson.ppf(q, mean),
    )
    assert got.tolist() == expected.tolist()


def test_a_series_is_steady_only_on_errors_of_its_own():
    """Nine errors of 0 are too few to call a series steady (its errors' quantile would then be
    the catalogue's, as the residual quantile pools below MIN_RESIDUALS); ten are enough."""
    from payoff.evaluate.policies import MIN_RESIDUALS, steadier_than_counts

    mean = np.full((2, 7), 20.0)
    errors = np.full((2, MIN_RESIDUALS), np.nan)
    errors[0, : MIN_RESIDUALS - 1] = 0.0
    errors[1] = 0.0
    assert steadier_than_counts(mean, errors).tolist() == [False, True]


def test_a_series_the_refit_misses_is_decided_from_its_last_value(analysis, monkeypatch):
    """As the backtest decides a series its model gave no forecast for: its last value, counted,
    not a forecast of 0 (whose count quantile would order nothing)."""
    from payoff.engines import quantity_next

    class Missing:  # a model that forecasts nothing for any series
        def build(self, season):
            return self

        def fit(self, y):
            self.series = y.shape[0]
            return self

        def predict(self, horizon):
            return np.full((self.series, horizon), np.nan)

    monkeypatch.setattr(quantity_next, "quantity_spec", lambda name: Missing())
    predictions = analysis.predictions
    fresh = replace(predictions, panel=predictions.panel)  # no refit kept from another test
    frame = next_decisions(analysis.problem, fresh, analysis.impact, analysis.values)
    busy = frame[frame["shop"] == "busy"]
    last = predictions.panel.y[rows_of(analysis, "busy"), -1]
    assert busy[FORECAST].tolist() == [last] * len(busy)
    order = frame.columns[frame.columns.get_loc(HIGH) + 1]
    assert (busy[order] >= last - 10).all() and (busy[order] > 0).all()


def test_the_likely_range_is_read_from_the_forecast_the_orders_were_taken_from():
    """A shop shut on Sundays: its next Sundays are zeroed, but its open days' range is the count
    quantile of the same distribution the orders came from (the mean over every day ahead,
    Sundays' forecasts included), not one whose mean the zeroed Sundays pulled down."""
    days = 140
    dates = pd.date_range("2025-01-06", periods=days)  # a Monday
    rng = np.random.default_rng(3)
    units = rng.poisson(20.0 * rng.gamma(5.0, 0.2, days))  # variance 20 + 400 / 5: wider than Poisson
    frame = pd.DataFrame({"date": dates, "shop": "corner", "units": units})[dates.day_of_week != 6]  # no Sunday rows
    analysis = analyse(
        frame, ROLES, "perishable", models=["moving average"], params={"price": PRICE, "unit_cost": UNIT_COST}
    )
    predictions = analysis.predictions
    # the moving average's decisions, as the Decisions page shows a model picked in the table
    impact = replace(analysis.impact, recommended=replace(analysis.impact.recommended, model="moving average"))
    decisions = next_decisions(analysis.problem, predictions, impact, analysis.values)
    unshut = predictions.__dict__["_refitted"][("moving average", None)][0]  # the refit, kept
    sunday = pd.DatetimeIndex(decisions["Period"]).day_of_week == 6
    assert sunday.any() and (decisions.loc[sunday, HIGH] == 0).all()
    errors = predictions.actual[0] - predictions.model("moving average").forecast[0]
    extra = np.nanmean(errors**2) - unshut.mean()
    assert extra > 0  # the negative binomial, whose size the mean sets
    size = unshut.mean() ** 2 / extra
    high = stats.nbinom.ppf(0.9, size, size / (size + unshut))
    assert decisions.loc[~sunday, HIGH].tolist() == high[~sunday].tolist()
