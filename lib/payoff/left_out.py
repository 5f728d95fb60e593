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


def set_with_the_outcome(table: pd.DataFrame, target: str | None, features: Sequence[str]) -> dict[str, str]:
    """The features blank on exactly the rows whose outcome is blank (a loan's interest rate, set
    only when it is granted), with why they are left out: known only once a row is acted on, they
    are not known when deciding, and a new application never has them."""
    if target is None or target not in table.columns:
        return {}
    blank = table[target].isna()
    if blank.sum() < max(10, 0.01 * len(table)):
        return {}
    return {
        column: f"blank exactly where '{target}' is: it is set only once a row is acted on, so it is not known "
        "when deciding"
        for column in features
        if column in table.columns and bool((table[column].isna() == blank).all())
    }
