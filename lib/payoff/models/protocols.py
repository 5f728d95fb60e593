"""What a model is to the rest of Payoff: three small protocols (a per-series forecaster, a
forecaster fitted over every series at once, a classifier) and the spec that registers one.

The specs say everything the backtest, the next decisions, the classifiers, the explanations and
the pages need to know about a model, so none of them keeps its own table of names. How a model
is explained is a kind the evaluate layer dispatches on: models/ may not import evaluate/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar, Protocol

import numpy as np
import pandas as pd

from payoff.decision_kinds import DecisionKind
from payoff.models.features import FeatureSet
from payoff.models.panel import Panel


class Forecaster(Protocol):
    """Fitted per series, vectorised: ``fit(y)`` learns from the history matrix (series x
    periods, NaN = no data) and nothing else, ``predict(horizon)`` gives series x horizon."""

    name: str

    def fit(self, y: np.ndarray) -> Forecaster: ...

    def predict(self, horizon: int) -> np.ndarray: ...


class GlobalForecaster(Protocol):
    """One model over every series: ``fit`` sees the whole panel and its features and must learn
    only from the cells before `end`; ``predict(horizon)`` gives series x horizon from `end` on,
    ``predict_rows`` the forecasts of any feature rows (permuted ones, for importances)."""

    name: str

    def fit(self, features: FeatureSet, panel: Panel, end: int, horizon: int) -> GlobalForecaster: ...

    def predict(self, horizon: int) -> np.ndarray: ...

    def predict_rows(self, matrix: np.ndarray, rows: np.ndarray) -> np.ndarray: ...


class Classifier(Protocol):
    """A scikit-learn style binary classifier on a feature frame (numbers as float, the rest as
    text categories): ``predict_proba`` gives one row per entity, the event's column last."""

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> object: ...

    def predict_proba(self, x: pd.DataFrame) -> np.ndarray: ...


class ExplainedBy(Enum):
    """How the evaluate layer explains a fitted model."""

    NOTHING = "nothing"
    EFFECTS = "effects"  # a GLM's effects with 95% intervals (statsmodels)
    MONEY_IMPORTANCE = "money importance"  # permutation importance, priced at the run's costs


@dataclass(frozen=True, kw_only=True)
class ModelSpec:
    name: str  # the contract: the CLI's --models, the JSON keys
    business_name: str  # what a business user reads
    description: str  # one line, shown beside the business name
    explained_by: ExplainedBy = ExplainedBy.NOTHING
    intermittent: bool = False  # offered by default only when most periods sell nothing
    repeats_data: bool = False  # only repeats the data: can be weak, cannot break (never flagged as broken)
    learns_decision: bool = False  # its forecast is demand's quantile at the critical ratio, not a mean
    kind: ClassVar[DecisionKind]


@dataclass(frozen=True, kw_only=True)
class ForecasterSpec(ModelSpec):
    """A per-series forecaster, built from the panel's season (periods in one cycle)."""

    build: Callable[[int], Forecaster]
    kind: ClassVar[DecisionKind] = DecisionKind.QUANTITY


@dataclass(frozen=True, kw_only=True)
class GlobalForecasterSpec(ModelSpec):
    """A model over every series, built for the decision's critical ratio (the share of demand to
    cover, from the costs): a model that learns the decision itself is fitted at it, the others
    ignore it."""

    build: Callable[[float], GlobalForecaster]
    # Its fit time against a linear regression's, roughly (measured on the café sample): the
    # costliest are fitted first, so the two processes sharing the fits end together.
    fit_cost: float = 1.0
    kind: ClassVar[DecisionKind] = DecisionKind.QUANTITY


@dataclass(frozen=True)
class Columns:
    """A classifier's feature columns by kind."""

    numeric: list[str]
    categorical: list[str]


@dataclass(frozen=True, kw_only=True)
class ClassifierSpec(ModelSpec):
    build: Callable[[Columns], Classifier]
    # Ordinal-encoded pipelines take the categories first (their mask of categorical columns is
    # built in that order).
    categories_first: bool = True
    max_rows: int | None = None  # rows a fold trains on at most (a seeded subsample beyond)
    kind: ClassVar[DecisionKind] = DecisionKind.TARGETING


QuantitySpec = ForecasterSpec | GlobalForecasterSpec
