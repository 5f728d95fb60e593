"""An outcome written as a date: a subscription export's 'cancelled_on', filled in for the
customers who left and blank for those still here. Without it read as yes/no, such a file had no
outcome to learn from, and its date (filled exactly for the leavers) would have leaked as a feature.

The yes/no column is added beside the table under a name that says where it comes from, as the
outcome; the date itself is left out, with why (it is only known once a customer has left)."""

from __future__ import annotations

import re

import pandas as pd

from payoff.data.roles import Role, RoleMap, Shape, suggest_roles

ENDED_FROM = "payoff.ended_from"  # frame.attrs: the date column an outcome was read from, if any
# A date that says when something ended: a cancellation, a churn, a contract's end, an account closed.
_END_DATE = re.compile(
    r"cancel|churn|(^|[\s_])end(ed)?([\s_]?(date|on|at))?$|closed[\s_]?(on|at|date)|terminat|"
    r"(^|[\s_])left[\s_]?(on|at)|lapsed|unsubscrib|close[\s_]?date",
    re.I,
)
_EVENT_ID = re.compile(r"order|transaction|txn|invoice|receipt|line|sale|booking|ticket|call", re.I)
LEAST_SHARE = 0.02  # of rows filled in, and of rows blank: fewer is no outcome to learn from


def ended_name(column: str) -> str:
    return f"Ended (from '{column}')"


def with_outcome_from_end_date(frame: pd.DataFrame, roles: RoleMap) -> tuple[pd.DataFrame, RoleMap, str]:
    """The table with a yes/no outcome read from its end date, the roles suggested again with it
    (a table of customers, the date left out), and a sentence saying so; as it was, with "", where
    the file has a two-valued outcome already, no end date, or no id on every row."""
    if roles.shape == Shape.ENTITY and roles.one(Role.TARGET) is not None:
        return frame, roles, ""
    ended = [
        c
        for c in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[c])
        and _END_DATE.search(str(c))
        and LEAST_SHARE <= float(frame[c].notna().mean()) <= 1 - LEAST_SHARE
    ]
    ids = [c for c, r in roles.roles.items() if r == Role.ID and frame[c].is_unique]
    # an order log's cancelled lines are events to count, not customers who left
    if len(ended) != 1 or not ids or any(_EVENT_ID.search(str(c)) for c in ids):
        return frame, roles, ""
    column = ended[0]
    name = ended_name(str(column))
    out = frame.assign(**{name: frame[column].notna().map({True: "yes", False: "no"})})
    out.attrs = {**frame.attrs, ENDED_FROM: column}
    suggested = suggest_roles(out)
    updated = RoleMap(
        {**suggested.with_role(name, Role.TARGET).roles, column: Role.IGNORE},
        Shape.ENTITY,
        {
            **suggested.reasons,
            name: "the outcome: filled in where the date is",
            column: "says the outcome: it is only known once they have left",
        },
        "yes",
    )
    count, total = int(frame[column].notna().sum()), len(frame)
    note = (
        f"Payoff read '{column}' as the outcome: filled in on {count:,} of {total:,} rows ({count / total:.0%}), "
        f"blank (still here) on the others, as the new column '{name}'. The date itself is left out: it is only "
        "known once they have left."
    )
    return out, updated, note
