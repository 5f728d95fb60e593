"""Turn the other shapes into the long time-series table the quantity engine needs:
event logs aggregated to a period, and wide tables (one column per series) melted to long."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from payoff.errors import BadMapping
from payoff.timegrid import Frequency

PERIODS = ("hour", "day", "week", "month")
COUNT_COLUMN = "events"
# A weekday (or weekday-hour) counts as open when events happen in it in at least this share of
# the weeks covered: a centre closed on Friday afternoons gets no zero rows there.
OPEN_SHARE = 0.25


@dataclass(frozen=True)
class AggregateSpec:
    date: str
    period: str = "day"
    time: str | None = None
    keys: tuple[str, ...] = ()
    quantity: str | None = None  # None: count rows
    fill_closed: bool = False  # True: zero rows for every period, open or not
    price: str | None = None  # a price per line, kept as each period's average (weighted by the quantity)
    averaged: tuple[str, ...] = ()  # other numbers kept as each period's average (the staff on the floor)


def _moments(frame: pd.DataFrame, spec: AggregateSpec) -> pd.Series:
    moments = frame[spec.date]
    if not pd.api.types.is_datetime64_any_dtype(moments):
        raise BadMapping(f"'{spec.date}' is not a date column; choose the column that holds the event's date.")
    if spec.time:
        times = frame[spec.time]
        if not pd.api.types.is_timedelta64_dtype(times):
            raise BadMapping(f"'{spec.time}' does not hold times of day (H:MM:SS); choose another time column.")
        moments = moments.dt.normalize() + times
    return moments


def grid_of(period: str) -> Frequency:
    """The calendar of an aggregated log: weeks start on Monday, months on the 1st."""
    return Frequency(period, 0 if period == "week" else ("start" if period == "month" else None))


def _slot(stamps: pd.Series | pd.DatetimeIndex, period: str) -> pd.Series:
    stamps = pd.Series(stamps)
    if period == "hour":
        return stamps.dt.day_of_week * 24 + stamps.dt.hour
    return stamps.dt.day_of_week


def aggregate_events(frame: pd.DataFrame, spec: AggregateSpec) -> pd.DataFrame:
    """One row per period (and series), counting events or summing a quantity, zeros filled in
    the periods when the business was open."""
    if spec.period not in PERIODS:
        raise BadMapping(f"Unknown period '{spec.period}'; choose one of {', '.join(PERIODS)}.")
    keys = list(spec.keys)
    named = [spec.date, spec.time, spec.quantity, spec.price, *keys, *spec.averaged]
    unknown = [str(c) for c in named if c is not None and c not in frame.columns]
    if unknown:
        raise BadMapping(
            f"There is no column {', '.join(repr(c) for c in unknown)}. Columns: {', '.join(map(str, frame.columns))}."
        )
    frequency = grid_of(spec.period)
    work = pd.DataFrame({"period": frequency.period_of(_moments(frame, spec))})
    for key in keys:
        work[key] = frame[key].to_numpy()
    name = spec.quantity or COUNT_COLUMN
    if spec.quantity:
        if not pd.api.types.is_numeric_dtype(frame[spec.quantity]):
            raise BadMapping(f"'{spec.quantity}' is not numeric, so it cannot be summed; choose a number column.")
        work[name] = frame[spec.quantity].to_numpy()
    else:
        work[name] = 1
    price = spec.price if spec.price not in (None, name, *keys) else None
    if price is not None:
        if not pd.api.types.is_numeric_dtype(frame[price]):
            raise BadMapping(f"'{price}' is not numeric, so it cannot be kept as the price; choose a number column.")
        work["_paid"] = frame[price].to_numpy() * work[name]  # what the lines were worth, to weigh the price
        work["_priced"] = work[name].where(frame[price].notna().to_numpy(), 0)
    averaged = [c for c in spec.averaged if c not in (name, price, *keys, spec.date, spec.time)]
    for column in averaged:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise BadMapping(f"'{column}' is not numeric, so it cannot be averaged; choose number columns to keep.")
        work[column] = frame[column].to_numpy()
    work = work.dropna(subset=["period"])
    if work.empty:
        raise BadMapping(f"No row has a usable date in '{spec.date}'.")
    summed = [name, "_paid", "_priced"] if price is not None else [name]
    how = {**dict.fromkeys(summed, "sum"), **dict.fromkeys(averaged, "mean")}
    totals = work.groupby(["period", *keys], observed=True, sort=True).agg(how).reset_index()
    if price is not None:
        totals[price] = (totals.pop("_paid") / totals.pop("_priced").where(lambda q: q != 0)).astype("float64")
    grid = frequency.grid(totals["period"].min(), totals["period"].max())
    if spec.period in ("hour", "day") and not spec.fill_closed:
        grid = grid[_open_mask(totals["period"], grid, spec.period)]
    combos = totals[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    full = combos.merge(pd.DataFrame({"period": grid}), how="cross")
    result = full.merge(totals, on=["period", *keys], how="outer")
    result[name] = result[name].fillna(0)
    columns = ["period", *keys, name, *([price] if price is not None else []), *averaged]
    result = result[columns].sort_values([*keys, "period"], kind="stable").reset_index(drop=True)
    if price is not None:  # a period without a sale has its series' price of the nearest period before, else after
        series = result.groupby(keys, observed=True, sort=False)[price] if keys else result[price]
        result[price] = series.ffill()
        result[price] = (result.groupby(keys, observed=True, sort=False)[price] if keys else result[price]).bfill()
    return result


def _open_mask(busy: pd.Series, grid: pd.DatetimeIndex, period: str) -> pd.Series:
    weeks = max(grid.to_series().dt.to_period("W").nunique(), 1)
    busy_unique = pd.Series(busy.unique())
    active = busy_unique.groupby(_slot(busy_unique, period).to_numpy()).size() / weeks
    open_slots = set(active[active >= OPEN_SHARE].index)
    return _slot(grid, period).isin(open_slots).to_numpy()


def wide_to_long(
    frame: pd.DataFrame, date: str, series_columns: list[str], series_name: str = "series", value_name: str = "value"
) -> pd.DataFrame:
    """One column per series -> one row per (date, series)."""
    if not series_columns:
        raise BadMapping("Choose at least one column that holds a series to convert.")
    kept = [c for c in frame.columns if c not in series_columns and c != date]
    taken = [name for name in (series_name, value_name) if name in kept or name == date]
    if taken:
        raise BadMapping(
            f"The file already has a column named {', '.join(repr(n) for n in taken)}; rename it in the file (or "
            "tick it as a series) and convert again."
        )
    long = frame.melt(id_vars=[date, *kept], value_vars=series_columns, var_name=series_name, value_name=value_name)
    return long.sort_values([series_name, date], kind="stable").reset_index(drop=True)
