"""Closed days are not stockouts. A period where a whole store (every series sharing a key value,
such as every item of one shop) or the whole business sells nothing, or that the file's own
closed-days column marks, is a closure: no demand to meet, no order to place, no cost to count.

Such cells become unknown demand, which every model already treats as a gap in the history and
which no entry, the status quo included, is priced on."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from payoff.data.roles import CLOSED_NAME, Role, RoleMap, is_binary
from payoff.models.panel import Panel


@dataclass(frozen=True)
class Closures:
    """Which (series, period) cells are closures, and the sentence that says how they were found."""

    cells: np.ndarray  # series x periods, True where the business was closed
    sentence: str

    @property
    def count(self) -> int:
        return int(self.cells.sum())


def closed_column(table: pd.DataFrame, roles: RoleMap) -> str | None:
    """A 0/1 (yes/no) column that marks closed days, by its name."""
    for column, role in roles.roles.items():
        named = role in (Role.FEATURE, Role.IGNORE) and CLOSED_NAME.search(str(column)) is not None
        if named and column in table and is_binary(table[column]):
            return str(column)
    return None


def without_closures(panel: Panel, column: str | None) -> tuple[Panel, Closures]:
    """The panel with closed cells as unknown demand (and the closed-days column taken out of the
    regressors: it marks closures, it does not forecast demand)."""
    regressors = dict(panel.regressors)
    flag = regressors.pop(column, None) if column else None
    closures = find_closures(panel.y, panel.series, flag, panel.frequency.unit)
    y = np.where(closures.cells, np.nan, panel.y)
    return replace(panel, y=y, regressors=regressors), closures


def find_closures(y: np.ndarray, series: pd.DataFrame, flag: np.ndarray | None, unit: str) -> Closures:
    """Closures from the closed-days column (`flag`, series x periods) and from periods where every
    series of a group (a value of a key column with two series or more) or of the whole file has a
    row with zero and none sells."""
    known = ~np.isnan(y)
    sold_nothing = known & (y == 0)
    cells = np.zeros(y.shape, dtype=bool)
    reasons = []
    if flag is not None:
        marked = np.nan_to_num(flag, nan=0.0) > 0
        cells |= marked
        if marked.any():
            reasons.append(f"{int(marked.any(axis=0).sum())} {unit}(s) your file marks as closed")
    groups: list[tuple[str, np.ndarray]] = []
    if y.shape[0] >= 2:
        groups.append(("every series", np.arange(y.shape[0])))
    if series.shape[1] >= 2:
        for column in series.columns:
            for value, rows in series.groupby(column, sort=False).indices.items():
                if len(rows) >= 2:
                    groups.append((f"{column} {value}", np.asarray(rows)))
    found: dict[str, int] = {}
    for name, rows in groups:
        part = sold_nothing[rows]
        closed = part.any(axis=0) & ~(known[rows] & (y[rows] > 0)).any(axis=0)
        new = closed & ~cells[rows].all(axis=0)
        if new.any():
            cells[np.ix_(rows, closed)] = True
            key = name.split(" ")[0] if name != "every series" else name
            found[key] = found.get(key, 0) + int(new.sum())
    for key, periods in found.items():
        what = "the whole business" if key == "every series" else f"a whole {key}"
        reasons.append(f"{periods} {unit}(s) when {what} sold nothing")
    sentence = (
        "Closed, not out of stock: "
        + "; ".join(reasons)
        + ". No order and no cost is counted on them, for any model or the status quo."
        if reasons
        else ""
    )
    return Closures(cells, sentence)
