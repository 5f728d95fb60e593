"""The decision engines, one per decision kind in a registry (never by string checks spread over
the code): quantity (how much) and targeting (whom)."""

from __future__ import annotations

from typing import Any

from payoff.decision_kinds import DecisionKind
from payoff.engines.base import Engine, Threshold
from payoff.engines.quantity import QuantityEngine
from payoff.engines.targeting import TargetingEngine

# Engine[Any, Any]: each entry is generic in its own kind's types; callers hand it the predictions
# their analysis holds, which the engine of that analysis's kind made.
ENGINES: dict[DecisionKind, Engine[Any, Any]] = {
    engine.kind: engine for engine in (QuantityEngine(), TargetingEngine())
}


def engine_for(kind: DecisionKind) -> Engine[Any, Any]:
    return ENGINES[kind]


__all__ = ["ENGINES", "Engine", "Threshold", "engine_for"]
