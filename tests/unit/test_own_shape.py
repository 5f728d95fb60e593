"""Each series' own shape (issue 21): the profile and year-ago features on hand-worked panels, and
the local Poisson GLMs against a log-linear generator whose coefficients are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from payoff.models import local_glm
from payoff.models.features import build_features, own_shape, phase_mean, shift
from payoff.models.local_glm import LocalPoissonGLM, calendar_design
from payoff.models.panel import Panel
from payoff.timegrid import Frequency

DAY = Frequency("day")


def test_phase_mean_is_the_mean_of_the_same_phase_seasons_ago():
    rng = np.random.default_rng(0)
    y = rng.poisson(5.0, (3, 120)).astype(float)
    y[0, 30] = np.nan  # a gap is skipped, not counted as zero
    y[2, :60] = np.nan
    expected = np.full(y.shape, np.nan)
    for t in range(y.shape[1]):  # by hand: the values at t - 14, t - 21, t - 28, t - 35
        past = [t - 14 - 7 * k for k in range(4) if t - 14 - 7 * k >= 0]
        for s in range(3):
            values = y[s, past]
            if np.isfinite(values).any():
                expected[s, t] = np.nanmean(values)
    np.testing.assert_allclose(phase_mean(y, 7, 4, 14), expected, equal_nan=True)


def test_a_series_own_profile_reads_its_own_peak_day():
    """Two shops over 26 weeks: one sells 20 on Mondays and 10 otherwise, the other 20 on
    Saturdays. Their profile at a phase is that day's sales over their 13-week average."""
    days = 26 * 7
    dates = pd.date_range("2025-01-06", periods=days)  # a Monday
    monday = np.where(dates.day_of_week == 0, 20.0, 10.0)
    saturday = np.where(dates.day_of_week == 5, 20.0, 10.0)
    features = own_shape(np.vstack([monday, saturday]), 7, "day", 7)
    average = (20 + 6 * 10) / 7
    last = days - 1  # a Sunday
    assert features["profile_phase"][0, last - 6] == pytest.approx(20 / average)  # Monday, first shop
    assert features["profile_phase"][1, last - 6] == pytest.approx(10 / average)
    assert features["profile_phase"][1, last - 1] == pytest.approx(20 / average)  # Saturday, second shop


def test_the_same_day_last_year_is_scaled_by_the_change_of_level():
    """10 a day for a year, then 15: a year later the year-ago value (10) reads as 15."""
    days = 364 + 120
    y = np.where(np.arange(days) < 364, 10.0, 15.0)[None, :]
    horizon = 7
    features = own_shape(y, 7, "day", horizon)
    t = 364 + 100  # a year earlier (t - 364) sold 10; the four weeks before t - 7 sold 15
    assert shift(y, 364)[0, t] == 10.0
    assert features["lag_year_scaled"][0, t] == pytest.approx(15.0)
    assert np.isnan(features["lag_year_scaled"][0, 300])  # no year before it


def test_a_short_history_has_no_year_ago_feature_and_no_second_harmonic():
    panel = Panel(np.ones((2, 60)), pd.date_range("2025-01-01", periods=60), pd.DataFrame({"item": ["a", "b"]}), DAY, 7)
    names = build_features(panel, 7).names
    assert "lag_year_scaled" not in names and "year_sin_2" not in names
    assert "profile_phase" in names


def log_linear(series: int = 60, days: int = 600, seed: int = 3) -> tuple[Panel, np.ndarray, np.ndarray]:
    """Poisson demand whose log mean is exactly the local GLM's design: each series its own level,
    weekday effects, yearly wave and trend, and one promotion effect for all."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days)
    weekday = rng.normal(0.0, 0.3, (series, 7))
    weekday[:, 0] = 0.0  # Monday is the baseline of the dummies
    wave = rng.normal(0.0, 0.2, (series, 2))
    angle = 2 * np.pi * dates.day_of_year.to_numpy() / 365.25
    promo = (rng.random((series, days)) < 0.1).astype(float)
    log_mean = (
        np.log(rng.uniform(20, 60, series))[:, None]
        + weekday[:, dates.day_of_week]
        + wave[:, :1] * np.sin(angle)
        + wave[:, 1:] * np.cos(angle)
        + rng.normal(0.0, 0.1, series)[:, None] * np.arange(days) / 365.25
        + np.log(1.5) * promo
    )
    y = rng.poisson(np.exp(log_mean)).astype(float)
    panel = Panel(y, dates, pd.DataFrame({"item": [f"i{i}" for i in range(series)]}), DAY, 7, {"promo": promo})
    return panel, np.exp(log_mean), weekday


def test_local_glm_is_near_the_truth_on_a_log_linear_generator():
    """On data drawn from its own design, each series' forecast of the next four weeks is within a
    few percent of the true mean, and its weekday effects are the series' own."""
    panel, truth, weekday = log_linear()
    end, horizon = 572, 28
    model = LocalPoissonGLM().fit(build_features(panel, horizon), panel, end, horizon)
    forecast = model.predict(horizon)
    error = np.abs(np.log(forecast / truth[:, end:]))
    assert np.median(error) < 0.05
    names = model.names_
    fitted = model.coef_[:, [names.index(f"weekday_{d}") for d in range(1, 7)]]
    assert np.median(np.abs(fitted - weekday[:, 1:])) < 0.06  # 82 Poisson days of 40 per weekday
    assert np.corrcoef(fitted.ravel(), weekday[:, 1:].ravel())[0, 1] > 0.95


def short_series_forecast(prior_periods: float) -> np.ndarray:
    """Every series sells three times as much on Saturday; one has only two weeks of history and
    its one Saturday sold like any other day (10)."""
    days = 140
    dates = pd.date_range("2025-01-06", periods=days)
    shape = np.where(dates.day_of_week == 5, 3.0, 1.0)
    y = np.random.default_rng(1).poisson(10 * shape, (30, days)).astype(float)
    y[0, : days - 14] = np.nan
    y[0, -14:] = 10.0
    y[0, days - 2] = np.nan  # the short series' second Saturday is missing
    panel = Panel(y, dates, pd.DataFrame({"item": [f"i{i}" for i in range(30)]}), DAY, 7)
    future = panel.extended(7)  # as the next decisions fit it: the periods to forecast are blank
    forecast = LocalPoissonGLM(prior_periods=prior_periods).fit(build_features(future, 7), future, days, 7).predict(7)
    saturday = int(np.flatnonzero(future.dates[days:].day_of_week == 5)[0])
    return forecast[0, saturday] / np.delete(forecast[0], saturday).mean()


def test_a_short_series_borrows_the_pooled_shape():
    """Its own fit would read one quiet Saturday as its shape; shrunk toward the pooled fit
    (3x on Saturdays) by a prior worth two days, it lands between: exp((log 1 + 2 log 3) / 3) = 2.08."""
    assert short_series_forecast(2.0) == pytest.approx(np.exp(2 * np.log(3) / 3), rel=0.1)
    assert short_series_forecast(1e-9) == pytest.approx(1.0, abs=0.1)  # control: no shrinkage, no peak


def test_weekly_files_get_week_of_year_effects_after_two_years():
    dates = pd.date_range("2023-01-06", periods=150, freq="W-FRI")
    panel = Panel(np.ones((1, 150)), dates, pd.DataFrame({"item": ["a"]}), Frequency("week", 4), 52)
    _, early = calendar_design(panel, 90)
    _, late = calendar_design(panel, 110)
    assert not any(name.startswith("week_") for name in early) and "year_sin_6" in early
    assert sum(name.startswith("week_") for name in late) == 52


def weekly_holidays(series: int = 150, weeks: int = 156, seed: int = 5) -> tuple[Panel, np.ndarray, np.ndarray]:
    """Poisson weekly sales over three years: each series its own level and its own yearly wave (a
    cosine whose weight is the series' own), its own lift in week 47 (some shops live on it,
    others ignore it), and one lift in week 51 that every series shares."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2023-01-06", periods=weeks, freq="W-FRI")
    week = dates.isocalendar().week.to_numpy().astype(int)
    wave = rng.normal(0.0, 0.3, series)
    lift_47 = rng.normal(0.4, 0.3, series)
    angle = 2 * np.pi * dates.day_of_year.to_numpy() / 365.25
    log_mean = (
        np.log(rng.uniform(20, 60, series))[:, None]
        + wave[:, None] * np.cos(angle)[None, :]
        + lift_47[:, None] * (week == 47)[None, :]
        + 0.5 * (week == 51)[None, :]
    )
    y = rng.poisson(np.exp(log_mean)).astype(float)
    panel = Panel(y, dates, pd.DataFrame({"item": [f"i{i}" for i in range(series)]}), Frequency("week", 4), 52)
    return panel, wave, lift_47


def test_weekly_files_learn_which_weeks_and_waves_differ_between_series():
    """The spread between series of each week's effect and of each yearly term is learned from the
    catalogue: week 47 differs by series (its truth: a standard deviation of 0.3), week 51 and the
    ordinary weeks do not (0), and nor does any yearly term but the first cosine (0.3). The series'
    own week-47 lift is then read from its own two Novembers, not the catalogue's."""
    panel, wave, lift_47 = weekly_holidays()
    model = LocalPoissonGLM().fit(build_features(panel, 4), panel, 150, 4)
    spread = model.spread_
    assert spread["week_47"] == pytest.approx(0.3, abs=0.06)
    assert spread["year_cos_1"] == pytest.approx(0.3, abs=0.06)
    others = [value for name, value in spread.items() if name not in ("week_47", "year_cos_1")]
    assert len(others) == 52 - 1 + 12 - 1 and max(others) < 0.05
    fitted = model.coef_[:, model.names_.index("week_47")]
    assert np.median(np.abs(fitted - lift_47)) < 0.1  # two Novembers of 20 to 60 a week each
    assert np.corrcoef(model.coef_[:, model.names_.index("year_cos_1")], wave)[0, 1] > 0.95


def test_without_learning_the_spread_a_series_own_holiday_is_lost(monkeypatch):
    """Control for the test above: held at the start's prior (99% pooled), every series' week-47
    lift is the catalogue's 0.4, off its own by 0.3 x 0.67 = 0.2 at the median."""
    monkeypatch.setattr(local_glm, "LEARNED_ROUNDS", 0)
    panel, _, lift_47 = weekly_holidays()
    model = LocalPoissonGLM().fit(build_features(panel, 4), panel, 150, 4)
    fitted = model.coef_[:, model.names_.index("week_47")]
    assert fitted.std() < 0.05
    assert np.median(np.abs(fitted - lift_47)) > 0.15
