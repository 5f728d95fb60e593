"""What a quantity problem settles on the table before anything is fitted, from one pivot of it:
the regressors known in advance (those that look realised with demand left out, and said), the
closed days, how rows finer than the periods were combined, and the status quo on the file's
calendar. `problem.make_problem` calls it; nothing else needs it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from payoff import status_quo_of
from payoff.closures import closed_column, without_closures
from payoff.data.roles import Role, RoleMap
from payoff.data.unit_price import UNIT_PRICE
from payoff.designs import Backtest, Evaluation, is_number
from payoff.known_in_advance import realised_flags
from payoff.left_out import BECAUSE, columns_left_out
from payoff.models.panel import build_panel
from payoff.statusquo import DecisionColumn, StatusQuo
from payoff.timegrid import combined_rows


@dataclass(frozen=True)
class QuantitySide:
    """What a quantity problem settles on the table before anything is fitted."""

    features: tuple[str, ...] = ()  # regressors known in advance
    left_out: tuple[tuple[str, str], ...] = ()
    realised: tuple[tuple[str, str], ...] = ()
    closed_column: str | None = None
    closures: str = ""
    rows_combined: str = ""
    status_quo: StatusQuo | None = None  # on the file's calendar (None: as given)
    status_quo_reason: str = ""


def quantity_side(
    table: pd.DataFrame,
    roles: RoleMap,
    keys: tuple[str, ...],
    design: Evaluation | None,
    status_quo: StatusQuo,
    source: str,
    known_in_advance: Sequence[str],
    errors: list[str],
    level: bool = False,
) -> QuantitySide:
    """The regressors known in advance (those that look realised with demand left out unless the
    user knows them), the closed days, and the status quo on the file's calendar: all read from
    one pivot of the table, when the design is sound. `level`: today's decisions are levels held
    through a period (people on shift), averaged where rows are finer than the periods."""
    target, date = roles.one(Role.TARGET), roles.one(Role.DATE)
    closed_by = closed_column(table, roles)
    # today's decision column is what the models are compared with, not something to forecast from
    decided = status_quo.column if isinstance(status_quo, DecisionColumn) else None
    worked_out = table.attrs.get(UNIT_PRICE)  # from the day's own sales: it prices, it never forecasts
    features = tuple(c for c in regressors(table, roles) if c not in (closed_by, decided, worked_out))
    realised: tuple[tuple[str, str], ...] = ()
    closures, rule, reason = "", None, ""
    combined = ""
    if isinstance(design, Backtest) and target is not None and date is not None and date in table.columns:
        series = table[list(keys)] if keys else None
        combined = combined_rows(table[date], design.frequency, target, decided, level, series) or ""
    if isinstance(design, Backtest) and not errors and target is not None and date is not None:
        marked = (*features, closed_by) if closed_by else features
        panel = build_panel(table, design.frequency, design.season, date, keys, target, marked)
        panel, found = without_closures(panel, closed_by)
        closures = found.sentence
        rule, reason = status_quo_of.on_calendar(panel, design, status_quo, source, errors)
        realised = tuple((f.column, f.reason) for f in realised_flags(panel, design.horizon))
        dropped = {column for column, _ in realised} - set(known_in_advance)
        features = tuple(c for c in features if c not in dropped)
    because = {
        column: f"looks realised with demand: {why} (say it is known in advance to use it)" for column, why in realised
    }
    because = {k: v for k, v in because.items() if k not in known_in_advance}
    if closed_by:
        because[closed_by] = "marks the days the business was closed: no order and no cost is counted on them"
    if decided:
        because[decided] = BECAUSE[Role.DECISION]
    if worked_out:
        because[worked_out] = (
            "worked out from each day's sales, known only once the day is over: it prices, not forecasts"
        )
    left_out = columns_left_out(table, roles, (*keys, *features, target, date), because)
    return QuantitySide(features, left_out, realised, closed_by, closures, combined, rule, reason)


def regressors(table: pd.DataFrame, roles: RoleMap) -> tuple[str, ...]:
    """Numeric columns known in advance (price, promotion, holidays) that the regressions use."""
    return tuple(
        c for c, r in roles.roles.items() if r in (Role.FEATURE, Role.PRICE) and c in table and is_number(table, c)
    )
