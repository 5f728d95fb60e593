"""The one entry point the UI and the CLI share: ``run_analysis`` fits and backtests, ``recost``
re-prices the kept predictions for new business parameters without refitting."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from payoff.data.roles import Role, RoleMap
from payoff.errors import BadMapping, BadParameter
from payoff.framings import catalogue

Progress = Callable[[str, float], None]
_MOVING_AVERAGE = re.compile(r"^moving-average:(\d+)(?::([+-]?\d+(?:\.\d+)?)%)?$")


@dataclass(frozen=True)
class AnalysisSpec:
    """Everything the user chose besides the data and its roles. Hashable: a cache key."""

    framing: str
    params: tuple[tuple[str, Any], ...] = ()
    status_quo: str | None = None  # a column, or a rule: last, moving-average:N[:+B%], nobody, everybody, col<x
    models: tuple[str, ...] | None = None
    horizon: int | None = None
    origins: int = 4
    step: int | None = None
    country: str | None = None
    folds: int = 5
    season: int | None = None  # quantity: override the season length detected from the frequency

    @staticmethod
    def make(framing: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> AnalysisSpec:
        return AnalysisSpec(framing, tuple(sorted((params or {}).items())), **kwargs)

    @property
    def param_dict(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass
class Analysis:
    spec: AnalysisSpec
    family: str
    params: dict[str, Any]
    impact: Any  # payoff.evaluate.impact.Impact
    predictions: Any  # backtest Predictions (quantity) or TargetingPredictions
    status_quo_label: str
    status_quo_model: str | None  # None when the status quo is the user's decision column
    model_names: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)


def parse_quantity_status_quo(text: str | None, frame: pd.DataFrame, roles: RoleMap) -> tuple[str, Any]:
    """('column', name) or ('rule', StatusQuoRule)."""
    from payoff.models.forecasters import StatusQuoRule

    if text is None:
        decision = roles.one(Role.DECISION)
        return ("column", decision) if decision else ("rule", StatusQuoRule())
    text = text.strip()
    if text == "last":
        return "rule", StatusQuoRule()
    match = _MOVING_AVERAGE.match(text)
    if match:
        window = int(match.group(1))
        if window < 1:
            raise BadParameter("The moving average needs at least 1 period.")
        return "rule", StatusQuoRule(window=window, buffer=float(match.group(2) or 0) / 100)
    if text in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[text]):
            raise BadMapping(f"The status quo column '{text}' is not numeric; it should hold quantities decided.")
        return "column", text
    raise BadParameter(
        f"Unknown status quo '{text}'. Use a column name, 'last', 'moving-average:N' or 'moving-average:N:+B%'."
    )


def run_analysis(frame: pd.DataFrame, roles: RoleMap, spec: AnalysisSpec, progress: Progress | None = None) -> Analysis:
    framing = catalogue.get(spec.framing)
    params = framing.resolve(spec.param_dict)
    if framing.family == "quantity":
        from payoff import quantity_analysis

        return quantity_analysis.run(frame, roles, spec, params, progress)
    from payoff import targeting_analysis

    return targeting_analysis.run(frame, roles, spec, params, progress)


def recost(analysis: Analysis, params: Mapping[str, Any], threshold: float | None = None):
    """New business parameters, same predictions: the fast path behind every what-if control.
    `threshold` (targeting only) replaces the expected-value rule by a probability cut-off."""
    framing = catalogue.get(analysis.spec.framing)
    resolved = framing.resolve({**analysis.params, **dict(params)})
    if analysis.family == "quantity":
        from payoff import quantity_analysis

        return quantity_analysis.price(analysis, resolved)
    from payoff import targeting_analysis

    return targeting_analysis.price(analysis, resolved, threshold)
