"""Money for act/pass decisions on entities: the four cells per entity, the expected gain of
acting at a probability, and the realised money of a set of decisions. See DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payoff.errors import BadParameter


@dataclass(frozen=True)
class Cells:
    """Money per entity in each of the four outcomes (arrays of the entities' length, or scalars)."""

    act_pos: np.ndarray
    act_neg: np.ndarray
    pass_pos: np.ndarray
    pass_neg: np.ndarray

    def gain_of_acting(self, probability: np.ndarray) -> np.ndarray:
        """Expected money of acting minus passing, for each entity at its probability."""
        return probability * (self.act_pos - self.pass_pos) + (1 - probability) * (self.act_neg - self.pass_neg)

    def break_even(self) -> np.ndarray:
        """The probability above which acting pays (where the expected gain is zero)."""
        up = np.asarray(self.act_pos - self.pass_pos, dtype="float64")
        down = np.asarray(self.pass_neg - self.act_neg, dtype="float64")
        total = up + down
        with np.errstate(all="ignore"):
            return np.where(total > 0, down / np.where(total > 0, total, 1), np.where(up >= 0, 0.0, 1.0))

    def realised(self, act: np.ndarray, positive: np.ndarray) -> dict[str, np.ndarray]:
        """Money per entity split by cell: what the decisions earned given what happened."""
        act = act.astype(bool)
        positive = positive.astype(bool)
        shape = act.shape

        def cell(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
            return np.where(mask, np.broadcast_to(values, shape), 0.0)

        return {
            "act & event": cell(self.act_pos, act & positive),
            "act & no event": cell(self.act_neg, act & ~positive),
            "pass & event": cell(self.pass_pos, ~act & positive),
            "pass & no event": cell(self.pass_neg, ~act & ~positive),
        }


def cells(framing: str, params: dict[str, Any], value: np.ndarray | None = None) -> Cells:
    """The four cells from the framing's parameters; `value` (a column) overrides params['value']."""
    if value is not None:
        amount = np.where(np.isfinite(value), value, float(params.get("value", 0.0)))
    else:
        amount = np.asarray(float(params.get("value", 0.0)))
    if framing == "churn":
        contact, offer, save = float(params["contact_cost"]), float(params["offer_cost"]), float(params["save_rate"])
        return Cells(
            -contact + save * (-offer) + (1 - save) * (-amount),
            np.asarray(-contact - offer),
            -amount,
            np.asarray(0.0),
        )
    if framing == "fraud":
        review, recovery = float(params["review_cost"]), float(params["recovery_rate"])
        return Cells(
            -review - (1 - recovery) * amount,
            np.asarray(-review - float(params["false_alarm_cost"])),
            -amount,
            np.asarray(0.0),
        )
    if framing == "leads":
        contact = float(params["contact_cost"])
        return Cells(amount - contact, np.asarray(-contact), np.asarray(0.0), np.asarray(0.0))
    if framing == "credit":
        return Cells(
            -float(params["loss_given_default"]) * amount,
            float(params["margin"]) * amount,
            np.asarray(0.0),
            np.asarray(0.0),
        )
    if framing == "custom-payoff":
        return Cells(*(np.asarray(float(params[k])) for k in ("act_pos", "act_neg", "pass_pos", "pass_neg")))
    raise BadParameter(f"'{framing}' is not a targeting framing.")


def decide(gain: np.ndarray, budget: int | None) -> np.ndarray:
    """Act where the expected gain is positive; with a budget, only on the top `budget` of those."""
    act = gain > 0
    if budget is not None and act.sum() > budget:
        order = np.argsort(-gain, kind="stable")
        act = np.zeros_like(act)
        act[order[:budget]] = True
        act &= gain > 0
    return act


WORDS = {
    "churn": ("contact", "churns", "stays"),
    "fraud": ("review", "is fraud", "is genuine"),
    "leads": ("contact", "converts", "does not convert"),
    "credit": ("approve", "defaults", "repays"),
    "custom-payoff": ("act", "event happens", "no event"),
}


def describe_cells(framing: str, params: dict[str, Any]) -> pd.DataFrame:
    """The four outcomes in words with their money, for a typical entity."""
    money = cells(framing, params)
    act, pos, neg = WORDS[framing]
    rows = [
        (f"{act}, and it {pos}", float(money.act_pos)),
        (f"{act}, and it {neg}", float(money.act_neg)),
        (f"do not {act}, and it {pos}", float(money.pass_pos)),
        (f"do not {act}, and it {neg}", float(money.pass_neg)),
    ]
    table = pd.DataFrame(rows, columns=["outcome", "money per entity"])
    table.attrs["break_even"] = float(np.mean(money.break_even()))
    return table
