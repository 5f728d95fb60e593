"""What the business does today, resolved against the table: the status quo the user gave (checked),
its decision column, or the framing's rule; for quantities, the same period last season when the
history shows a clear season, else the last value, with the reason said."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from payoff.data.roles import Role, RoleMap
from payoff.designs import Backtest, backtest_design, default_quantity_rule, is_number, seasonal_rule
from payoff.framings import catalogue
from payoff.framings.base import Framing
from payoff.models.panel import Panel, build_panel
from payoff.statusquo import (
    DecisionColumn,
    MovingAverage,
    Rule,
    Seasonal,
    SeasonalAverage,
    StatusQuo,
)


def checked(
    framing: Framing, table: pd.DataFrame, roles: RoleMap, given: StatusQuo | None, errors: list[str]
) -> tuple[StatusQuo, str]:
    if given is None:
        decision = roles.one(Role.DECISION)
        if decision is not None:
            given, source = DecisionColumn(decision), "decision column"
        else:
            return framing.default_status_quo, "framing default"
    else:
        source = "given"
    if not isinstance(given, framing.status_quo_kinds):
        errors.append(f"'{given.text}' is not a status quo for {framing.kind} framings.")
        return given, source
    if isinstance(given, DecisionColumn | Rule):
        column = given.column
        if column not in table.columns:
            errors.append(f"There is no column '{column}' for the status quo.")
        elif isinstance(given, DecisionColumn) and framing.numeric_decisions and not is_number(table, column):
            errors.append(f"The status quo column '{column}' is not numeric; it should hold the quantities decided.")
        elif isinstance(given, Rule):
            if is_number(table, column) and not isinstance(given.value, float):
                errors.append(f"'{given.value}' is not a number to compare '{column}' with.")
            elif not is_number(table, column) and given.op not in ("==", "!="):
                errors.append(f"'{column}' holds text: use == or != in the status-quo rule.")
    return given, source


def on_calendar(
    panel: Panel,
    design: Backtest,
    given: StatusQuo,
    source: str,
    errors: list[str],
) -> tuple[StatusQuo, str]:
    """The quantity status quo on this file's calendar: a seasonal rule gets its season; with no
    decision column and no choice, the seasonal rule when the history shows a clear season."""
    if source == "framing default":
        return default_quantity_rule(panel.y, design)
    if isinstance(given, Seasonal | SeasonalAverage):
        rule = seasonal_rule(design, given)
        if rule is None:
            errors.append(
                f"'{given.text}' looks one season back, but the history before the tests is shorter than that; "
                "use 'last' or 'moving-average:N', fewer tests or a shorter horizon."
            )
            return given, ""
        return rule, ""
    if isinstance(given, MovingAverage):  # said in the file's periods: "the last 4 weeks"
        return replace(given, unit=design.frequency.unit), ""
    return given, ""


def detected(
    table: pd.DataFrame,
    roles: RoleMap,
    framing: str,
    horizon: int | None = None,
    origins: int = 4,
    step: int | None = None,
    season: int | None = None,
) -> tuple[StatusQuo, str]:
    """The status quo a problem gets when the user does not choose one, and why (the decision
    column; else the framing's rule, for quantities seasonal when the history shows a season)."""
    chosen = catalogue.get(framing)
    errors: list[str] = []
    status_quo, source = checked(chosen, table, roles, None, errors)
    if source == "decision column":
        return status_quo, "your file has a column of what was decided"
    if not chosen.over_time:
        return status_quo, ""
    date, target = roles.one(Role.DATE), roles.one(Role.TARGET)
    keys = tuple(roles.columns(Role.SERIES_KEY))
    if date is None or target is None or date not in table or target not in table:
        return status_quo, ""
    design = backtest_design(table, roles, date, target, horizon, origins, step, season, None, errors)
    if not isinstance(design, Backtest) or errors:
        return status_quo, ""
    return default_quantity_rule(build_panel(table, design.frequency, design.season, date, keys, target).y, design)
