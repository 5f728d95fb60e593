"""No model can see the future: with horizon h, every feature of period t uses demand known at
t - h or earlier, and a series whose future is pure noise cannot be forecast better than its mean."""

import numpy as np
import pandas as pd
import pytest

from payoff.data.roles import Role, RoleMap, Shape
from payoff.evaluate.backtest import run_backtest, window_starts
from payoff.models.features import build_features
from payoff.models.panel import Panel
from payoff.timegrid import Frequency
from tests.helpers import analyse

DAY = Frequency("day")

DEMAND_FEATURES = (
    "lag_horizon",
    "lag_season",
    "lag_season_2",
    "mean_season",
    "mean_4_seasons",
    "mean_long",
    "mean_same_phase",
    "profile_phase",
    "lag_year_scaled",
)


def noise_panel(series=40, days=430, seed=0):  # over a year: the year-ago features exist
    rng = np.random.default_rng(seed)
    return Panel(
        y=rng.normal(50, 10, (series, days)),
        dates=pd.date_range("2025-01-01", periods=days),
        series=pd.DataFrame({"item": [f"i{i}" for i in range(series)]}),
        frequency=DAY,
        season=7,
    )


@pytest.mark.parametrize("horizon", [1, 7, 28])
def test_features_ignore_everything_after_t_minus_h(horizon):
    panel = noise_panel()
    base = build_features(panel, horizon)
    cut = 400  # change every demand value from period cut - horizon + 1 on
    changed = panel.y.copy()
    changed[:, cut - horizon + 1 :] = 1e6
    altered = build_features(Panel(changed, panel.dates, panel.series, DAY, 7), horizon)
    rows = (np.arange(panel.n_series)[:, None] * panel.n_periods + np.arange(cut + 1)[None, :]).reshape(-1)
    for name in DEMAND_FEATURES:
        column = base.names.index(name)
        np.testing.assert_array_equal(base.matrix[rows, column], altered.matrix[rows, column], err_msg=name)
    # and the same features do move when demand at t - h changes: the test can fail
    moved = panel.y.copy()
    moved[:, cut - horizon] = 1e6
    shifted = build_features(Panel(moved, panel.dates, panel.series, DAY, 7), horizon)
    column = base.names.index("lag_horizon")
    assert not np.array_equal(base.matrix[rows, column], shifted.matrix[rows, column])


def test_pure_noise_future_cannot_be_forecast():
    panel = noise_panel(series=60, days=300, seed=1)
    starts = window_starts(panel.n_periods, 14, 14, 4)
    forecasts, _, _ = run_backtest(panel, starts, 14, ("moving average", "linear regression", "gradient boosting"))
    periods = np.concatenate([np.arange(s, s + 14) for s in starts[1:]])
    actual = panel.y[:, periods]
    for entry in forecasts:
        if entry.name == "moving average":
            continue
        name, forecast = entry.name, entry.forecast[:, 14:]
        correlation = np.corrcoef(forecast.reshape(-1), actual.reshape(-1))[0, 1]
        assert abs(correlation) < 0.05, (name, correlation)  # 3,360 cells: noise level ~0.017
        mae = np.mean(np.abs(forecast - actual))
        assert mae > 0.95 * 10 * np.sqrt(2 / np.pi)  # no better than knowing the mean (MAE of N(0,10))


def test_season_override_changes_the_seasonal_models():
    """A 14-day cycle: with the detected weekly season the seasonal naive misses it; told the
    season is 14, it repeats the cycle exactly."""
    days = 200
    cycle = np.tile(np.r_[np.full(7, 10.0), np.full(7, 30.0)], days // 14 + 1)[:days]
    frame = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=days), "units": cycle})
    roles = RoleMap({"date": Role.DATE, "units": Role.TARGET}, Shape.TIME_SERIES)
    errors = {}
    for season in (None, 14):
        analysis = analyse(
            frame, roles, "custom-quantity", models=["seasonal naive"], horizon=14, origins=3, season=season
        )
        errors[season] = analysis.impact.model("seasonal naive").accuracy["mae"]
    assert errors[14] == 0.0 and errors[None] > 5
