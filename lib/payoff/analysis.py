"""The one entry point the UI and the CLI share: ``run_analysis`` fits and backtests a Problem,
``recost`` re-prices the kept predictions for new parameters without refitting.

An :class:`Analysis` is typed and frozen; :mod:`payoff.serial` writes it to bytes and reads it
back exactly (same money, no refit)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payoff.designs import Backtest
from payoff.engines import Threshold, engine_for
from payoff.engines.base import Progress
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import Predictions
from payoff.framings.base import FromColumn, ParamValue
from payoff.problem import Problem, params_json


@dataclass(frozen=True, eq=False)
class Analysis:
    problem: Problem
    predictions: Predictions
    impact: Impact  # at the problem's own parameters

    @property
    def family(self) -> str:
        return self.problem.family

    @property
    def values(self) -> dict[str, ParamValue | FromColumn]:
        return self.problem.values

    @property
    def model_names(self) -> list[str]:
        return [m.name for m in self.impact.models if m.kind == "model"]


def to_json(analysis: Analysis, impact: Impact | None = None) -> dict[str, Any]:
    """The analysis as the CLI writes it and a report embeds it (DESIGN.md, "Command line")."""
    impact = impact or analysis.impact
    problem = analysis.problem
    design = problem.evaluation
    payload: dict[str, Any] = {
        "framing": problem.framing.key,
        "params": params_json(impact.params),
        "rows": impact.evaluation.get("rows"),
        "status_quo": impact.status_quo,
        "status_quo_rule": {
            "label": problem.status_quo.label,
            "text": problem.status_quo.text,
            "source": problem.status_quo_source,
        },
        "direction": impact.direction,
        "models": [m.as_dict() for m in impact.models],
        "best_model": impact.best_model,
        "recommended": impact.recommended.as_dict(),
        "evaluation": dict(impact.evaluation),
        "columns": {
            "target": problem.target,
            "date": problem.date,
            "series": list(problem.keys),
            "id": problem.entity_id,
            "features": list(problem.features),
        },
        "narrative": impact.narrative,
    }
    if isinstance(design, Backtest):
        payload["evaluation"]["horizon_source"] = "given" if design.horizon_given else "detected"
        payload["evaluation"]["season_source"] = "given" if design.season_given else "detected"
    return _finite(payload)


SIGNIFICANT = 12


def _finite(value: Any) -> Any:
    """NaN and infinities are not JSON: they become null. Numbers keep 12 significant digits:
    summing the same values can differ in the last bit with memory alignment (SIMD), and the
    same input must give byte-identical JSON."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(f"{value:.{SIGNIFICANT}g}") if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def run_analysis(problem: Problem, progress: Progress | None = None) -> Analysis:
    engine = engine_for(problem.family)
    predictions = engine.run(problem, progress)
    return Analysis(problem, predictions, engine.price(problem, predictions, problem.values))


def resolved(analysis: Analysis, params: Mapping[str, Any] | None = None) -> dict[str, ParamValue | FromColumn]:
    """The analysis's parameters with `params` laid over them, each checked (a what-if)."""
    return analysis.problem.framing.resolve({**analysis.values, **dict(params or {})})


def recost(analysis: Analysis, params: Mapping[str, Any] | None = None, threshold: float | None = None) -> Impact:
    """New business parameters, same predictions: the fast path behind every what-if control and
    every sensitivity point. `threshold` (targeting) replaces the expected-value rule by a
    probability cut-off."""
    values = resolved(analysis, params)
    rule = None if threshold is None else Threshold(float(threshold))
    return engine_for(analysis.family).price(analysis.problem, analysis.predictions, values, rule)


def next_decisions(analysis: Analysis, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """What to decide next with the recommended model, at the analysis's (or the given) costs."""
    values = resolved(analysis, params)
    impact = recost(analysis, params)
    return engine_for(analysis.family).next_decisions(analysis.problem, analysis.predictions, impact, values)
