"""The kinds of decision Payoff prices; below every layer, so framings and models name the same kinds."""

from __future__ import annotations

from enum import StrEnum


class DecisionKind(StrEnum):
    """The two kinds of decision: how much (a quantity per series and period, priced against what
    happened) and whom (act or not on each entity, priced cell by cell). Everything that differs
    between them is an attribute of the framing classes below or an entry of a registry keyed by
    the kind (engines, the saved form, the pages): nothing compares the kind as a string."""

    QUANTITY = "quantity"
    TARGETING = "targeting"
