"""The one protocol both decision engines follow: run a problem once (the expensive part), price
the kept predictions at any parameters (the instant part), and give the next decisions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import Predictions
from payoff.framings.base import FromColumn, ParamValue
from payoff.problem import Problem
from payoff.runtime.compute import Compute

Progress = Callable[[str, float], None]
Values = Mapping[str, ParamValue | FromColumn]


@dataclass(frozen=True)
class Threshold:
    """Targeting only: act where the probability is at least `probability` (a manual override of
    the expected-value rule)."""

    probability: float


class Engine(Protocol):
    family: str

    def run(self, problem: Problem, progress: Progress | None = None, compute: Compute | None = None) -> Predictions:
        """Fit and predict out of sample: the only step that fits models. `compute` says where the
        per-series work runs; it never changes a number."""
        ...

    def price(
        self,
        problem: Problem,
        predictions: Predictions,
        values: Values,
        threshold: Threshold | None = None,
        uncertainty: bool = True,
    ) -> Impact:
        """Turn kept predictions into priced decisions at these parameter values (no refit);
        without `uncertainty`, gains only (no bootstrap): what a sensitivity point needs."""
        ...

    def next_decisions(
        self, problem: Problem, predictions: Predictions, impact: Impact, values: Values
    ) -> pd.DataFrame:
        """What to decide next with the recommended model, at these parameter values."""
        ...
