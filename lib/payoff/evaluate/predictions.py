"""What a run keeps: every model's out-of-sample predictions, typed and frozen, so any cost can be
re-priced, swept or saved without refitting. Failures travel with the model that had them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from payoff.evaluate.count_table import MOST_CELLS, CountCursor, CountTable
from payoff.evaluate.policies import count_size, steadier_than_counts
from payoff.models.forecasters import nanmean
from payoff.models.panel import Panel


@dataclass(frozen=True)
class Failure:
    """A model that could not predict a series in a window, or a fold, and why."""

    model: str
    reason: str
    series: str | None = None
    window: str | None = None
    fold: int | None = None

    def as_dict(self) -> dict[str, Any]:
        where: dict[str, Any] = {"fold": self.fold} if self.fold is not None else {"series": self.series or "all"}
        if self.window is not None:
            where["window"] = self.window
        return {**where, "reason": self.reason}

    def text(self) -> str:
        where = f"fold {self.fold}" if self.fold is not None else (self.series or "every series")
        return f"{where}{', ' + self.window if self.window else ''}: {self.reason}"


@dataclass(frozen=True)
class LeakageFlag:
    column: str
    auc: float
    reason: str


@dataclass(frozen=True)
class Effect:
    """One feature's effect in business words, with its 95% interval where the model gives one."""

    feature: str
    estimate: float
    low: float | None = None
    high: float | None = None
    text: str = ""


@dataclass(frozen=True)
class Explanation:
    """What drives one model: effects (GLM, logistic) or importance (trees), in the stated unit."""

    model: str
    unit: str
    effects: tuple[Effect, ...]
    note: str = ""


@dataclass(frozen=True, eq=False)
class Forecasts:
    """One model's point forecasts over every window (calibration first). `fallback` marks cells
    decided with the last value seen because the model failed there (listed in `failures`).
    `ratio`: for a model that learns the decision itself, the critical ratio it learned it at
    (its forecast is that quantile of demand, not a mean); None for the others."""

    name: str
    forecast: np.ndarray  # series x (windows * horizon)
    fallback: np.ndarray  # bool, same shape
    failures: tuple[Failure, ...] = ()
    ratio: float | None = None


@dataclass(frozen=True, eq=False)
class QuantityPredictions:
    panel: Panel
    starts: tuple[int, ...]  # first period of each window; window 0 calibrates and is never scored
    horizon: int
    models: tuple[Forecasts, ...]  # a status-quo rule comes first, named "status quo"
    status_quo_decisions: np.ndarray | None = None  # the decision column over every window
    explanations: tuple[Explanation, ...] = ()
    # priced with the blend of the leading models (evaluate.blend); False for an analysis saved
    # before it existed, so that it reopens with the money it was saved with
    blend: bool = True

    @property
    def windows(self) -> int:
        return len(self.starts)

    @cached_property
    def periods(self) -> np.ndarray:
        """Panel period index of every window's cells, in order."""
        return np.concatenate([np.arange(s, s + self.horizon) for s in self.starts])

    @cached_property
    def window_of(self) -> np.ndarray:
        return np.repeat(np.arange(self.windows), self.horizon)

    @cached_property
    def actual(self) -> np.ndarray:
        return self.panel.y[:, self.periods]

    @property
    def scored(self) -> np.ndarray:
        """Mask of the cells that are scored (every window but the calibration one)."""
        return self.window_of > 0

    def model(self, name: str) -> Forecasts:
        for entry in self.models:
            if entry.name == name:
                return entry
        raise KeyError(name)

    def residual_pools(self, name: str) -> list[np.ndarray]:
        """For each window k, the model's errors (actual - forecast) in the windows before k,
        sorted per series and NaN padded; window 0 gets its own errors (it is only used to
        choose between models, never scored). Cells decided by a fallback are left out, so a
        model's quantiles come from its own errors only."""
        cache: dict[str, list[np.ndarray]] = self.__dict__.setdefault("_pools", {})
        if name not in cache:
            entry = self.model(name)
            errors = np.where(entry.fallback, np.nan, self.actual - entry.forecast)
            pools = []
            for k in range(self.windows):
                before = self.window_of < k if k else self.window_of == 0
                pools.append(np.sort(errors[:, before], axis=1))  # NaNs sort last
            cache[name] = pools
        return cache[name]

    def count_sizes(self, name: str) -> list[np.ndarray]:
        """For each window k, the negative-binomial size of every series (policies.count_size)
        from the model's forecasts there and its errors before: the costs do not enter it."""
        cache: dict[str, list[np.ndarray]] = self.__dict__.setdefault("_sizes", {})
        if name not in cache:
            forecast, pools, h = self.model(name).forecast, self.residual_pools(name), self.horizon
            cache[name] = [count_size(forecast[:, k * h : (k + 1) * h], pools[k]) for k in range(self.windows)]
        return cache[name]

    def count_reader(self, name: str) -> CountTable | CountCursor | None:
        """What reads the model's cells' count quantiles at any level, with its windows' sizes
        (count_sizes; the costs do not enter them). Up to MOST_CELLS cells, a table summed once
        (evaluate.count_table), but None the first time a model is asked: one pricing (the
        headline's) sums its own levels faster than the table is built (0.03 s against 0.15 s on
        the café sample); the next builds it. Above, a cursor that steps from the last level."""
        cache: dict[str, CountTable | CountCursor] = self.__dict__.setdefault("_count_readers", {})
        asked: dict[str, int] = self.__dict__.setdefault("_count_asks", {})
        asked[name] = asked.get(name, 0) + 1
        forecast = self.model(name).forecast
        small = forecast.size <= MOST_CELLS
        if name not in cache and small and asked[name] < 2:
            return None
        if name not in cache:
            sizes = np.repeat(np.stack(self.count_sizes(name), axis=1), self.horizon, axis=1)
            cache[name] = CountTable.build(forecast, sizes) if small else CountCursor(forecast, sizes)
        return cache[name]

    def steady(self, name: str) -> list[np.ndarray]:
        """For each window k, the series whose errors before it spread less than a count's would
        (policies.steadier_than_counts): the costs do not enter it."""
        cache: dict[str, list[np.ndarray]] = self.__dict__.setdefault("_steady", {})
        if name not in cache:
            forecast, pools, h = self.model(name).forecast, self.residual_pools(name), self.horizon
            cache[name] = [
                steadier_than_counts(forecast[:, k * h : (k + 1) * h], pools[k]) for k in range(self.windows)
            ]
        return cache[name]

    def residual_means(self, name: str) -> list[np.ndarray]:
        return [np.nan_to_num(nanmean(pool, axis=1)) for pool in self.residual_pools(name)]

    def accuracy(self, name: str) -> dict[str, float]:
        """MAE, WAPE and bias of a model's point forecasts on the scored windows."""
        cache: dict[str, dict[str, float]] = self.__dict__.setdefault("_accuracy", {})
        if name not in cache:
            entry = self.model(name)
            cache[name] = point_accuracy(entry.forecast[:, self.scored], self.actual[:, self.scored])
        return dict(cache[name])


def point_accuracy(forecast: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    seen = ~np.isnan(actual)
    error = forecast[seen] - actual[seen]
    total = np.abs(actual[seen]).sum()
    return {
        "mae": float(np.mean(np.abs(error))) if error.size else float("nan"),
        "wape": float(np.abs(error).sum() / total) if total else float("nan"),
        "bias": float(error.sum() / total) if total else float("nan"),
    }


@dataclass(frozen=True, eq=False)
class Scores:
    """One classifier's out-of-fold probabilities (recalibrated on the other folds) for every
    scored entity; NaN everywhere when it failed (see `failures`)."""

    name: str
    probability: np.ndarray
    failures: tuple[Failure, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.failures)


@dataclass(frozen=True, eq=False)
class TargetingPredictions:
    rows: np.ndarray  # positions of the scored entities in the problem's table
    positive: np.ndarray  # bool: the event happened
    fold: np.ndarray  # the fold that scored each entity
    status_quo_acts: np.ndarray  # bool: what the business did (or its rule does)
    models: tuple[Scores, ...]  # the "base rate" rule comes first
    positive_label: str
    priced: dict[str, np.ndarray] = field(default_factory=dict)  # parameter key -> per-entity column values
    ids: np.ndarray | None = None  # entity ids as text
    leakage: tuple[LeakageFlag, ...] = ()
    explanations: tuple[Explanation, ...] = ()

    @property
    def folds(self) -> int:
        return int(self.fold.max()) + 1 if len(self.fold) else 0

    def model(self, name: str) -> Scores:
        for entry in self.models:
            if entry.name == name:
                return entry
        raise KeyError(name)

    def accuracy(self, name: str) -> dict[str, float]:
        cache: dict[str, dict[str, float]] = self.__dict__.setdefault("_accuracy", {})
        if name not in cache:
            cache[name] = _classifier_accuracy(self.model(name).probability, self.positive)
        return dict(cache[name])


def _classifier_accuracy(probability: np.ndarray, positive: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    if len(np.unique(positive)) < 2 or np.isnan(probability).any():
        return {}
    return {
        "auc": float(roc_auc_score(positive, probability)),
        "log_loss": float(log_loss(positive, np.clip(probability, 1e-6, 1 - 1e-6))),
        "brier": float(brier_score_loss(positive, probability)),
    }


Predictions = QuantityPredictions | TargetingPredictions
