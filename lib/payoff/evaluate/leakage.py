"""Leakage guard: features that alone predict the outcome suspiciously well, or that by their
name are only known after the outcome, are flagged before fitting, with the evidence."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from payoff.evaluate.predictions import LeakageFlag

SUSPICIOUS_AUC = 0.9
AFTER_OUTCOME = re.compile(
    r"duration|(^|[_\W])after|(^|[_\W])outcome$|cancel|refund|chargeback|churn_date|end_date|days_to|"
    r"resolution|paid_off|recovered|collection|write.?off",
    re.I,
)


def single_feature_auc(values: pd.Series, y: np.ndarray) -> float:
    """How well one column alone ranks the outcome (0.5 = not at all, 1 = perfectly).

    Numbers are used as scores; categories by their event rate, computed on the other half of
    the rows (two-fold) so an identifier cannot look predictive by memorising its own row; dates
    by their time. Whether a value is there at all counts too: a cancellation date filled in for
    exactly the customers who left tells them apart by its blanks alone (its dates ranked 0.58)."""
    blank = values.isna().to_numpy()
    if blank.all():
        return 0.5  # an empty column ranks nothing (and has no median to fill with)
    by_blanks = _auc(y, blank.astype("float64")) if blank.any() and not blank.all() else 0.5
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.rank(method="average")  # by their order: a 9999-12-31 'never' overflowed nanoseconds
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64").replace([np.inf, -np.inf], np.nan)  # infinity ranks nothing: missing
        score = numbers.fillna(numbers.median()).to_numpy()
    else:
        text = values.astype("str").to_numpy()
        rng = np.random.default_rng(0)
        half = rng.random(len(text)) < 0.5
        score = np.full(len(text), y.mean())
        for fit, apply in ((half, ~half), (~half, half)):
            rates = pd.Series(y[fit]).groupby(text[fit]).mean()
            score[apply] = pd.Series(text[apply]).map(rates).fillna(y[fit].mean()).to_numpy()
    return max(_auc(y, score), by_blanks)


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    """The AUC of a score either way round (0.5 when it does not vary or one outcome is absent)."""
    if np.all(score == score[0]) or np.all(y == y[0]):
        return 0.5
    auc = roc_auc_score(y, score)
    return float(max(auc, 1 - auc))


def _how_well(auc: float) -> str:
    """An AUC in words a manager reads: how often the column alone ranks a row with the outcome
    above one without it (0.5 is a coin toss)."""
    return f"{auc:.0%} of the time (AUC {auc:.2f}, where a coin toss is 0.50)"


def check(frame: pd.DataFrame, features: list[str], y: np.ndarray, sample: int = 50_000) -> list[LeakageFlag]:
    if len(frame) > sample:
        rows = np.random.default_rng(0).choice(len(frame), sample, replace=False)
        frame, y = frame.iloc[rows], y[rows]
    flags = []
    for column in features:
        auc = single_feature_auc(frame[column], y)
        if auc >= SUSPICIOUS_AUC:
            flags.append(LeakageFlag(column, auc, f"on its own tells the two outcomes apart {_how_well(auc)}"))
        elif AFTER_OUTCOME.search(column):
            flags.append(
                LeakageFlag(
                    column,
                    auc,
                    f"has a name that says it is only known after the outcome (alone it tells them apart {_how_well(auc)})",
                )
            )
    return flags
