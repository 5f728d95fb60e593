"""A data-quality finding in plain words, with the rows it concerns (0-based positions in the
loaded frame; pages show them as the table's index)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_ROWS_LISTED = 50


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str  # info | warning | problem
    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    count: int = 0


def rows_of(mask: pd.Series | np.ndarray) -> tuple[int, ...]:
    positions = np.flatnonzero(np.asarray(mask))
    return tuple(int(i) for i in positions[:MAX_ROWS_LISTED])
