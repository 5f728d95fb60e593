"""The analysis as the CLI writes it and a report embeds it (DESIGN.md, "Command line"): the
money of every entry, the recommendation, the sensitivity of the gain to every assumption, and
the gain by segment when one is asked for."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from payoff.analysis import Analysis
from payoff.carry.segments import segment_gains
from payoff.carry.sensitivity import POINTS, SPAN, sensitivity
from payoff.designs import Backtest
from payoff.evaluate.impact import Impact
from payoff.problem import params_json

SIGNIFICANT = 12


def to_json(
    analysis: Analysis,
    impact: Impact | None = None,
    span: tuple[float, float] = SPAN,
    points: int = POINTS,
    segment: str | None = None,
) -> dict[str, Any]:
    impact = impact or analysis.impact
    problem = analysis.problem
    design = problem.evaluation
    payload: dict[str, Any] = {
        "framing": problem.framing.key,
        "params": params_json(impact.params, problem.table, problem.framing),
        "param_sources": {key: source for key, source in problem.sources if key in impact.params},
        "defaults_from": problem.defaults_from if problem.assumed else None,
        "currency": problem.currency or None,
        "rows": impact.evaluation.get("rows"),
        "status_quo": impact.status_quo,
        "status_quo_rule": {
            "label": problem.status_quo.label,
            "text": problem.status_quo.text,
            "source": problem.status_quo_source,
            "reason": problem.status_quo_reason or None,
        },
        "direction": impact.direction,
        "models": [m.as_dict() for m in impact.models],
        "best_model": impact.best_model,
        "recommended": impact.recommended.as_dict(),
        "sensitivity": [row for sweep in sensitivity(analysis, span, points) for row in sweep.as_rows()],
        "evaluation": dict(impact.evaluation),
        "columns": {
            "target": problem.target,
            "target_is_money": problem.money_target,
            "date": problem.date,
            "series": list(problem.keys),
            "id": problem.entity_id,
            "features": list(problem.features),
            "left_out": [{"column": column, "reason": reason} for column, reason in problem.left_out],
        },
        "explanations": [
            {"model": e.model, "unit": e.unit, "note": e.note, "effects": [vars(x) for x in e.effects]}
            for e in analysis.predictions.explanations
        ],
        "narrative": impact.narrative,
    }
    segment = segment or problem.segment
    if segment:
        payload["segments"] = segment_gains(analysis, impact, segment).as_dict()
    if isinstance(design, Backtest):
        payload["evaluation"]["horizon_source"] = "given" if design.horizon_given else "detected"
        payload["evaluation"]["season_source"] = "given" if design.season_given else "detected"
    return _finite(payload)


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
