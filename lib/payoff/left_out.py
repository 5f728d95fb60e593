"""Every column a problem does not use, with its reason in words: nothing is dropped without a
word (a column's role says why, or the user's own override does)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from payoff.data.roles import Role, RoleMap
from payoff.designs import is_number

BECAUSE = {
    Role.DECISION: "what the business did: it is the status quo, not something to learn from",
    Role.TIME: "a time of day (aggregate the file to use it)",
    Role.ID: "an id: a different value on every row",
    Role.SERIES_KEY: "a series key",
    Role.VALUE: "prices the decisions",
    Role.COST: "prices the decisions",
}


def columns_left_out(
    table: pd.DataFrame, roles: RoleMap, used: Sequence[str | None], because: Mapping[str, str] | None = None
) -> tuple[tuple[str, str], ...]:
    """Every column not used, with its reason (`because` names some): nothing is dropped without a word."""
    out = []
    because = because or {}
    for column, role in roles.roles.items():
        if column in used or column not in table.columns:
            continue
        if column in because:
            why = because[column]
        elif role == Role.IGNORE:
            why = roles.reasons.get(column) or "left out by you"
        elif role in BECAUSE:
            why = BECAUSE[role]
        elif not is_number(table, column):
            why = "not a number: the forecasting models take numbers known in advance"
        else:
            why = "not used"
        out.append((column, why))
    return tuple(out)
