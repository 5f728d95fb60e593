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
    "year_sin": "time of year",
    "year_cos": "time of year (2)",
    "series": "which series",
    "holiday_before": "holiday in the week before",
}


def feature_label(name: str) -> str:
    """A feature's name in words: regressors keep the user's column name."""
    return name[2:] if name.startswith("x_") else _LABELS.get(name, name)
