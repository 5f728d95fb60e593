"""A long time-series table as dense matrices (series x periods), so every baseline forecaster
and the backtest run vectorised across all series at once instead of one fit per series."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from payoff.data.keys import key_text
from payoff.errors import BadMapping, NotEnoughData
from payoff.timegrid import Frequency


@dataclass(frozen=True)
class Panel:
    y: np.ndarray  # demand, series x periods, NaN where the series has no row
    dates: pd.DatetimeIndex  # the period labels, on the file's own grid (Fridays stay Fridays)
    series: pd.DataFrame  # one row per series: its key values
    frequency: Frequency
    season: int  # periods in one cycle: detected from the frequency, or the user's
    regressors: dict[str, np.ndarray] = field(default_factory=dict)  # numeric columns known in advance
    columns: dict[str, np.ndarray] = field(default_factory=dict)  # price / unit_cost / decision per cell
    counted: bool | None = None  # demand in whole units: None detects it from the values; False for money

    @property
    def n_series(self) -> int:
        return int(self.y.shape[0])

    @property
    def n_periods(self) -> int:
        return int(self.y.shape[1])

    @property
    def whole_units(self) -> bool:
        """Demand counted in whole units (every known value an integer): decisions are too.
        Asked at every re-pricing, so computed once."""
        cached = self.__dict__.get("_whole_units")
        if cached is None and self.counted is not None:
            cached = self.counted
        if cached is None:
            known = self.y[~np.isnan(self.y)]
            cached = bool(known.size) and bool(np.all(known == np.round(known)))
            object.__setattr__(self, "_whole_units", cached)  # frozen dataclass: a private memo
        return cached

    def labels(self) -> list[str]:
        """One readable name per series ("Harbour St / croissant"), computed once."""
        cached = self.__dict__.get("_labels")
        if cached is None:
            if self.series.shape[1] == 0:
                cached = ["all"] * self.n_series
            else:
                text = key_text(self.series)  # a blank key (an analysis saved before it had a label)
                joined = text.iloc[:, 0]
                for column in text.columns[1:]:
                    joined = joined + " / " + text[column]
                cached = joined.tolist()
            object.__setattr__(self, "_labels", cached)  # frozen dataclass: a private memo
        return cached

    def extended(self, horizon: int) -> Panel:
        """The panel with `horizon` empty future periods; regressors and price columns carry
        their last known value forward (what the business plans, unless it says otherwise)."""
        dates = self.dates.append(self.frequency.following(self.dates[-1], horizon))

        def grow(matrix: np.ndarray) -> np.ndarray:
            last = pd.DataFrame(matrix.T).ffill().to_numpy().T[:, -1:]
            return np.concatenate([matrix, np.repeat(last, horizon, axis=1)], axis=1)

        return replace(
            self,
            y=np.concatenate([self.y, np.full((self.n_series, horizon), np.nan)], axis=1),
            dates=dates,
            regressors={k: grow(v) for k, v in self.regressors.items()},
            columns={k: grow(v) for k, v in self.columns.items()},
        )


def build_panel(
    frame: pd.DataFrame,
    frequency: Frequency,
    season: int,
    date: str,
    keys: list[str] | tuple[str, ...],
    target: str,
    regressors: list[str] | tuple[str, ...] = (),
    columns: dict[str, str] | None = None,
    levels: frozenset[str] = frozenset(),
) -> Panel:
    """Pivot to series x periods. `columns` maps a name (price, unit_cost, decision) to a column;
    quantities (target, decision) are summed within a period, prices and flags keep the last value.
    A name in `levels` (people on shift) is a level held through the period: rows finer than the
    period (half hours in an hour) are averaged, each stamp's rows first added up."""
    columns = columns or {}
    keys = list(keys)
    for column in [date, target, *keys, *regressors, *columns.values()]:
        if column not in frame.columns:
            raise BadMapping(f"Column '{column}' is not in the table; check the column roles on the Data page.")
    work = frame.dropna(subset=[date])
    period = frequency.period_of(work[date])
    if keys:
        codes, uniques = pd.MultiIndex.from_frame(key_text(work[keys])).factorize()
        series = pd.DataFrame(list(uniques), columns=keys)
    else:
        codes, series = np.zeros(len(work), dtype=int), pd.DataFrame(index=[0])
    dates = frequency.grid(period.min(), period.max())
    if len(dates) < 3:
        raise NotEnoughData("The data covers fewer than 3 periods; a backtest needs a longer history.")
    position = dates.get_indexer(period)
    if (position < 0).any():  # a stamp off the grid (an irregular week): the period it falls in
        position = np.clip(np.searchsorted(dates.to_numpy(), period.to_numpy(), side="right") - 1, 0, len(dates) - 1)

    def matrix(values: pd.Series, how: str = "sum") -> np.ndarray:
        out = np.full((len(series), len(dates)), np.nan)
        numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        ok = ~np.isnan(numeric)
        if how == "sum":
            filled = np.zeros_like(out)
            counts = np.zeros_like(out)
            np.add.at(filled, (codes[ok], position[ok]), numeric[ok])
            np.add.at(counts, (codes[ok], position[ok]), 1)
            out = np.where(counts > 0, filled, np.nan)
        elif how == "level":  # the sum at each stamp, averaged over the period's stamps
            filled = np.zeros_like(out)
            np.add.at(filled, (codes[ok], position[ok]), numeric[ok])
            stamps = pd.DataFrame({"c": codes[ok], "p": position[ok], "s": work[date].to_numpy()[ok]})
            distinct = stamps.drop_duplicates()
            counts = np.zeros_like(out)
            np.add.at(counts, (distinct["c"].to_numpy(), distinct["p"].to_numpy()), 1)
            out = np.where(counts > 0, filled / np.maximum(counts, 1), np.nan)
        else:  # last value wins (prices, flags)
            out[codes[ok], position[ok]] = numeric[ok]
        return out

    def how_of(name: str) -> str:
        return "level" if name in levels else "sum" if name == "decision" else "last"

    # A row present with a missing target is unknown demand; a missing row is unknown too.
    return Panel(
        y=matrix(work[target]),
        dates=dates,
        series=series.reset_index(drop=True),
        frequency=frequency,
        season=season,
        regressors={name: matrix(work[name], "last") for name in regressors},
        columns={name: matrix(work[column], how_of(name)) for name, column in columns.items()},
    )
