"""What the decisions were worth: money per entry (the status quo, each model, the base-rate rule,
Payoff's own choice `auto`) against the status quo, with bootstrap intervals, whether two models
differ by more than noise, and the one sentence a manager can repeat. Shared by both families."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict, final

import numpy as np

from payoff.evaluate.predictions import Failure
from payoff.evaluate.uncertainty import summarise
from payoff.framings.base import Direction, FromColumn, ParamValue
from payoff.models.catalogue import AUTO, STATUS_QUO

Bootstrap = Callable[[np.ndarray], np.ndarray]  # per-unit gains -> resampled totals


# final: so a key only one record has ("windows", "folds") tells the type checker which it is
@final
class BacktestRecord(TypedDict):
    """How a quantity decision was evaluated (the JSON's "evaluation", in this key order)."""

    rows: int  # cells with a known outcome in the tests
    series: int
    periods: int
    frequency: str  # "day", "week" ...
    grid: str  # the pandas alias of the calendar
    start: str  # ISO dates of the tests
    end: str
    tests: int
    horizon: int
    season: int
    calibration: str  # the window auto first chooses on
    windows: list[str]
    period_text: str  # "the last 112 days (...)", as the sentences say it
    critical_ratio: float
    whole_units: bool
    closures: str | None
    rows_combined: str | None  # rows finer than the periods, and how they were combined
    leakage_flags: list[dict[str, Any]]  # column, reason, used
    warnings: NotRequired[list[str]]


@final
class CrossFitRecord(TypedDict):
    """How a targeting decision was evaluated (the JSON's "evaluation", in this key order)."""

    rows: int
    events: int
    event_rate: float
    positive_label: str
    folds: int
    time_ordered_folds: bool
    period_text: str  # "your 6,000 customers"
    break_even_probability: float
    acts_when: str  # "above" or "below" the break-even
    decision_rule: str
    leakage_flags: list[dict[str, Any]]  # column, auc, reason
    warnings: NotRequired[list[str]]


EvaluationRecord = BacktestRecord | CrossFitRecord


@dataclass(frozen=True, eq=False)
class Entry:
    """One entry's priced decisions before it is compared with the status quo. `per_unit` is its
    money per resampling unit (a period, or an entity); None when the model failed outright."""

    name: str
    kind: str  # status quo | model | base rate | blend | auto
    per_unit: np.ndarray | None
    components: dict[str, float] = field(default_factory=dict)
    extras: dict[str, float] = field(default_factory=dict)
    accuracy: dict[str, float] = field(default_factory=dict)
    failures: tuple[Failure, ...] = ()
    per_series: dict[str, float] = field(default_factory=dict)
    decisions: np.ndarray | None = None


@dataclass(frozen=True)
class ModelMoney:
    name: str
    kind: str
    money: float | None  # total cost (direction cost) or net value (direction value); None: failed
    components: Mapping[str, float]
    gain: float | None  # positive: better than the status quo
    gain_interval: tuple[float, float] | None
    p_beats: float | None
    accuracy: Mapping[str, float]
    extras: Mapping[str, float]
    failures: tuple[Failure, ...]
    indistinguishable: bool = False  # from the best entry: their paired difference spans zero
    per_series: Mapping[str, float] = field(default_factory=dict)

    @property
    def is_status_quo(self) -> bool:
        return self.kind == STATUS_QUO

    @property
    def failed(self) -> bool:
        return self.money is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "money": self.money,
            "components": dict(self.components),
            "gain_vs_status_quo": self.gain,
            "gain_interval": list(self.gain_interval) if self.gain_interval else None,
            "p_beats_status_quo": self.p_beats,
            "indistinguishable_from_best": self.indistinguishable,
            "accuracy": dict(self.accuracy),
            "extras": dict(self.extras),
            "failed": [f.as_dict() for f in self.failures],
        }


@dataclass(frozen=True)
class Recommended:
    """Payoff's own choice: its out-of-sample money (the `auto` entry) and the model it picks now."""

    model: str
    gain: float
    gain_interval: tuple[float, float]
    p_beats: float
    choices: tuple[str, ...]  # auto's pick at each test window (quantity) or fold (targeting)
    blend_of: tuple[str, ...] = ()  # the models the blend of the leaders mixes now (quantity)

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "gain": self.gain,
            "gain_interval": list(self.gain_interval),
            "p_beats_status_quo": self.p_beats,
            "choices": list(self.choices),
            "blend_of": list(self.blend_of),
        }


@dataclass(frozen=True, eq=False)
class Impact:
    framing: str
    params: Mapping[str, ParamValue | FromColumn]
    direction: Direction
    status_quo_label: str
    models: tuple[ModelMoney, ...]
    evaluation: EvaluationRecord
    best_model: str
    recommended: Recommended
    narrative: str
    decisions: Mapping[str, np.ndarray] = field(default_factory=dict)  # per entry, for charts and exports
    per_unit_gain: Mapping[str, np.ndarray] = field(default_factory=dict)
    currency: str = ""  # shown with every amount
    answer: str = ""  # the narrative's first sentence: the answer, on the first screen

    @property
    def status_quo(self) -> str:
        """The name of the status quo's entry in `models`."""
        return STATUS_QUO

    def model(self, name: str) -> ModelMoney:
        for entry in self.models:
            if entry.name == name:
                return entry
        raise KeyError(name)

    @property
    def auto(self) -> ModelMoney:
        return self.model(AUTO)


def gains(entries: list[Entry], direction: Direction) -> dict[str, np.ndarray]:
    """Per-unit gain of every priced entry against the status quo (positive: better)."""
    sign = direction.sign
    base = next(e for e in entries if e.kind == STATUS_QUO).per_unit
    assert base is not None
    return {e.name: sign * (e.per_unit - base) for e in entries if e.per_unit is not None}


def compare(entries: list[Entry], direction: Direction, bootstrap: Bootstrap | None) -> tuple[list[ModelMoney], str]:
    """Every entry's money, gain, interval and P(beats the status quo); the best entry (the status
    quo wins ties: no change without a reason) and who cannot be told apart from it. Without a
    bootstrap (a sensitivity point needs gains only) intervals are left out."""
    per_unit = gains(entries, direction)
    totals = {name: float(g.sum()) for name, g in per_unit.items()}
    candidates = [e for e in entries if e.per_unit is not None and e.kind != AUTO]
    best = max(candidates, key=lambda e: (round(totals[e.name], 9), e.kind == STATUS_QUO)).name
    out = []
    for entry in entries:
        if entry.per_unit is None:
            interval, p_beats, gain, same = None, None, None, False
        elif entry.kind == STATUS_QUO:
            interval, p_beats, gain, same = (0.0, 0.0), 0.0, 0.0, False
        elif bootstrap is None:
            interval, p_beats, gain, same = None, None, totals[entry.name], False
        else:
            interval, p_beats = summarise(bootstrap(per_unit[entry.name]))
            gain = totals[entry.name]
            same = entry.kind != AUTO and entry.name != best
            same = same and _indistinguishable(per_unit[best] - per_unit[entry.name], bootstrap)
        out.append(
            ModelMoney(
                name=entry.name,
                kind=entry.kind,
                money=None if entry.per_unit is None else float(entry.per_unit.sum()),
                components=entry.components,
                gain=gain,
                gain_interval=interval,
                p_beats=p_beats,
                accuracy=entry.accuracy,
                extras=entry.extras,
                failures=entry.failures,
                indistinguishable=same,
                per_series=entry.per_series,
            )
        )
    return out, best


def _indistinguishable(difference: np.ndarray, bootstrap: Bootstrap) -> bool:
    """A paired bootstrap of the difference between two entries: its 90% interval spans zero."""
    if not np.any(difference):
        return True
    (low, high), _ = summarise(bootstrap(difference))
    return low <= 0.0 <= high
