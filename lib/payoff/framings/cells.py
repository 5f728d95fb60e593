"""A targeting decision's money: per entity, what each of the four outcomes (act or not, the
event or not) is worth, where acting starts to pay, and the money a set of decisions earned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BreakEven:
    """Where acting starts (or stops) paying for a typical entity, in words a manager can check."""

    probability: float
    above: bool  # acting pays above the probability; False: below it

    def sentence(self, act: str, event: str) -> str:
        if self.above and self.probability >= 1:
            return f"At these numbers it never pays to {act}, whatever the chance that it {event}."
        if self.above and self.probability <= 0:
            return f"At these numbers it always pays to {act}, whatever the chance that it {event}."
        side = "above" if self.above else "below"
        return f"{act.capitalize()} when the chance that it {event} is {side} {self.probability:.1%}."

    def extreme(self) -> str | None:
        """'nobody' or 'everybody' when the costs leave the models almost no one to decide on."""
        acts_rarely = self.probability >= 0.8 if self.above else self.probability <= 0.02
        acts_always = self.probability <= 0.02 if self.above else self.probability >= 0.98
        return "nobody" if acts_rarely else ("everybody" if acts_always else None)


@dataclass(frozen=True)
class Cells:
    """Money per entity in each of the four outcomes (arrays of the entities' length, or scalars)."""

    act_pos: np.ndarray
    act_neg: np.ndarray
    pass_pos: np.ndarray
    pass_neg: np.ndarray

    def gain_of_acting(self, probability: np.ndarray) -> np.ndarray:
        """Expected money of acting minus passing, for each entity at its probability."""
        gain: np.ndarray = probability * (self.act_pos - self.pass_pos) + (1 - probability) * (
            self.act_neg - self.pass_neg
        )
        return gain

    def break_even(self) -> np.ndarray:
        """The probability where acting and passing are worth the same, per entity (see
        :meth:`acts_above` for the side on which acting pays)."""
        return self.break_even_sides()[0]

    def acts_above(self) -> np.ndarray:
        """True where acting pays above the break-even (a churner worth saving), False where it
        pays below it (approving a loan pays when the chance of default is low)."""
        return self.break_even_sides()[1]

    def break_even_sides(self) -> tuple[np.ndarray, np.ndarray]:
        """(probability, acts above) per entity. The gain of acting at probability p is
        b + p (a - b), with a = act_pos - pass_pos (when the event happens) and b = act_neg -
        pass_neg (when it does not). With a > b it pays above -b / (a - b); with a < b below
        b / (b - a); clipped to [0, 1]: 0 above = always, 1 above = never, 0 below = never."""
        a = np.asarray(self.act_pos - self.pass_pos, dtype="float64")
        b = np.asarray(self.act_neg - self.pass_neg, dtype="float64")
        slope = a - b
        above = slope >= 0
        with np.errstate(all="ignore"):
            crossing = np.where(slope != 0, -b / np.where(slope != 0, slope, 1.0), np.where(b > 0, 0.0, 1.0))
        above = np.broadcast_to(above, crossing.shape).copy()
        # Outside [0, 1] the side no longer matters: it never pays (1, above) or always does (0, above).
        never = np.where(above, crossing >= 1, crossing <= 0)
        always = np.where(above, crossing <= 0, crossing >= 1)
        probability = np.where(never, 1.0, np.where(always, 0.0, crossing))
        return probability, above | never | always

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


def money_per_entity(parts: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each entity's money over the cells of :meth:`Cells.realised`. Summed from a float64 zero
    (the cells are float64) rather than Python's int 0, which types as `ndarray | int`: the same
    numbers."""
    return sum(parts.values(), np.zeros(()))
