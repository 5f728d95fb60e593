"""Price every targeting entry's act/pass decisions on the kept out-of-fold probabilities: the
status quo, the base-rate rule, each model, and Payoff's own choice (`auto`: for each fold, the
entry with the best money on the other folds). Nothing here refits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from payoff.evaluate.predictions import Failure, TargetingPredictions
from payoff.framings.base import FromColumn, ParamValue, TargetingFraming, param_arrays
from payoff.framings.cells import Cells
from payoff.framings.targeting import budget_of, decide
from payoff.models.catalogue import AUTO, BASE_RATE, STATUS_QUO


@dataclass(frozen=True, eq=False)
class Decided:
    """One entry's decisions on every scored entity and what they earned."""

    name: str
    kind: str
    acts: np.ndarray | None  # None: the model failed
    priority: np.ndarray | None  # what ranks entities for acting (expected gain, or probability)
    gain_of_acting: np.ndarray | None
    parts: dict[str, np.ndarray]
    failures: tuple[Failure, ...] = ()

    @property
    def per_entity(self) -> np.ndarray:
        return sum(self.parts.values())  # type: ignore[return-value]


def cells_for(
    framing: TargetingFraming, values: Mapping[str, ParamValue | FromColumn], predictions: TargetingPredictions
) -> Cells:
    return framing.cells(param_arrays(values, predictions.priced))


def price_entries(
    framing: TargetingFraming,
    values: Mapping[str, ParamValue | FromColumn],
    predictions: TargetingPredictions,
    threshold: float | None = None,
) -> tuple[list[Decided], Decided, np.ndarray, Cells]:
    """`threshold` None: act where the expected gain is positive (the default); a number: act
    where the probability is at least that (a manual override). Returns the entries (status quo
    first), auto, auto's pick per fold (index into the entries) and the cells."""
    money = cells_for(framing, values, predictions)
    above = threshold_side(money)
    budget = budget_of(values)
    positive = predictions.positive
    sq_acts = predictions.status_quo_acts
    entries = [
        Decided(
            STATUS_QUO,
            STATUS_QUO,
            sq_acts,
            np.where(sq_acts, np.inf, -np.inf),
            None,
            money.realised(sq_acts, positive),
        )
    ]
    for scores in predictions.models:
        kind = BASE_RATE if scores.name == BASE_RATE else "model"
        if scores.failed:
            entries.append(Decided(scores.name, kind, None, None, None, {}, scores.failures))
            continue
        gain = money.gain_of_acting(scores.probability)
        if threshold is None:
            priority = gain
        elif above:  # the most likely entities above the threshold, within the budget
            priority = np.where(scores.probability >= threshold, scores.probability + 1e-12, -1.0)
        else:  # approving loans: the least likely to default below the threshold
            priority = np.where(scores.probability <= threshold, 1 - scores.probability + 1e-12, -1.0)
        acts = decide(priority, budget)
        entries.append(Decided(scores.name, kind, acts, priority, gain, money.realised(acts, positive)))
    picks = choose_per_fold(entries, predictions)
    priority = np.zeros(len(positive))
    for i, entry in enumerate(entries):
        if entry.priority is not None:  # a failed model is never picked
            rows = picks[predictions.fold] == i
            priority[rows] = entry.priority[rows]
    acts = decide(priority, budget)
    auto = Decided(AUTO, AUTO, acts, priority, None, money.realised(acts, positive))
    return entries, auto, picks, money


def threshold_side(money: Cells) -> bool:
    """True when acting pays above a probability for the typical entity (call likely churners),
    False when it pays below one (approve the loans least likely to default): the side a manual
    probability threshold cuts on."""
    return bool(np.median(money.acts_above()))


def fold_money(entries: list[Decided], predictions: TargetingPredictions) -> np.ndarray:
    """Money of each entry in each fold (entries x folds); -inf for a failed entry."""
    out = np.full((len(entries), predictions.folds), -np.inf)
    for i, entry in enumerate(entries):
        if entry.acts is not None:
            out[i] = np.bincount(predictions.fold, weights=entry.per_entity, minlength=predictions.folds)
    return out


def choose_per_fold(entries: list[Decided], predictions: TargetingPredictions) -> np.ndarray:
    """For each fold, the entry with the best money on the other folds (ties: the earlier entry,
    the status quo first). Index into `entries`, one per fold."""
    money = fold_money(entries, predictions)
    finite = np.where(np.isfinite(money), money, 0.0)
    others = finite.sum(axis=1, keepdims=True) - finite
    others[~np.isfinite(money).all(axis=1)] = -np.inf
    picks: np.ndarray = np.argmax(np.round(others, 9), axis=0)
    return picks


def counts(acts: np.ndarray, positive: np.ndarray) -> dict[str, float]:
    return {
        "acted": float(acts.sum()),
        "act & event": float((acts & positive).sum()),
        "act & no event": float((acts & ~positive).sum()),
        "pass & event": float((~acts & positive).sum()),
        "pass & no event": float((~acts & ~positive).sum()),
    }
