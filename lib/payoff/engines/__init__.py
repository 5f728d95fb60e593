"""The decision engines, found by family in a registry (never by string checks spread over the
code): quantity (how much) and targeting (whom)."""

from __future__ import annotations

from payoff.engines.base import Engine, Threshold
from payoff.engines.quantity import QuantityEngine
from payoff.engines.targeting import TargetingEngine

ENGINES: dict[str, Engine] = {"quantity": QuantityEngine(), "targeting": TargetingEngine()}


def engine_for(family: str) -> Engine:
    return ENGINES[family]


__all__ = ["ENGINES", "Engine", "Threshold", "engine_for"]
