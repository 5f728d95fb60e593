"""The one protocol both decision engines follow: run a problem once (the expensive part), price
the kept predictions at any parameters (the instant part), and give the next decisions. It is
generic in the framing and the predictions of its kind, so an engine's methods take its own types;
what differs between the kinds beyond that (which rows a column prices, the unit a gain is broken
down by) is a method here too, so callers never branch on the predictions' type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np
import pandas as pd

from payoff.decision_kinds import DecisionKind
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import Explanation, Predictions
from payoff.framings.base import Framing, FromColumn, ParamValue
from payoff.problem import Problem
from payoff.runtime.compute import Compute

Progress = Callable[[str, float], None]
Values = Mapping[str, ParamValue | FromColumn]
# What drives each fitted model, worked out after the money is priced: the headline does not wait.
# Its argument: whether the work may be shared with a forked copy of this process, which is so when
# nothing is drawn meanwhile (the app draws the headline then, and two busy processes delay it).
Explain = Callable[[bool], tuple[Explanation, ...]]


@dataclass(frozen=True)
class Threshold:
    """Targeting only: act where the probability is at least `probability` (a manual override of
    the expected-value rule)."""

    probability: float


F = TypeVar("F", bound=Framing)
P = TypeVar("P", bound=Predictions)


class Engine(Protocol[F, P]):
    kind: DecisionKind
    framing_type: type[F]
    gain_units: str  # what one gain of a breakdown belongs to, in the plural: series, entities

    def fit(
        self, problem: Problem, progress: Progress | None = None, compute: Compute | None = None
    ) -> tuple[P, Explain]:
        """Fit and predict out of sample: the only step that fits models. `compute` says where the
        per-series work runs; it never changes a number. The predictions come without their
        explanations; calling the second half works them out from the models just fitted."""
        ...

    def price(
        self,
        problem: Problem,
        predictions: P,
        values: Values,
        threshold: Threshold | None = None,
        uncertainty: bool = True,
    ) -> Impact:
        """Turn kept predictions into priced decisions at these parameter values (no refit);
        without `uncertainty`, gains only (no bootstrap): what a sensitivity point needs."""
        ...

    def next_decisions(self, problem: Problem, predictions: P, impact: Impact, values: Values) -> pd.DataFrame:
        """What to decide next with the recommended model, at these parameter values."""
        ...

    def priced_column(self, predictions: P, key: str) -> np.ndarray:
        """The values of the column that prices parameter `key`, as the decisions saw them."""
        ...

    def gains_by(self, problem: Problem, predictions: P, impact: Impact, column: str) -> pd.DataFrame:
        """Payoff's choice's gain over the status quo per unit of `gain_units` ("gain"), beside
        that unit's value of `column` ("segment"): what a breakdown by the column adds up."""
        ...
