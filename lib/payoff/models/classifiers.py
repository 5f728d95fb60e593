"""Classifiers for targeting framings, their folds, and the base-rate rule they are compared with.

Out-of-fold probabilities come from stratified k-fold (or time-ordered folds when a date is
mapped): every entity is scored by a model that never saw it. The probabilities are then
recalibrated per fold with a logistic map fitted on the *other* folds' out-of-fold scores, so
the effective decision threshold is never chosen on the rows it is scored on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from payoff.models.catalogue import classifier_spec
from payoff.models.protocols import Classifier, Columns

Progress = Callable[[str, float], None]


def split_columns(frame: pd.DataFrame, features: list[str]) -> Columns:
    numeric = [
        c for c in features if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    categorical = [c for c in features if c not in numeric]
    return Columns(numeric, categorical)


def feature_frame(frame: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """Numbers as float, everything else (text, booleans, dates) as text categories."""
    out = {}
    for column in features:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            out[column] = series.astype("float64")
        else:
            out[column] = series.astype("str").where(series.notna(), "missing").astype(object)
    return pd.DataFrame(out, index=frame.index)


def make_model(name: str, columns: Columns, n_rows: int) -> Classifier:
    """A fresh classifier `name` for a fold of `n_rows` rows, as the registry builds it."""
    return classifier_spec(name).build(columns)


def base_rate(y: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Each scored entity's probability under the base-rate rule: the event rate of the rows its
    fold was trained on (never its own)."""
    out = np.full(len(y), np.nan)
    for train, test in splits:
        out[test] = float(np.mean(y[train])) if len(train) else float(np.mean(y))
    return out


def folds(y: np.ndarray, order: np.ndarray | None, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified k-fold, or with an order (dates): k blocks in time, each scored by a model
    trained only on the blocks before it (the first block is never scored)."""
    if order is None:
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=0)
        return list(splitter.split(np.zeros(len(y)), y))
    ranked = np.argsort(order, kind="stable")
    blocks = np.array_split(ranked, k + 1)
    return [(np.concatenate(blocks[:i]), blocks[i]) for i in range(1, k + 1)]


@dataclass
class OutOfFold:
    name: str
    raw: np.ndarray  # out-of-fold probability (NaN where not scored)
    calibrated: np.ndarray  # recalibrated on the other folds
    last_model: Classifier | None = None  # the model of the last fold, for explanations
    last_test: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    failed_fold: int | None = None
    failure: str | None = None


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def recalibrate(raw: np.ndarray, y: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Per fold, a logistic map from the score to a probability, fitted on the other folds."""
    out = np.full(len(raw), np.nan)
    scored = np.concatenate([test for _, test in splits])
    for _, test in splits:
        others = np.setdiff1d(scored, test, assume_unique=False)
        if len(np.unique(y[others])) < 2:
            out[test] = raw[test]
            continue
        mapper = LogisticRegression(C=1e4).fit(_logit(raw[others])[:, None], y[others])
        out[test] = mapper.predict_proba(_logit(raw[test])[:, None])[:, 1]
    return out


def _subsample(name: str, train: np.ndarray, seed: int) -> np.ndarray:
    """The rows a fold trains on: all of them, or a seeded subsample for a model that caps them."""
    limit = classifier_spec(name).max_rows
    if limit is not None and len(train) > limit:
        return np.sort(np.random.default_rng(seed).choice(train, limit, replace=False))
    return train


def ordered_columns(name: str, x: pd.DataFrame, columns: Columns) -> pd.DataFrame:
    """The columns in the order the model `name` was fitted on (categories first, for the
    ordinal-encoded pipelines whose mask of categorical columns is built that way)."""
    return x[columns.categorical + columns.numeric] if classifier_spec(name).categories_first else x


def fit_and_score(
    name: str,
    x: pd.DataFrame,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    columns: Columns,
    new: pd.DataFrame,
) -> np.ndarray:
    """Probabilities for new rows from `name` fitted on all of `x`, calibrated as the backtest
    calibrates: a logistic map from the model's out-of-fold scores to the outcome."""
    folds = out_of_fold(name, x, y, splits, columns)
    if folds.failure:
        raise ValueError(folds.failure)
    everything = _subsample(name, np.arange(len(y)), len(splits))
    model = make_model(name, columns, len(everything))
    model.fit(ordered_columns(name, x, columns).iloc[everything], y[everything])
    raw = model.predict_proba(ordered_columns(name, new, columns))[:, 1]
    scored = np.isfinite(folds.raw)
    if len(np.unique(y[scored])) < 2:
        return raw
    mapper = LogisticRegression(C=1e4).fit(_logit(folds.raw[scored])[:, None], y[scored])
    return mapper.predict_proba(_logit(raw)[:, None])[:, 1]


def out_of_fold(
    name: str,
    x: pd.DataFrame,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    columns: Columns,
    progress: Progress | None = None,
    step: tuple[int, int] = (0, 1),
) -> OutOfFold:
    raw = np.full(len(y), np.nan)
    ordered = ordered_columns(name, x, columns)
    model = None
    for i, (train, test) in enumerate(splits):
        train = _subsample(name, train, i)
        if progress:
            progress(f"{name}: fold {i + 1} of {len(splits)}", (step[0] + i / len(splits)) / step[1])
        try:
            model = make_model(name, columns, len(train))
            model.fit(ordered.iloc[train], y[train])
            raw[test] = model.predict_proba(ordered.iloc[test])[:, 1]
        except (ValueError, np.linalg.LinAlgError, FloatingPointError) as error:
            nothing = np.full(len(y), np.nan)
            return OutOfFold(name, nothing, nothing, failed_fold=i + 1, failure=str(error) or type(error).__name__)
    return OutOfFold(name, raw, recalibrate(raw, y, splits), model, splits[-1][1])
