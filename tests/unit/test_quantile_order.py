"""The order model (issue 21): gradient boosting that learns the decision quantile itself, priced
as its own orders at the costs it was fitted at, shifted by its own errors at a what-if's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from payoff.carry.results import to_json
from payoff.carry.serial import from_bytes, to_bytes
from payoff.data.roles import Role, RoleMap, Shape
from payoff.evaluate import policies
from payoff.evaluate.quantity_money import price_entries
from payoff.models.features import build_features
from payoff.models.panel import Panel
from payoff.models.regression import LinearQuantile, QuantileBoosting
from payoff.timegrid import Frequency
from tests.helpers import analyse

ORDER = "quantile boosting"


@pytest.mark.parametrize("model", [QuantileBoosting, LinearQuantile])
def test_its_orders_cover_demand_as_often_as_the_ratio_says(model):
    """Long Poisson series with a weekly pattern: the model's 0.8 quantile, rounded up, leaves
    demand at or under it on at least about 80% of the next days and strictly under it on at most
    about 80% (the definition of a quantile of whole units); the same at 0.3. Sampling error over
    80 series x 28 days is about 1 point. The linear twin (LinearQuantile) likewise."""
    rng = np.random.default_rng(5)
    days = 600
    dates = pd.date_range("2024-01-01", periods=days)
    rate = rng.uniform(5, 40, (80, 1)) * np.array([0.7, 0.8, 1.0, 1.0, 1.2, 1.6, 0.7])[dates.day_of_week][None, :]
    y = rng.poisson(rate).astype(float)
    panel = Panel(y, dates, pd.DataFrame({"item": [f"i{i}" for i in range(80)]}), Frequency("day"), 7)
    end, horizon = days - 28, 28
    features = build_features(panel, horizon)
    for tau in (0.8, 0.3):
        order = model(quantile=tau).fit(features, panel, end, horizon).predict(horizon)
        stock = np.ceil(order - 1e-9)
        # whole units: demand is under the stock on fewer than tau of the days, at or under it on more
        below, at_most = float(np.mean(y[:, end:] < stock)), float(np.mean(y[:, end:] <= stock))
        assert below < tau + 0.03 and at_most > tau - 0.03, (tau, below, at_most)


def bakery_analysis(model: str):
    """12 loaves over 240 days, busier at weekends, perishable at price 5 and unit cost 2."""
    rng = np.random.default_rng(8)
    days, series = 240, 12
    dates = pd.date_range("2025-01-06", periods=days)
    rate = rng.uniform(8, 30, (series, 1)) * np.where(dates.day_of_week >= 5, 1.5, 1.0)[None, :]
    frame = pd.DataFrame(
        {
            "date": np.tile(dates, series),
            "item": np.repeat([f"loaf {i}" for i in range(series)], days),
            "sold": rng.poisson(rate).reshape(-1),
        }
    )
    roles = RoleMap({"date": Role.DATE, "item": Role.SERIES_KEY, "sold": Role.TARGET}, Shape.TIME_SERIES)
    return analyse(frame, roles, "perishable", params={"price": 5, "unit_cost": 2}, models=["naive", model])


@pytest.fixture(scope="module")
def bakery():
    return bakery_analysis(ORDER)


def test_at_the_run_costs_its_orders_are_its_own_rounded_up(bakery):
    entry = bakery.predictions.model(ORDER)
    assert entry.ratio == pytest.approx(3 / 5)  # (price - cost) / price
    decisions = bakery.impact.decisions[ORDER]
    forecast = entry.forecast[:, bakery.predictions.scored]
    np.testing.assert_array_equal(decisions, np.ceil(np.round(forecast, 9)))


def test_a_what_if_moves_its_orders_by_its_own_errors(bakery):
    """At a unit cost of 4 the ratio is 0.2: each window's order moves by the 0.2 quantile of the
    model's earlier errors less their 0.6 quantile (numpy's quantiles, by hand)."""
    predictions = bakery.predictions
    framing = bakery.problem.framing
    priced, _, _, _ = price_entries(framing, {**dict(bakery.problem.values), "unit_cost": 4.0}, predictions)
    decisions = next(p for p in priced if p.name == ORDER).decisions
    entry = predictions.model(ORDER)
    errors = predictions.actual - entry.forecast
    h = predictions.horizon
    for k in range(1, predictions.windows):
        before = errors[:, predictions.window_of < k]
        shift = np.array([np.quantile(row, 0.2) - np.quantile(row, 0.6) for row in before])
        cells = slice(k * h, (k + 1) * h)
        expected = np.ceil(np.round(np.maximum(entry.forecast[:, cells] + shift[:, None], 0.0), 9))
        np.testing.assert_array_equal(decisions[:, cells], expected)


def test_the_ratio_it_learned_at_is_saved_with_the_analysis(bakery):
    reopened = from_bytes(to_bytes(bakery))
    assert reopened.predictions.model(ORDER).ratio == pytest.approx(0.6)
    assert to_json(reopened) == to_json(bakery)


def test_the_residual_quantile_is_numpy_s():
    """The shift above leans on policies.residual_quantile being numpy's linear quantile."""
    rows = np.sort(np.random.default_rng(0).normal(size=(3, 40)), axis=1)
    np.testing.assert_allclose(policies.residual_quantile(rows, 0.2)[:, 0], np.quantile(rows, 0.2, axis=1))
