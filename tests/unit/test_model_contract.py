"""Every registered model keeps the same contract, in the spirit of scikit-learn's
parametrize_with_checks: a new line in models/catalogue.py is checked here without a new test.

Forecasters (per series or over all series): one forecast per series and horizon step; a history
with gaps (NaN cells: how the panel holds a missing row) gives finite forecasts; changing demand
after the origin leaves the backtest's forecasts unchanged; two fits agree exactly; the backtest's
forecasts are never negative. Whole units are not a model's job: forecasts stay continuous and
the backtest rounds each decision up (framings.quantity.whole) when every known demand is whole.

Classifiers: one probability in [0, 1] per scored row and per new row; blanks and unseen
categories give finite probabilities; the outcomes of the last block in time (never trained on)
do not move any score; two fits agree. "Agree" is to 1e-12 relative, not bit for bit: the random
forest averages its trees on two threads in the order they finish, which moves the last bit of
a probability from run to run (the JSON keeps 12 significant digits); a model that is not seeded
or that learns from the held-out outcomes misses by far more."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from payoff.decision_kinds import DecisionKind
from payoff.evaluate.backtest import run_backtest
from payoff.evaluate.explain import targeting_explanations
from payoff.evaluate.predictions import Forecasts, QuantityPredictions
from payoff.evaluate.quantity_money import price_entries
from payoff.framings import catalogue as framings
from payoff.framings.base import QuantityFraming
from payoff.models import classifiers
from payoff.models.catalogue import BUSINESS_NAMES, MODELS
from payoff.models.features import build_features
from payoff.models.panel import Panel
from payoff.models.protocols import ClassifierSpec, ExplainedBy, GlobalForecasterSpec, ModelSpec, QuantitySpec
from payoff.timegrid import Frequency

QUANTITY = [spec for spec in MODELS if spec.kind is DecisionKind.QUANTITY]
TARGETING = [spec for spec in MODELS if isinstance(spec, ClassifierSpec)]
HORIZON, STARTS = 7, (42, 49, 56)  # a calibration window and two tests over a 63-day history
DAYS = STARTS[-1] + HORIZON


def by_name(specs: Sequence[ModelSpec]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("spec", specs, ids=[spec.name for spec in specs])


def demand_panel(y: np.ndarray | None = None) -> Panel:
    """Four series of whole daily demand with a weekly pattern: busy, medium, a slow mover that
    mostly sells nothing, and one that collapses to zero (a trend that overshoots below zero)."""
    if y is None:
        rng = np.random.default_rng(0)
        week = np.array([1.0, 1.0, 1.1, 1.2, 1.5, 1.8, 0.6])[np.arange(DAYS) % 7]
        fading = np.maximum(30.0 * (1 - np.arange(DAYS) / 45), 0.0)
        rates = np.vstack([20 * week, 6 * week, np.full(DAYS, 0.3), fading])
        y = rng.poisson(rates).astype(float)
    series = pd.DataFrame({"item": [f"item {i}" for i in range(y.shape[0])]})
    return Panel(y, pd.date_range("2025-01-06", periods=y.shape[1]), series, Frequency("day"), 7)


def with_gaps(panel: Panel) -> Panel:
    """Missing cells as the panel holds them (NaN): scattered, a missing stretch, and a series
    whose last week before the origin is unknown."""
    y = panel.y.copy()
    y[np.random.default_rng(1).random(y.shape) < 0.15] = np.nan
    y[0, 20:32] = np.nan
    y[1, STARTS[-1] - 7 : STARTS[-1]] = np.nan
    return demand_panel(y)


def forecast(spec: QuantitySpec, panel: Panel, start: int = STARTS[-1]) -> np.ndarray:
    """The model's own forecast at an origin, as the backtest calls it (without its fallbacks)."""
    if isinstance(spec, GlobalForecasterSpec):
        return spec.build(0.6).fit(build_features(panel, HORIZON), panel, start, HORIZON).predict(HORIZON)
    return spec.build(panel.season).fit(panel.y[:, :start]).predict(HORIZON)


def backtest(spec: QuantitySpec, panel: Panel) -> Forecasts:
    (forecasts,), _, _ = run_backtest(panel, STARTS, HORIZON, (spec.name,))
    return forecasts


@by_name(QUANTITY)
def test_one_forecast_per_series_and_horizon_step(spec: QuantitySpec) -> None:
    panel = demand_panel()
    out = forecast(spec, panel)
    assert out.shape == (panel.n_series, HORIZON)
    assert np.isfinite(out).all()
    assert backtest(spec, panel).forecast.shape == (panel.n_series, len(STARTS) * HORIZON)


@by_name(QUANTITY)
def test_a_history_with_gaps_gives_finite_forecasts(spec: QuantitySpec) -> None:
    panel = with_gaps(demand_panel())
    out = forecast(spec, panel)
    assert out.shape == (panel.n_series, HORIZON)
    assert np.isfinite(out).all()


@by_name(QUANTITY)
def test_demand_after_the_origin_changes_no_forecast(spec: QuantitySpec) -> None:
    """Through the backtest itself: each window's model sees only the periods before it."""
    panel = demand_panel()
    future = panel.y.copy()
    future[:, STARTS[-1] :] = future[:, STARTS[-1] :] * 7 + 50
    before, after = backtest(spec, panel), backtest(spec, demand_panel(future))
    np.testing.assert_array_equal(before.forecast, after.forecast)


@by_name(QUANTITY)
def test_two_fits_give_the_same_forecasts(spec: QuantitySpec) -> None:
    panel = with_gaps(demand_panel())
    np.testing.assert_array_equal(forecast(spec, panel), forecast(spec, panel))


@by_name(QUANTITY)
def test_the_backtest_never_forecasts_below_zero(spec: QuantitySpec) -> None:
    out = backtest(spec, demand_panel()).forecast
    assert np.isfinite(out).all()
    assert (out >= 0).all()


@by_name(QUANTITY)
def test_whole_demand_gets_whole_decisions(spec: QuantitySpec) -> None:
    """Forecasts stay continuous; the stock decided from them is rounded up to whole units when
    every known demand is whole, and left as it is otherwise."""
    framing = framings.get("perishable")
    assert isinstance(framing, QuantityFraming)
    values = {"price": 5.0, "unit_cost": 2.0, "salvage": 0.5, "goodwill": 1.0}
    counted = demand_panel()
    assert counted.whole_units
    priced, _, _, _ = price_entries(
        framing, values, QuantityPredictions(counted, STARTS, HORIZON, (backtest(spec, counted),))
    )
    decisions = priced[0].decisions
    np.testing.assert_array_equal(decisions, np.round(decisions))
    measured = demand_panel(counted.y * 0.37 + 0.01)  # litres, not units
    assert not measured.whole_units
    priced, _, _, _ = price_entries(
        framing, values, QuantityPredictions(measured, STARTS, HORIZON, (backtest(spec, measured),))
    )
    decisions = priced[0].decisions
    assert not np.array_equal(decisions, np.round(decisions))


def targeting_rows(rows: int = 240, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Two numbers and a category driving a binary outcome."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "tenure": rng.normal(24, 10, rows),
            "spend": rng.gamma(2.0, 30.0, rows),
            "plan": rng.choice(["basic", "plus", "pro"], rows),
        }
    )
    score = -0.08 * (frame["tenure"] - 24) + 0.01 * (frame["spend"] - 60) + (frame["plan"] == "basic") * 0.8
    y = (rng.random(rows) < 1 / (1 + np.exp(-(score - 1.0)))).astype(int)
    return frame, y


FEATURES = ["tenure", "spend", "plan"]
SAME = 1e-12  # relative: the forest's threads sum its trees in any order


def out_of_fold(name: str, frame: pd.DataFrame, y: np.ndarray, order: np.ndarray | None) -> classifiers.OutOfFold:
    x = classifiers.feature_frame(frame, FEATURES)
    splits = classifiers.folds(y, order, 3)
    result = classifiers.out_of_fold(name, x, y, splits, classifiers.split_columns(x, FEATURES))
    assert result.failure is None
    return result


@by_name(TARGETING)
def test_one_probability_per_row(spec: ClassifierSpec) -> None:
    frame, y = targeting_rows()
    result = out_of_fold(spec.name, frame, y, None)
    assert result.raw.shape == result.calibrated.shape == (len(y),)
    assert np.isfinite(result.raw).all()  # stratified folds score every row once
    assert ((result.raw >= 0) & (result.raw <= 1)).all()
    x = classifiers.feature_frame(frame, FEATURES)
    columns = classifiers.split_columns(x, FEATURES)
    new = x.iloc[:25]
    probabilities = classifiers.fit_and_score(spec.name, x, y, classifiers.folds(y, None, 3), columns, new)
    assert probabilities.shape == (25,)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


@by_name(TARGETING)
def test_blanks_and_unseen_categories_give_finite_probabilities(spec: ClassifierSpec) -> None:
    frame, y = targeting_rows()
    rng = np.random.default_rng(2)
    frame.loc[rng.random(len(frame)) < 0.2, "tenure"] = np.nan
    frame.loc[rng.random(len(frame)) < 0.2, "plan"] = None
    result = out_of_fold(spec.name, frame, y, None)
    assert np.isfinite(result.raw).all() and np.isfinite(result.calibrated).all()
    x = classifiers.feature_frame(frame, FEATURES)
    new = x.iloc[:10].assign(plan="enterprise")  # a plan no fold has seen
    probabilities = classifiers.fit_and_score(
        spec.name, x, y, classifiers.folds(y, None, 3), classifiers.split_columns(x, FEATURES), new
    )
    assert np.isfinite(probabilities).all()


@by_name(TARGETING)
def test_later_outcomes_change_no_earlier_score(spec: ClassifierSpec) -> None:
    """Time-ordered folds: the last block is scored by a model of the blocks before it and never
    trained on, so its outcomes cannot move any score (raw: the recalibration uses them by design)."""
    frame, y = targeting_rows()
    order = np.arange(len(y))
    last = classifiers.folds(y, order, 3)[-1][1]
    changed = y.copy()
    changed[last] = 1 - changed[last]
    before, after = out_of_fold(spec.name, frame, y, order), out_of_fold(spec.name, frame, changed, order)
    np.testing.assert_allclose(before.raw, after.raw, rtol=SAME, atol=0)


@by_name(TARGETING)
def test_two_fits_give_the_same_probabilities(spec: ClassifierSpec) -> None:
    frame, y = targeting_rows()
    first, second = out_of_fold(spec.name, frame, y, None), out_of_fold(spec.name, frame, y, None)
    np.testing.assert_allclose(first.raw, second.raw, rtol=SAME, atol=0)
    np.testing.assert_allclose(first.calibrated, second.calibrated, rtol=SAME, atol=0)


@by_name(TARGETING)
def test_a_classifier_is_explained_under_its_name_as_its_spec_says(spec: ClassifierSpec) -> None:
    frame, y = targeting_rows()
    x = classifiers.feature_frame(frame, FEATURES)
    result = out_of_fold(spec.name, frame, y, None)

    def money_of(probabilities: np.ndarray, rows: np.ndarray) -> float:
        return float(np.sum(probabilities * (y[rows] - 0.2)))

    explained = targeting_explanations({spec.name: result}, x, y, classifiers.split_columns(x, FEATURES), money_of)
    expected = {ExplainedBy.EFFECTS: "odds ratio", ExplainedBy.MONEY_IMPORTANCE: "money lost when shuffled"}
    assert [(e.model, e.unit) for e in explained] == (
        [(spec.name, expected[spec.explained_by])] if spec.explained_by in expected else []
    )


def test_a_name_both_families_use_reads_the_same_in_both() -> None:
    """business_name() takes no family, so a shared name must have one business name."""
    for spec in MODELS:
        assert BUSINESS_NAMES[spec.name] == spec.business_name, spec.name
    assert len({(spec.kind, spec.name) for spec in MODELS}) == len(MODELS)
