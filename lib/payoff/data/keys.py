"""Series keys as text: the one place a blank key cell gets its visible label, so the Data page's
findings, a run's series, its JSON, its downloads and its charts all name that series alike."""

from __future__ import annotations

import pandas as pd

BLANK = "(blank)"


def key_text(keys: pd.DataFrame) -> pd.DataFrame:
    """Each key column as text, a blank (missing) cell as "(blank)": rows with a blank key form
    one series of their own instead of vanishing from groupings that drop missing values."""
    return keys.astype("str").fillna(BLANK)
