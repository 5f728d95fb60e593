"""Demand workloads whose truth is known, for the oracle benchmark: each gives the table a user
would upload and the true mean of every (series, period), Poisson noise on top.

A generator proves only what it varies. `shared` gives every series the same weekly profile and
the same yearly season (one calendar feature learns them all); the others give each series its
own shape, as real catalogues have: shops peaking on different days, items selling in different
seasons, stations busy on weekdays and parks at weekends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

WEEKLY = np.array([0.8, 0.85, 0.9, 1.0, 1.2, 1.4, 0.85])
PROMO_LIFT = 1.7


@dataclass(frozen=True)
class Workload:
    frame: pd.DataFrame  # date, item, units[, promo]: long, series-major, every period present
    rate: np.ndarray  # series x periods: the true mean
    horizon: int
    features: tuple[str, ...]  # columns known in advance

    @property
    def demand(self) -> np.ndarray:
        return self.frame["units"].to_numpy().reshape(self.rate.shape)


def _table(dates: pd.DatetimeIndex, rate: np.ndarray, rng: np.random.Generator, **extra: np.ndarray) -> pd.DataFrame:
    series, periods = rate.shape
    columns = {
        "date": np.tile(dates.to_numpy(), series),
        "item": np.repeat(np.array([f"SKU{i:05d}" for i in range(series)]), periods),
        "units": rng.poisson(rate).reshape(-1).astype(np.int32),
    }
    columns.update({name: values.reshape(-1) for name, values in extra.items()})
    return pd.DataFrame(columns)


def shared(series: int, days: int = 730, seed: int = 11) -> Workload:
    """Every series the same weekly profile and yearly season; sizes from a gamma(2, 6);
    promotions on 7% of days (+70%). The workload of issue 10."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days)
    weekday = WEEKLY[dates.day_of_week]
    season = 1 + 0.2 * np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - 350) / 365.25)
    base = rng.gamma(2.0, 6.0, series)[:, None]  # sizes differ by two orders of magnitude
    promo = (rng.random((series, days)) < 0.07).astype(np.int8)
    rate = base * weekday * season * np.where(promo == 1, PROMO_LIFT, 1.0)
    demand = rng.poisson(rate)
    frame = pd.DataFrame(
        {
            "date": np.tile(dates.to_numpy(), series),
            "item": np.repeat(np.array([f"SKU{i:05d}" for i in range(series)]), days),
            "units": demand.reshape(-1).astype(np.int32),
            "promo": promo.reshape(-1),
        }
    )
    return Workload(frame, rate, 28, ("promo",))


def _sizes(rng: np.random.Generator, series: int, low: float, high: float) -> np.ndarray:
    """Series levels log-uniform between `low` and `high`: two orders of magnitude apart."""
    return np.exp(rng.uniform(np.log(low), np.log(high), series))[:, None]


def _yearly(rng: np.random.Generator, series: int, day_of_year: np.ndarray, most: float) -> np.ndarray:
    """Each series' own yearly season: its own peak day and amplitude (up to `most`)."""
    amplitude = rng.uniform(0.0, most, series)[:, None]
    peak = rng.uniform(0.0, 365.25, series)[:, None]
    return 1 + amplitude * np.cos(2 * np.pi * (day_of_year[None, :] - peak) / 365.25)


def _trend(rng: np.random.Generator, series: int, years: np.ndarray) -> np.ndarray:
    """A slow per-series growth or decline, up to about 15% a year."""
    return np.exp(rng.normal(0.0, 0.07, series)[:, None] * years[None, :])


def own_shape(series: int, days: int = 730, seed: int = 12) -> Workload:
    """Daily: each series its own weekly profile (peak day, amplitude and a little of its own
    irregularity), its own yearly timing and amplitude, its own trend and promotion lift; sizes
    log-uniform from 1 to 100 a day; promotions planned on 7% of days."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days)
    weekday = dates.day_of_week.to_numpy()
    peak = rng.integers(0, 7, series)[:, None]
    amplitude = rng.uniform(0.05, 0.6, series)[:, None]
    log_week = amplitude * np.cos(2 * np.pi * (np.arange(7)[None, :] - peak) / 7) + rng.normal(0, 0.08, (series, 7))
    week = np.exp(log_week - log_week.mean(axis=1, keepdims=True))[:, weekday]
    year = _yearly(rng, series, dates.day_of_year.to_numpy(), 0.5)
    trend = _trend(rng, series, np.arange(days) / 365.25)
    promo = (rng.random((series, days)) < 0.07).astype(np.int8)
    lift = rng.uniform(1.3, 2.0, series)[:, None]
    rate = _sizes(rng, series, 1.0, 100.0) * week * year * trend * np.where(promo == 1, lift, 1.0)
    return Workload(_table(dates, rate, rng, promo=promo), rate, 28, ("promo",))


def hourly(series: int = 200, weeks: int = 16, seed: int = 13) -> Workload:
    """Hourly: each series its own daily shape (a morning and an evening peak at its own hours and
    weights, a quiet night) and its own weekend (a station at half its weekday, a park at twice);
    sizes log-uniform from 0.5 to 30 an hour; 48-hour horizon."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2025-01-06", periods=weeks * 168, freq="h")
    hour = dates.hour.to_numpy()
    weekend = (dates.day_of_week.to_numpy() >= 5).astype(float)
    hours = np.arange(24)[None, :]

    def bump(centre: np.ndarray, width: float) -> np.ndarray:
        return np.exp(-0.5 * ((hours - centre[:, None]) / width) ** 2)

    morning, evening = rng.uniform(7, 11, series), rng.uniform(15, 20, series)
    share = rng.uniform(0.2, 0.8, series)[:, None]
    day = 0.1 + share * bump(morning, 1.5) + (1 - share) * bump(evening, 2.0)
    day = day / day.mean(axis=1, keepdims=True)
    weekend_ratio = np.exp(rng.uniform(np.log(0.4), np.log(2.5), series))[:, None]
    rate = _sizes(rng, series, 0.5, 30.0) * day[:, hour] * np.where(weekend[None, :] == 1, weekend_ratio, 1.0)
    return Workload(_table(dates, rate, rng), rate, 48, ())


def weekly(series: int = 300, weeks: int = 156, seed: int = 14) -> Workload:
    """Weekly (Fridays), three years: each series its own smooth yearly season and its own
    holiday peaks (Thanksgiving and the weeks before Christmas, up to 2.5x), its own trend; planned
    markdowns on 8% of weeks (+40% to +90%); sizes log-uniform from 1 to 100 a week, as the daily
    workload: far larger counts leave so little noise that any estimate of a level is many times the
    oracle (5 to 500 a week: 2.0x for every model)."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2023-01-06", periods=weeks, freq="W-FRI")
    week_of_year = dates.isocalendar().week.to_numpy().astype(int)
    year = _yearly(rng, series, dates.day_of_year.to_numpy(), 0.4)
    thanksgiving, christmas = rng.uniform(0.0, 1.0, series)[:, None], rng.uniform(0.0, 1.5, series)[:, None]
    peaks = 1 + thanksgiving * (week_of_year == 47)[None, :] + christmas * np.isin(week_of_year, (50, 51))[None, :]
    trend = _trend(rng, series, np.arange(weeks) / 52.18)
    markdown = (rng.random((series, weeks)) < 0.08).astype(np.int8)
    lift = rng.uniform(1.4, 1.9, series)[:, None]
    rate = _sizes(rng, series, 1.0, 100.0) * year * peaks * trend * np.where(markdown == 1, lift, 1.0)
    return Workload(_table(dates, rate, rng, markdown=markdown), rate, 8, ("markdown",))


WORKLOADS: dict[str, Callable[[int], Workload]] = {
    "shared": shared,
    "own-shape": own_shape,
    "hourly": hourly,
    "weekly": weekly,
}
DEFAULT_SERIES = {"shared": 500, "own-shape": 500, "hourly": 200, "weekly": 300}
