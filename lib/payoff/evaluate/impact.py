"""What the decisions were worth: money per model against the status quo, with its uncertainty
and one sentence a manager can repeat. Shared by quantity and targeting framings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class ModelMoney:
    name: str
    money: float  # total cost (direction cost) or net value (direction value)
    components: dict[str, float]
    gain: float = 0.0  # positive: better than the status quo
    gain_interval: tuple[float, float] = (0.0, 0.0)
    p_beats: float = 0.0
    accuracy: dict[str, float] = field(default_factory=dict)
    per_segment: dict[str, float] = field(default_factory=dict)  # series or group -> money
    extras: dict[str, float] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    is_status_quo: bool = False


@dataclass
class Impact:
    framing: str
    params: dict[str, Any]
    direction: str  # cost | value
    status_quo: str
    models: list[ModelMoney]
    evaluation: dict[str, Any]
    best_model: str = ""
    narrative: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # decisions etc. for charts

    def model(self, name: str) -> ModelMoney:
        for entry in self.models:
            if entry.name == name:
                return entry
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "framing": self.framing,
            "params": self.params,
            "rows": self.evaluation.get("rows"),
            "status_quo": self.status_quo,
            "direction": self.direction,
            "models": [
                {
                    "name": m.name,
                    "money": m.money,
                    "components": m.components,
                    "gain_vs_status_quo": m.gain,
                    "gain_interval": list(m.gain_interval),
                    "p_beats_status_quo": m.p_beats,
                    "accuracy": m.accuracy,
                    "extras": m.extras,
                    "failed_series": m.failed,
                }
                for m in self.models
            ],
            "best_model": self.best_model,
            "evaluation": self.evaluation,
            "narrative": self.narrative,
        }


def money_text(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def choose_best(models: list[ModelMoney]) -> ModelMoney:
    """The model with the largest gain; the status quo wins ties (no change without a reason)."""
    return max(models, key=lambda m: (round(m.gain, 9), m.is_status_quo))


def narrative(best: ModelMoney, status_quo: str, direction: str, period_text: str) -> str:
    if best.is_status_quo or best.gain <= 0:
        return f"Over {period_text}, no model beat what you do today ({status_quo}); keep it, or revisit the costs."
    verb = "cost" if direction == "cost" else "earned"
    change = "less" if direction == "cost" else "more"
    low, high = best.gain_interval
    return (
        f"Over {period_text}, deciding with {best.name} would have {verb} {money_text(best.gain)} {change} than "
        f"{status_quo} (90% interval {money_text(low)} to {money_text(high)}; it beats {status_quo} in "
        f"{best.p_beats:.0%} of resampled histories)."
    )


def finish(impact: Impact, per_unit_gains: dict[str, np.ndarray], bootstrap) -> Impact:
    """Gains against the status quo, their intervals, the best model and the narrative."""
    from payoff.evaluate.uncertainty import summarise

    status_quo = next(m for m in impact.models if m.is_status_quo)
    sign = -1.0 if impact.direction == "cost" else 1.0
    for model in impact.models:
        model.gain = 0.0 if model.is_status_quo else sign * (model.money - status_quo.money)
        if model.is_status_quo:
            model.gain_interval, model.p_beats = (0.0, 0.0), 0.0
            continue
        totals = bootstrap(per_unit_gains[model.name])
        model.gain_interval, model.p_beats = summarise(totals)
    best = choose_best(impact.models)
    impact.best_model = best.name
    impact.narrative = narrative(best, impact.status_quo, impact.direction, impact.evaluation["period_text"])
    return impact
