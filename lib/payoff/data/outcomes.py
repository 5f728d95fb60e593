"""What a table of customers or applications says about its outcome: which value is the event and
how often, and what a blank outcome means (a loan never granted has no default to learn from)."""

from __future__ import annotations

import pandas as pd

from payoff.data.findings import Finding
from payoff.data.roles import Role, RoleMap, positive_class
from payoff.data.yes_no import MOST_OUTCOME_VALUES, TRUTHY


def outcomes_only_where_acted(frame: pd.DataFrame, outcome: str, decision: str) -> bool:
    """Whether every row without an outcome is one today's decision passed over (a loan turned
    down, 0 or 'rejected', has no default to learn from; read as the status quo reads the column): what the models learn then comes from acted rows only."""
    if outcome not in frame or decision not in frame:
        return False
    blank = frame[outcome].isna()
    passed = frame.loc[blank, decision].astype("str").str.strip().str.lower()
    return bool(blank.any()) and not bool(passed.isin(TRUTHY).any())


def no_outcome_said(frame: pd.DataFrame, roles: RoleMap, outcome: str) -> str:
    """What a blank outcome means: a row whose outcome is not known (a loan never granted has no
    default), left out of the backtest; where today's decision passed over every such row, the
    models learn only from the rows acted on, and how they rank the others is untested."""
    said = "Those rows have no outcome to learn from or to score against: they are left out of the backtest."
    decision = roles.one(Role.DECISION)
    if decision is not None and outcomes_only_where_acted(frame, outcome, decision):
        said += (
            f" Every one of them is a row your '{decision}' column did not act on: the models learn only from "
            "the rows acted on, and how well they rank rows like the others is untested."
        )
    return said


def class_balance(frame: pd.DataFrame, target: str, positive: str | None = None) -> list[Finding]:
    outcome = frame[target].dropna()
    values = sorted({str(value) for value in outcome.unique()})
    picked = positive is not None and positive in values
    if len(values) < 2 or len(values) > MOST_OUTCOME_VALUES or (len(values) > 2 and not picked):
        how = (
            "pick which value is the event (the others count as no event), or choose another outcome column"
            if 2 < len(values) <= MOST_OUTCOME_VALUES
            else "choose another outcome column or recode it (e.g. churned yes/no)"
        )
        return [
            Finding(
                "outcome_not_binary",
                "problem",
                f"The outcome '{target}' has {len(values)} different values; targeting needs two outcomes: {how}.",
                target,
                (),
                len(values),
            )
        ]
    if not picked:
        positive = positive_class(outcome, target)
    count = int((outcome.astype("str") == positive).sum())
    share = count / len(outcome)
    severity = "warning" if count < 20 or share < 0.01 else "info"
    rest = [value for value in values if value != positive]
    others = f" The other values ({', '.join(rest)}) count as no event." if len(rest) > 1 else ""
    return [
        Finding(
            "class_balance",
            severity,
            f"The outcome '{target}' = {positive} on {count:,} of {len(outcome):,} rows ({share:.1%}).{others}"
            + (" Fewer than 20 events is too few to learn from." if count < 20 else ""),
            target,
            (),
            count,
        )
    ]
