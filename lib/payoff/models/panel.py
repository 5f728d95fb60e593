"""A long time-series table as dense matrices (series x periods), so every baseline forecaster
and the backtest run vectorised across all series at once instead of one fit per series."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from payoff.data.quality import infer_frequency
from payoff.errors import BadMapping, NotEnoughData

FREQ_ALIAS = {"hour": "h", "day": "D", "week": "W", "month": "MS"}
SEASON = {"hour": 24, "day": 7, "week": 52, "month": 12}


@dataclass(frozen=True)
class Panel:
    y: np.ndarray  # demand, series x periods, NaN where the series has no row
    dates: pd.DatetimeIndex
    series: pd.DataFrame  # one row per series: its key values
    frequency: str
    regressors: dict[str, np.ndarray] = field(default_factory=dict)  # numeric columns known in advance
    columns: dict[str, np.ndarray] = field(default_factory=dict)  # price / unit_cost / decision per cell
    season_override: int | None = None  # the user's season length, when the detected one is wrong

    @property
    def n_series(self) -> int:
        return int(self.y.shape[0])

    @property
    def n_periods(self) -> int:
        return int(self.y.shape[1])

    @property
    def season(self) -> int:
        """Periods in one season: detected from the frequency (7 days, 24 hours, 52 weeks, 12 months)."""
        return self.season_override or SEASON[self.frequency]

    def label(self, index: int) -> str:
        return self.labels()[index]

    def labels(self) -> list[str]:
        """One readable name per series ("Harbour St / croissant"), computed once."""
        cached = self.__dict__.get("_labels")
        if cached is None:
            if self.series.shape[1] == 0:
                cached = ["all"] * self.n_series
            else:
                text = self.series.astype("str")
                joined = text.iloc[:, 0]
                for column in text.columns[1:]:
                    joined = joined + " / " + text[column]
                cached = joined.tolist()
            object.__setattr__(self, "_labels", cached)  # frozen dataclass: a private memo
        return cached


def _period_index(dates: pd.Series, frequency: str) -> pd.Series:
    if frequency == "week":
        return dates.dt.to_period("W").dt.start_time
    if frequency == "month":
        return dates.dt.to_period("M").dt.start_time
    return dates.dt.floor("h" if frequency == "hour" else "D")


def build_panel(
    frame: pd.DataFrame,
    date: str,
    keys: list[str],
    target: str,
    regressors: list[str] | None = None,
    columns: dict[str, str] | None = None,
) -> Panel:
    """Pivot to series x periods. `columns` maps a role name (price, unit_cost, decision) to a column."""
    regressors = regressors or []
    columns = columns or {}
    for column in [date, target, *keys, *regressors, *columns.values()]:
        if column not in frame.columns:
            raise BadMapping(f"Column '{column}' is not in the table; check the column roles on the Data page.")
    if not pd.api.types.is_datetime64_any_dtype(frame[date]):
        raise BadMapping(f"'{date}' does not hold dates; choose the date column on the Data page.")
    if not pd.api.types.is_numeric_dtype(frame[target]):
        raise BadMapping(f"'{target}' is not numeric, so it cannot be forecast; choose a quantity column.")
    work = frame.dropna(subset=[date]).copy()
    frequency = infer_frequency(work[date])
    work["__period"] = _period_index(work[date], frequency)
    if keys:
        codes, uniques = pd.MultiIndex.from_frame(work[keys].astype("str")).factorize()
        series = pd.DataFrame(list(uniques), columns=keys) if len(keys) > 1 else pd.DataFrame({keys[0]: list(uniques)})
    else:
        codes, series = np.zeros(len(work), dtype=int), pd.DataFrame(index=[0])
    alias = {"hour": "h", "day": "D", "week": "7D", "month": "MS"}[frequency]
    dates = pd.date_range(work["__period"].min(), work["__period"].max(), freq=alias)
    if len(dates) < 3:
        raise NotEnoughData("The data covers fewer than 3 periods; a backtest needs a longer history.")
    position = dates.get_indexer(work["__period"])
    if (position < 0).any():  # irregular stamps (e.g. weekly data on mixed weekdays): snap to the grid
        position = np.clip(np.searchsorted(dates.to_numpy(), work["__period"].to_numpy()), 0, len(dates) - 1)

    def matrix(values: pd.Series, how: str = "sum") -> np.ndarray:
        out = np.full((len(series), len(dates)), np.nan)
        numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        ok = ~np.isnan(numeric)
        if how == "sum":
            filled = np.zeros_like(out)
            counts = np.zeros_like(out)
            np.add.at(filled, (codes[ok], position[ok]), numeric[ok])
            np.add.at(counts, (codes[ok], position[ok]), 1)
            out = np.where(counts > 0, filled, np.nan)
        else:  # last value wins (prices, flags)
            out[codes[ok], position[ok]] = numeric[ok]
        return out

    y = matrix(work[target])
    # A row present with a missing target is unknown demand; a missing row is unknown too.
    return Panel(
        y=y,
        dates=dates,
        series=series.reset_index(drop=True),
        frequency=frequency,
        regressors={name: matrix(work[name], "last") for name in regressors},
        columns={
            role: matrix(work[column], "sum" if role == "decision" else "last") for role, column in columns.items()
        },
    )
