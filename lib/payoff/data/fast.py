"""Vectorised helpers for large frames."""

from __future__ import annotations

import numpy as np
import pandas as pd


def duplicated(frame: pd.DataFrame, columns: list[str] | None = None, keep: str | bool = "first") -> pd.Series:
    """Exactly `frame.duplicated(columns, keep)`, but hashing rows first: only rows whose 64-bit
    hash repeats are compared exactly, which is several times faster on a million rows. The
    result is assembled in numpy (assigning into a boolean Series warns on pandas 2.2)."""
    subset = frame if columns is None else frame[columns]
    hashes = pd.util.hash_pandas_object(subset, index=False)
    candidates = hashes.duplicated(keep=False).to_numpy()
    result = np.zeros(len(frame), dtype=bool)
    if candidates.any():
        result[candidates] = subset[candidates].duplicated(keep=keep).to_numpy()  # type: ignore[arg-type]
    return pd.Series(result, index=frame.index)
