"""The one entry point the UI and the CLI share: ``run_analysis`` fits and backtests a Problem,
``recost`` re-prices the kept predictions for new parameters without refitting.

An :class:`Analysis` is typed and frozen; :mod:`payoff.carry.serial` writes it to bytes and reads it
back exactly (same money, no refit)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from payoff.decision_kinds import DecisionKind
from payoff.engines import Threshold, engine_for
from payoff.engines.base import Progress
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import Explanation, Predictions
from payoff.framings.base import TYPED, FromColumn, ParamValue
from payoff.problem import Problem
from payoff.runtime.compute import Compute


@dataclass(frozen=True, eq=False)
class Analysis:
    problem: Problem
    predictions: Predictions
    impact: Impact  # at the problem's own parameters

    @property
    def kind(self) -> DecisionKind:
        return self.problem.kind

    @property
    def values(self) -> dict[str, ParamValue | FromColumn]:
        return self.problem.values

    @property
    def model_names(self) -> list[str]:
        return [m.name for m in self.impact.models if m.kind == "model"]


def run_analysis(problem: Problem, progress: Progress | None = None, compute: Compute | None = None) -> Analysis:
    """Fit, price and explain. `compute` (this process by default) says where the per-series work
    runs; the numbers are the same wherever it runs."""
    _, explained = run_priced(problem, progress, compute)
    return explained(True)  # nothing is drawn meanwhile: the explanations may share two cores


def run_priced(
    problem: Problem, progress: Progress | None = None, compute: Compute | None = None
) -> tuple[Analysis, Callable[[bool], Analysis]]:
    """The analysis as soon as its money is priced (all a headline needs), and the call that
    returns it with its explanations, worked out from the models just fitted. The app shows the
    first while the second is worked out: they take a third of a run on the samples."""
    engine = engine_for(problem.kind)
    predictions, explain = engine.fit(problem, progress, compute)
    priced = Analysis(problem, predictions, engine.price(problem, predictions, problem.values))

    def explained(together: bool = False) -> Analysis:
        if progress:
            progress("explaining the models", 1.0)
        return with_explanations(priced, explain(together))

    return priced, explained


def with_explanations(analysis: Analysis, explanations: tuple[Explanation, ...]) -> Analysis:
    """The same analysis, its models explained (the money is not touched)."""
    return Analysis(analysis.problem, replace(analysis.predictions, explanations=explanations), analysis.impact)


def resolved(analysis: Analysis, params: Mapping[str, Any] | None = None) -> dict[str, ParamValue | FromColumn]:
    """The analysis's parameters with `params` laid over them, each checked (a what-if)."""
    return analysis.problem.framing.resolve({**analysis.values, **dict(params or {})})


def recost(
    analysis: Analysis,
    params: Mapping[str, Any] | None = None,
    threshold: float | None = None,
    uncertainty: bool = True,
) -> Impact:
    """New business parameters, same predictions: the fast path behind every what-if control and
    every sensitivity point. `threshold` (targeting) replaces the expected-value rule by a
    probability cut-off; without `uncertainty` only the gains are computed (no bootstrap)."""
    values = resolved(analysis, params)
    rule = None if threshold is None else Threshold(float(threshold))
    return engine_for(analysis.kind).price(analysis.problem, analysis.predictions, values, rule, uncertainty)


def rebased(analysis: Analysis, params: Mapping[str, Any] | None = None, impact: Impact | None = None) -> Analysis:
    """The same analysis with `params` as its own parameters (what a what-if becomes when it is
    saved, reported or swept around): the kept predictions, re-priced, no refit. `impact` is the
    pricing at these parameters where the caller already has it."""
    if not params:
        return analysis
    values = resolved(analysis, params)
    own = analysis.problem.values
    sources = dict(analysis.problem.sources)  # a value the what-if changed is the user's now, not a default
    sources.update({key: TYPED for key in values if key in sources and values[key] != own.get(key)})
    problem = replace(analysis.problem, params=tuple(values.items()), sources=tuple(sources.items()))
    if impact is None:
        impact = engine_for(problem.kind).price(problem, analysis.predictions, values)
    return Analysis(problem, analysis.predictions, impact)


def next_decisions(analysis: Analysis, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """What to decide next with the recommended model, at the analysis's (or the given) costs."""
    values = resolved(analysis, params)
    impact = recost(analysis, params)
    return engine_for(analysis.kind).next_decisions(analysis.problem, analysis.predictions, impact, values)
