"""Vectorised helpers for large frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

_MIX = np.uint64(1_000_003)


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash per row, built one column at a time. Text columns are hashed through their
    category codes: hashing the strings themselves turned a million of them into Python objects
    first (130 MB at once on a million-customer file); the codes take 45 MB."""
    combined = np.zeros(len(frame), dtype="uint64")
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            hashed = pd.util.hash_array(pd.factorize(values)[0].astype("int64"))
        else:
            hashed = pd.util.hash_pandas_object(values, index=False).to_numpy()
        combined = combined * _MIX ^ hashed
    return combined


def duplicated(frame: pd.DataFrame, columns: list[str] | None = None, keep: str | bool = "first") -> pd.Series:
    """Exactly `frame.duplicated(columns, keep)`, but hashing rows first: only rows whose 64-bit
    hash repeats are compared exactly, which is several times faster on a million rows. The
    result is assembled in numpy (assigning into a boolean Series warns on pandas 2.2)."""
    subset = frame if columns is None else frame[columns]
    candidates = pd.Series(row_hashes(subset)).duplicated(keep=False).to_numpy()
    result = np.zeros(len(frame), dtype=bool)
    if candidates.any():
        result[candidates] = subset[candidates].duplicated(keep=keep).to_numpy()  # type: ignore[arg-type]
    return pd.Series(result, index=frame.index)
