"""Closer to the oracle: the global models' training sample covers every series and season,
and the losses that let small and large series weigh alike."""

import numpy as np

from payoff.models import regression
from payoff.models.features import build_features
from payoff.models.panel import Panel
from tests.unit.test_scale import panel


def test_training_sample_spans_every_series_and_the_whole_history():
    """A big catalogue used to keep only its most recent cells: 150,000 over 20,000 series is
    7 days each, no week to learn from. The sample now covers every series and every period."""
    data = panel(series=200, days=120, gaps=False)
    rows = regression.training_rows(data, end=100, warmup=21, most=3_000)
    assert len(rows) == 3_000 and len(np.unique(rows)) == 3_000
    periods, series = rows % data.n_periods, rows // data.n_periods
    assert periods.min() == 21 and periods.max() == 99  # first and last usable periods
    assert len(np.unique(series)) == 200
    np.testing.assert_array_equal(rows, regression.training_rows(data, end=100, warmup=21, most=3_000))  # each run


def test_small_and_large_series_weigh_alike_in_the_linear_model():
    assert regression.LinearRegression().scaled and regression.GradientBoosting().scaled


def test_gradient_boosting_takes_poisson_loss_only_for_counts():
    data = panel(series=6, days=120, gaps=False)
    features = build_features(data, 14)
    model = regression.GradientBoosting(max_iter=5).fit(features, data, 100, 14)
    assert model.estimator_.loss == "poisson"
    netted = Panel(data.y - 20.0, data.dates, data.series, data.frequency, 7)  # returns netted in: negatives
    model = regression.GradientBoosting(max_iter=5).fit(build_features(netted, 14), netted, 100, 14)
    assert model.estimator_.loss == "squared_error"
