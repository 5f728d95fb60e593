"""Engineered features for the global regression models, built for every (series, period) cell
at once from the panel's matrices.

No feature may see the future: a forecast made at an origin for up to `horizon` periods ahead
can only use demand observed at least `horizon` periods before the target period. Every demand
lag and rolling mean below therefore ends at ``t - horizon`` (or earlier), whatever the step
inside the horizon. Calendar, holidays and regressors (price, promotion) are taken as known in
advance: they are planned by the business."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from payoff.models.forecasters import nanmean
from payoff.models.panel import Panel


def shift(matrix: np.ndarray, periods: int) -> np.ndarray:
    """Value `periods` earlier along the time axis (NaN where it falls before the start)."""
    out = np.full_like(matrix, np.nan, dtype="float64")
    if periods < matrix.shape[1]:
        out[:, periods:] = matrix[:, : matrix.shape[1] - periods]
    return out


def trailing_mean(matrix: np.ndarray, window: int, end_lag: int) -> np.ndarray:
    """Mean of the `window` values ending `end_lag` periods before each cell, ignoring gaps."""
    values = np.where(np.isnan(matrix), 0.0, matrix)
    counts = (~np.isnan(matrix)).astype("float64")
    cum_values = np.concatenate([np.zeros((matrix.shape[0], 1)), np.cumsum(values, axis=1)], axis=1)
    cum_counts = np.concatenate([np.zeros((matrix.shape[0], 1)), np.cumsum(counts, axis=1)], axis=1)
    n = matrix.shape[1]
    stop = np.arange(n) - end_lag + 1  # exclusive end index into the cumulative arrays
    start = stop - window
    stop_c, start_c = np.clip(stop, 0, n), np.clip(start, 0, n)
    total = cum_values[:, stop_c] - cum_values[:, start_c]
    count = cum_counts[:, stop_c] - cum_counts[:, start_c]
    with np.errstate(all="ignore"):
        return np.where(count > 0, total / count, np.nan)


def phase_mean(matrix: np.ndarray, season: int, seasons: int, end_lag: int) -> np.ndarray:
    """Mean of the same phase over the last `seasons` seasons, the newest `end_lag` periods
    before each cell (`end_lag` a multiple of `season`, so the phase is the cell's own), ignoring
    gaps. Cumulative sums along each phase: no stack of shifted copies, whatever `seasons`."""
    n_series, n = matrix.shape
    padded = int(np.ceil(n / season)) * season
    values = np.zeros((n_series, padded))
    counts = np.zeros((n_series, padded))
    known = ~np.isnan(matrix)
    values[:, :n] = np.where(known, matrix, 0.0)
    counts[:, :n] = known
    by_phase = (n_series, padded // season, season)
    cum_values = np.concatenate(
        [np.zeros((n_series, season)), values.reshape(by_phase).cumsum(axis=1).reshape(n_series, -1)], axis=1
    )
    cum_counts = np.concatenate(
        [np.zeros((n_series, season)), counts.reshape(by_phase).cumsum(axis=1).reshape(n_series, -1)], axis=1
    )
    # cum[:, j + season] is the sum of the phase's values at j, j - season, ...; cum[:, j] for
    # j < season is zero: so the window (t - end_lag - seasons * season, t - end_lag] is a difference.
    newest = np.arange(n) - end_lag + season
    oldest = newest - seasons * season
    newest_c, oldest_c = np.clip(newest, 0, padded + season - 1), np.clip(oldest, 0, padded + season - 1)
    inside = newest >= season
    total = np.where(inside, cum_values[:, newest_c] - np.where(oldest >= 0, cum_values[:, oldest_c], 0.0), 0.0)
    count = np.where(inside, cum_counts[:, newest_c] - np.where(oldest >= 0, cum_counts[:, oldest_c], 0.0), 0.0)
    with np.errstate(all="ignore"):
        return np.where(count > 0, total / count, np.nan)


# Periods in a year, on the same weekday (364 days, 52 weeks), and in the weeks around a cell
# that a year-ago value is scaled by: the change of level over about four weeks.
YEAR = {"hour": 364 * 24, "day": 364, "week": 52, "month": 12}
NEAR = {"hour": 28 * 24, "day": 28, "week": 8, "month": 3}
PROFILE_SEASONS = 13  # a series' own profile at a phase: its last 13 seasons (a quarter of weekdays)


def own_shape(y: np.ndarray, season: int, unit: str, horizon: int) -> dict[str, np.ndarray]:
    """Features that carry each series' own shape, all ending at t - horizon: its profile at this
    phase over a long window, divided by its level over the same window (Tuesday is 1.3 times this
    shop's average), and the same period a year earlier scaled by the change of level since."""
    out: dict[str, np.ndarray] = {}
    seasonal_lag = season * int(np.ceil(horizon / season))
    if season > 1:
        long = trailing_mean(y, PROFILE_SEASONS * season, seasonal_lag)
        with np.errstate(all="ignore"):
            out["profile_phase"] = np.where(
                long > 0, phase_mean(y, season, PROFILE_SEASONS, seasonal_lag) / long, np.nan
            )
    if unit == "hour":  # an hourly file's weekly shape: this hour of this weekday
        week = 168 * int(np.ceil(horizon / 168))
        long = trailing_mean(y, 4 * 168, week)
        with np.errstate(all="ignore"):
            out["profile_week_phase"] = np.where(long > 0, phase_mean(y, 168, 4, week) / long, np.nan)
    year = YEAR[unit]
    if year >= horizon and y.shape[1] > year:
        near = NEAR[unit]
        now = trailing_mean(y, near, horizon)
        then = trailing_mean(y, near, horizon + year)
        with np.errstate(all="ignore"):
            change = np.where(then > 0, now / then, np.nan)
        out["lag_year_scaled"] = shift(y, year) * change
    return out


@dataclass(frozen=True)
class FeatureSet:
    """Features for every cell, flattened series-major: row = series * n_periods + period."""

    matrix: np.ndarray
    names: list[str]
    categorical: list[int]  # columns holding category codes
    demand: list[int]  # columns measured in units of demand (lags, rolling means): scaled with the series


def calendar(dates: pd.DatetimeIndex, frequency: str, country: str | None) -> dict[str, np.ndarray]:
    """Known-in-advance features of each period. `frequency` is the unit (hour, day, week, month)."""
    features: dict[str, np.ndarray] = {}
    if frequency == "hour":
        features["hour"] = dates.hour.to_numpy().astype(float)
    if frequency in ("hour", "day"):
        features["weekday"] = dates.day_of_week.to_numpy().astype(float)
    day_of_year = dates.day_of_year.to_numpy()
    features["year_sin"] = np.sin(2 * np.pi * day_of_year / 365.25)
    features["year_cos"] = np.cos(2 * np.pi * day_of_year / 365.25)
    if len(dates) and dates.max() - dates.min() >= pd.Timedelta(days=365):
        # a second harmonic only where a year is seen: on a month of data it is a trend to extrapolate
        features["year_sin_2"] = np.sin(4 * np.pi * day_of_year / 365.25)
        features["year_cos_2"] = np.cos(4 * np.pi * day_of_year / 365.25)
    features["month"] = dates.month.to_numpy().astype(float)
    if country:
        import holidays

        years = range(dates.min().year - 1, dates.max().year + 2)  # weeks reach across new year
        known = holidays.country_holidays(country, years=years)
        days = dates.normalize()
        if frequency == "week":
            # A week's label may be its first or its last day (files differ): both sides are known.
            features["holiday"] = np.asarray([_any_holiday(d, range(0, 7), known) for d in days], dtype=float)
            features["holiday_before"] = np.asarray([_any_holiday(d, range(-6, 1), known) for d in days], dtype=float)
        elif frequency == "month":
            features["holidays"] = np.asarray(
                [sum(1 for h in known if h.year == d.year and h.month == d.month) for d in days], dtype=float
            )
        else:
            features["holiday"] = np.asarray([d.date() in known for d in days], dtype=float)
    return features


def _any_holiday(day: pd.Timestamp, offsets: range, known: object) -> bool:
    return any((day + pd.Timedelta(days=k)).date() in known for k in offsets)  # type: ignore[operator]


def build_features(panel: Panel, horizon: int, country: str | None = None) -> FeatureSet:
    y = panel.y
    m = panel.season
    n_series, n = y.shape
    seasonal_lag = m * int(np.ceil(horizon / m))  # the most recent same-phase value known in time
    per_cell: dict[str, np.ndarray] = {
        "lag_horizon": shift(y, horizon),
        "lag_season": shift(y, seasonal_lag),
        "lag_season_2": shift(y, seasonal_lag + m),
        "mean_season": trailing_mean(y, m, horizon),
        "mean_4_seasons": trailing_mean(y, 4 * m, horizon),
        "mean_long": trailing_mean(y, max(13 * m, 28), horizon),
    }
    # Same-phase average of the last four known seasons: the seasonal profile at this phase.
    same_phase = np.stack([shift(y, seasonal_lag + k * m) for k in range(4)])
    per_cell["mean_same_phase"] = nanmean(same_phase, axis=0)  # all-missing cells stay NaN
    per_cell.update(own_shape(y, m, panel.frequency.unit, horizon))
    for name, values in panel.regressors.items():
        per_cell[f"x_{name}"] = values
    for name, values in calendar(panel.dates, panel.frequency.unit, country).items():
        per_cell[name] = np.broadcast_to(values, (n_series, n))
    per_cell["series"] = np.broadcast_to(np.arange(n_series, dtype=float)[:, None], (n_series, n))
    names = list(per_cell)
    matrix = np.stack([np.asarray(per_cell[k], dtype="float64").reshape(-1) for k in names], axis=1)
    categorical = [names.index(c) for c in ("series", "weekday", "hour") if c in names]
    demand = [i for i, name in enumerate(names) if name.startswith(("lag_", "mean_"))]
    return FeatureSet(matrix, names, categorical, demand)


_LABELS = {
    "lag_horizon": "demand one horizon earlier",
    "lag_season": "demand one season earlier",
    "lag_season_2": "demand two seasons earlier",
    "mean_season": "average of the last season",
    "mean_4_seasons": "average of the last four seasons",
    "mean_long": "long-run average",
    "mean_same_phase": "same period of recent seasons",
    "profile_phase": "this series' usual share at this point of the season",
    "profile_week_phase": "this series' usual share at this hour of the week",
    "lag_year_scaled": "same period last year, scaled to this year's level",
    # the yearly Fourier terms, in words a manager reads ("time of year (4)" said nothing)
    "year_sin": "time of year (yearly cycle)",
    "year_cos": "time of year (yearly cycle, shifted)",
    "year_sin_2": "time of year (twice-yearly cycle)",
    "year_cos_2": "time of year (twice-yearly cycle, shifted)",
    "series": "which series",
    "holiday_before": "holiday in the week before",
}


def feature_label(name: str) -> str:
    """A feature's name in words: regressors keep the user's column name."""
    return name[2:] if name.startswith("x_") else _LABELS.get(name, name)
