"""Money for act/pass decisions on entities: each framing's four cells per entity, and the
decision rule (act where the expected gain is positive, top N under a budget). See DESIGN.md."""

from __future__ import annotations

from typing import cast

import numpy as np

from payoff.framings.base import Values
from payoff.framings.cells import Cells
from payoff.framings.policy import Arrays


def _amount(p: Arrays) -> np.ndarray:
    return np.asarray(p["value"], dtype="float64")


def churn_cells(p: Arrays) -> Cells:
    """act & churner: -contact + save*(-offer) + (1-save)*(-value); act & loyal: -contact - offer;
    pass & churner: -value; pass & loyal: 0."""
    contact, offer, save = float(p["contact_cost"]), float(p["offer_cost"]), float(p["save_rate"])
    amount = _amount(p)
    return Cells(
        -contact + save * (-offer) + (1 - save) * (-amount), np.asarray(-contact - offer), -amount, np.asarray(0.0)
    )


def fraud_cells(p: Arrays) -> Cells:
    """act & fraud: -review - (1-recovery)*amount; act & genuine: -review - false alarm; pass & fraud: -amount."""
    review, recovery = float(p["review_cost"]), float(p["recovery_rate"])
    amount = _amount(p)
    return Cells(
        -review - (1 - recovery) * amount,
        np.asarray(-review - float(p["false_alarm_cost"])),
        -amount,
        np.asarray(0.0),
    )


def leads_cells(p: Arrays) -> Cells:
    """act & converts: value - contact; act & not: -contact; pass: 0."""
    contact = float(p["contact_cost"])
    return Cells(_amount(p) - contact, np.asarray(-contact), np.asarray(0.0), np.asarray(0.0))


def credit_cells(p: Arrays) -> Cells:
    """act = approve, event = default: approve & default: -lgd*amount; approve & repaid: margin*amount."""
    amount = _amount(p)
    return Cells(
        -float(p["loss_given_default"]) * amount, float(p["margin"]) * amount, np.asarray(0.0), np.asarray(0.0)
    )


def custom_cells(p: Arrays) -> Cells:
    return Cells(*(np.asarray(float(p[k])) for k in ("act_pos", "act_neg", "pass_pos", "pass_neg")))


def decide(gain: np.ndarray, budget: int | None) -> np.ndarray:
    """Act where the expected gain is positive; with a budget, only on the top `budget` of those."""
    act = gain > 0
    if budget is not None and act.sum() > budget:
        order = np.argsort(-gain, kind="stable")
        act = np.zeros_like(act)
        act[order[:budget]] = True
        act &= gain > 0
    return act


def budget_of(values: Values) -> int | None:
    """The most entities to act on, None for no limit. The budget is an "optional_count"
    parameter, which Param.coerce makes a whole number or None; it is never priced from a column."""
    return cast(int | None, values.get("budget"))
