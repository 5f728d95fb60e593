"""The Problem page's status quo: what the business does today, which every model is compared
with. A decision column of the file (picked here, or set as a role on the Data page), else a rule:
the same period last season, a moving average, acting on nobody."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from payoff.data.roles import Role, hinted
from payoff.framings.base import Framing, QuantityFraming
from payoff.statusquo import (
    DecisionColumn,
    Everybody,
    LastValue,
    MovingAverage,
    Nobody,
    Rule,
    Seasonal,
    SeasonalAverage,
    StatusQuo,
)
from payoff.timegrid import infer_frequency
from payoff.ui import state
from payoff.ui.money_view import numeric_columns
from payoff.ui.widgets import plain, seeded

_KIND_LABELS = {
    "column": "What you did: column '{}'",
    "last": "Last period's value",
    "seasonal": "The same period last season (the same weekday last week, the same week last year ...)",
    "seasonal-average": "The average of the same period over the last few seasons, plus a buffer",
    "moving-average": "Moving average plus a buffer",
    "nobody": "Act on nobody",
    "everybody": "Act on everybody",
    "rule": "A simple rule on one column",
}


def _kind(status_quo: StatusQuo) -> str:
    kinds = {
        LastValue: "last",
        MovingAverage: "moving-average",
        Seasonal: "seasonal",
        SeasonalAverage: "seasonal-average",
        Nobody: "nobody",
        Everybody: "everybody",
        Rule: "rule",
    }
    return "column" if isinstance(status_quo, DecisionColumn) else kinds[type(status_quo)]


def status_quo_choice(framing: Framing, prepared: state.Prepared) -> None:
    """What the business does today; recorded only when it differs from what would be detected
    (a decision column, else the framing's rule: for quantities the same period last season when
    the history has a clear season), which is said with its reason."""
    choices = state.choices()
    default, reason = choices.detected_status_quo(prepared.frame, prepared.roles, framing.key)
    current = choices.status_quo or default
    decision = prepared.roles.one(Role.DECISION)
    if isinstance(current, DecisionColumn):
        decision = current.column
    # a quantity's decisions may sit in any number column (people on shift, units baked) that
    # Payoff did not read as one: it can be picked here, not only as a role on the Data page
    pickable = _decision_candidates(prepared) if framing.over_time else []
    rules = list(framing.status_quo_texts)
    options = (["column"] if decision or pickable else []) + rules
    kind = st.radio(
        "What do you do today (the status quo)?",
        options,
        index=options.index(_kind(current)) if _kind(current) in options else 0,
        format_func=lambda o: (
            plain(_KIND_LABELS[o].format(decision) if decision else _PICK_A_COLUMN)
            if o == "column"
            else plain(_KIND_LABELS[o])
        ),
        key=state.STATUS_QUO_PREFIX + "kind",
    )
    column = decision
    if kind == "column" and pickable:
        columns = list(dict.fromkeys([*([decision] if decision else []), *pickable]))
        picked = state.STATUS_QUO_PREFIX + "column"
        if st.session_state.get(picked) not in columns:  # another file's column, or none yet
            st.session_state.pop(picked, None)
        # empty until picked: a first column taken for the rota ('Calls Answered') priced nonsense
        column = st.selectbox(
            "The column that holds what you decided each period (ordered, baked, people on shift)",
            columns,
            placeholder="pick the column",
            key=seeded(picked, decision),
        )
    chosen = default if kind == "column" and column is None else _status_quo_details(kind, column, current, prepared)
    if reason:
        st.caption(plain(f"Without your choice: {default.label}, because {reason}."))
    carried = isinstance(framing, QuantityFraming) and framing.policy.cover(dict(framing.defaults())) is not None
    if kind != "column" and carried:
        st.caption(
            "Stock carries over here: today's rule is priced as ordering up to its forecast over the lead time "
            "and the review period, with no safety stock beyond its own buffer."
        )
    state.set_choices(replace(state.choices(), status_quo=None if chosen.text == default.text else chosen))


_PICK_A_COLUMN = "What you did: a column of your file (pick it below)"
_LEVEL_WORDS = re.compile(r"shift|staff|rota|roster|agents|scheduled|headcount", re.I)


def _decision_candidates(prepared: state.Prepared) -> list[str]:
    """Number columns that could hold today's decisions: features, and the decision column."""
    roles = prepared.roles
    found = [c for c in numeric_columns(prepared.frame) if roles.roles.get(c) in (Role.FEATURE, Role.DECISION)]
    return sorted(found, key=lambda c: not (hinted(Role.DECISION, c) or _LEVEL_WORDS.search(c)))  # likely first


def _status_quo_details(kind: str, decision: str | None, current: StatusQuo, prepared: state.Prepared) -> StatusQuo:
    key = state.STATUS_QUO_PREFIX
    if kind == "column":
        return DecisionColumn(str(decision))
    if kind == "moving-average":
        unit = _period_of(prepared)  # "Weeks averaged", four of them, on a weekly file: not seven
        usual = {"hour": 24, "day": 7, "week": 4, "month": 3}.get(unit, 7)
        window, buffer = (current.window, current.buffer * 100) if isinstance(current, MovingAverage) else (usual, 10.0)
        return MovingAverage(*_averaged(f"{unit.capitalize()}s", 365, window, buffer, (key + "n", key + "b")))
    if kind == "seasonal-average":
        seasons, buffer = (current.seasons, current.buffer * 100) if isinstance(current, SeasonalAverage) else (4, 0.0)
        return SeasonalAverage(*_averaged("Seasons", 52, seasons, buffer, (key + "seasons", key + "sb")))
    if kind == "seasonal":
        return current if isinstance(current, Seasonal) else Seasonal()
    if kind != "rule":
        named: dict[str, StatusQuo] = {"last": LastValue(), "nobody": Nobody(), "everybody": Everybody()}
        return named[kind]
    frame, roles = prepared.frame, prepared.roles
    numeric = [c for c in numeric_columns(frame) if roles.roles[c] == Role.FEATURE]
    if not numeric:
        st.warning("No numeric feature column to build a rule on; acting on nobody instead.")
        return Nobody()
    c1, c2, c3 = st.columns([2, 1, 1])
    column = c1.selectbox("Column", numeric, key=key + "col")
    op = c2.selectbox("Act when", ["<", "<=", ">", ">="], key=key + "op")
    threshold = c3.number_input("Value", value=float(frame[column].median()), key=key + "val")
    return Rule(column, op, float(threshold))


def _period_of(prepared: state.Prepared) -> str:
    """The file's period in words ("day", "week"), or "period" where its dates are not known."""
    date = prepared.roles.one(Role.DATE)
    frame = prepared.frame
    if date is None or date not in frame or not pd.api.types.is_datetime64_any_dtype(frame[date]):
        return "period"
    return infer_frequency(frame[date]).unit


def _averaged(what: str, most: int, count: int, buffer: float, keys: tuple[str, str]) -> tuple[int, float]:
    """How many periods (or seasons) an average rule takes, and the buffer it adds (a share)."""
    c1, c2 = st.columns(2)
    count = c1.number_input(f"{what} averaged", 1, most, int(count), key=keys[0])
    buffer = c2.number_input("Buffer (%)", -50.0, 200.0, float(buffer), key=keys[1])
    return int(count), float(buffer) / 100
