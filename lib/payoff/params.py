"""A framing's parameters resolved against a table and what the user gave: each value with where it
came from (typed, a column, a default), and the numbers only the user knows that are still missing.

Nothing that sets the money is assumed silently. On a user's own file a parameter marked `ask`
(a price, a cost, a customer's value) must be typed or come from a column; a built-in sample
uses its documented values and `--assume-defaults` Payoff's, and every output says so.

A target that is money (weekly sales in dollars) is priced through its gross margin: one unit of
the column is one unit of money, so price = 1 and unit cost = 1 - margin; holding is a share of
the stock's cost per period."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payoff.charges import per_period_value
from payoff.data.money_columns import MONEY_COLUMNS
from payoff.data.roles import Role, RoleMap
from payoff.data.unit_price import UNIT_PRICE
from payoff.designs import Backtest, Evaluation, is_number
from payoff.errors import BadParameter, PayoffError
from payoff.framings.base import COLUMN, DEFAULT, TYPED, Framing, FromColumn, Param, ParamValue
from payoff.framings.fresh import schedule_problem

COLUMN_ROLES = {"price": Role.PRICE, "cost": Role.COST, "value": Role.VALUE}
FROM_SAMPLE, FROM_FRAMING = "sample", "framing"  # whose defaults price what the user did not give

# Money targets are priced per unit of money through these two (derived, never kept as such).
MARGIN = Param(
    "gross_margin",
    "Gross margin",
    0.3,
    "share of sales",
    "What you keep of one unit of sales after the cost of the goods (25% = 0.25).",
    "share",
    0.0,
    1.0,
    ask=True,
)
HOLDING_RATE = Param(
    "holding_rate",
    "Holding cost per period",
    0.005,
    "share of the stock's cost",
    "Cost of keeping stock one period, as a share of its cost (0.5% a week = 0.005).",
    "share",
    0.0,
    1.0,
    ask=True,
)
# A value column charged per period (a monthly charge) is worth this many periods for a kept customer.
VALUE_PERIODS = Param(
    "value_periods",
    "Periods a kept customer stays",
    12.0,
    "periods of the value column",
    "A kept customer is worth the value column's charge times this (12 for a year of a monthly charge).",
    "rate",
    minimum=1e-9,
    ask=True,
)
DERIVED = {MARGIN.key: MARGIN, HOLDING_RATE.key: HOLDING_RATE, VALUE_PERIODS.key: VALUE_PERIODS}

_MONEY_NAME = re.compile(r"revenue|turnover|amount|dollar|usd|eur|gbp|takings|income|spend|(^|_)value$", re.I)
_SALES_NAME = re.compile(r"sales", re.I)
_UNIT_NAME = re.compile(r"unit|qty|quantity|count|number|pieces|pcs|items|volume|sold", re.I)


@dataclass(frozen=True)
class Resolved:
    """Parameter values, where each came from, and what the user still has to give."""

    values: dict[str, ParamValue | FromColumn]
    sources: dict[str, str]
    missing: tuple[Param, ...] = ()


def money_target(table: pd.DataFrame, target: str | None) -> str | None:
    """Why the quantity column reads as money rather than units, or None. A name that says money
    (revenue, amount, turnover), or one that says sales without units with cents or large values."""
    if target is None or target not in table.columns or not is_number(table, target):
        return None
    values = pd.to_numeric(table[target], errors="coerce").dropna()
    if values.empty:
        return None
    fractional = bool((values != values.round()).mean() > 0.2)
    cents = fractional and bool(((values * 100 - (values * 100).round()).abs() < 1e-6).mean() > 0.95)
    large = float(values.abs().median()) >= 1000
    if target in table.attrs.get(MONEY_COLUMNS, ()):
        return f"'{target}' reads as money: its values are written with a currency sign"
    if _MONEY_NAME.search(target) and not _UNIT_NAME.search(target):
        return f"'{target}' is named like an amount of money"
    if _SALES_NAME.search(target) and not _UNIT_NAME.search(target) and (cents or large):
        # "values in cents" read as if the amounts were counted in cents: they carry cents
        example = float(values[values != values.round()].iloc[0]) if cents else 0.0
        evidence = (
            f"with cents, such as {example:,.2f}"
            if cents
            else f"in the thousands (median {float(values.abs().median()):,.0f})"
        )
        return f"'{target}' reads as sales in money: values {evidence}"
    return None


def blank_fill(column: pd.Series, otherwise: float) -> float:
    """What prices a column's blank rows when the user has typed nothing for them: the median of
    its own values (a bakery's blank prices once took the samples' 4.00 beside prices of 1.20)."""
    known = pd.to_numeric(column, errors="coerce").dropna()
    return float(known.median()) if len(known) else otherwise


def parse_share(raw: Any) -> Any:
    """'25%' -> 0.25: shares may be typed as percentages."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        try:
            return float(raw.strip()[:-1].replace(",", "")) / 100
        except ValueError:
            return raw
    return raw


def resolve(
    framing: Framing,
    table: pd.DataFrame,
    roles: RoleMap,
    given: Mapping[str, Any],
    columns: Mapping[str, str | None],
    scales: Mapping[str, float],
    defaults_from: str | None,
    money: str | None,
    errors: list[str],
) -> Resolved:
    """Defaults, then what was typed, then the columns that price a parameter per row (named, or
    detected in its role unless a constant was typed: explicit beats detected)."""
    values: dict[str, ParamValue | FromColumn] = dict(framing.defaults())
    sources = {p.key: DEFAULT for p in framing.params}
    typed = dict(given)
    own = {p.key for p in framing.params}
    derived = {k: typed.pop(k) for k in list(typed) if k in DERIVED and k not in own}
    scales = dict(scales)
    periods = derived.pop(VALUE_PERIODS.key, None)
    if periods is not None:
        try:
            scales["value"] = float(VALUE_PERIODS.coerce(periods) or 1.0)
        except PayoffError as error:
            errors.append(str(error))
    for key, raw in typed.items():
        try:
            param = framing.param(key)
            values[key] = param.coerce(parse_share(raw) if param.kind in ("share", "optional_share") else raw)
            sources[key] = TYPED
        except PayoffError as error:
            errors.append(str(error))
    # A margin beside a price column sets each row's unit cost from its price (a till's items, each
    # at its own price), once the column has priced the rows; on a money target, price 1.
    # (a number typed for the column's blank rows comes with the column: the margin still applies)
    # On a quantity of units, a margin is always a share of the price (a column's, or the one typed):
    # only a money target's margin prices a unit of 1 (a typed 3.00 once became 1.00 beside a margin).
    priced_by = columns.get("price") or (roles.one(Role.PRICE) if "price" not in typed else None)
    of_the_price = (priced_by or "price" in typed) and not money and "unit_cost" not in typed
    per_row_margin = derived.pop(MARGIN.key, None) if of_the_price else None
    # a holding rate is a share of each row's own unit cost then, known only once the margin is
    per_row_holding = derived.pop(HOLDING_RATE.key, None) if per_row_margin is not None else None
    _apply_derived(framing, derived, values, sources, errors)
    if money and sources.get("price") == sources.get("unit_cost") == DEFAULT:
        # A money target's defaults are a margin's, never a unit's price: dollars are not units.
        assumed = {MARGIN.key: MARGIN.default}
        if sources.get("holding_cost") == DEFAULT:
            assumed[HOLDING_RATE.key] = HOLDING_RATE.default
        _apply_derived(framing, assumed, values, sources, errors, DEFAULT)
    for key, column in columns.items():
        try:
            if key == LEAD_TIME and column is not None and {LEAD_TIME, *LEAD_RANGE} <= {p.key for p in framing.params}:
                _lead_times_from(framing, table, column, values, sources, errors)
            elif framing.param(key).column_role is None:
                errors.append(f"'{key}' is one number for all rows; it cannot come from a column.")
        except PayoffError as error:
            errors.append(str(error))
    for param in framing.params:
        if param.column_role is None:
            continue
        if param.key in columns:
            column = columns[param.key]
        elif sources[param.key] == TYPED:
            column = None  # explicit beats detected: the typed constant prices every row
        else:
            column = roles.one(COLUMN_ROLES[param.column_role])
        if column is None:
            continue
        if column not in table.columns:
            errors.append(f"There is no column '{column}' to price '{param.key}'.")
        elif not is_number(table, column):
            errors.append(f"'{column}' is not numeric, so it cannot price '{param.key}'; choose a number column.")
        else:
            fill = values[param.key]
            scale = scales.get(param.key)
            if scale is None and param.key == "value" and per_period_value(column):
                # a month's charge is not a kept customer's value: how many months is asked
                sources[VALUE_PERIODS.key] = DEFAULT
                scale = VALUE_PERIODS.default if defaults_from else 1.0
            elif param.key == "value" and per_period_value(column):
                sources[VALUE_PERIODS.key] = TYPED
            value = float(fill) if isinstance(fill, int | float) else 0.0
            if sources[param.key] != TYPED:  # never the samples' number: the column's own typical value
                value = blank_fill(table[column], value)
            values[param.key] = FromColumn(column, value, float(scale if scale is not None else 1.0))
            sources[param.key] = COLUMN
    if per_row_margin is not None and "unit_cost" in own:
        _margin_of_the_price(
            values, sources, errors, per_row_margin, per_row_holding if "holding_cost" in own else None
        )
    for param in framing.params:
        if values.get(param.key) is None and not param.optional:
            errors.append(f"'{param.key}' needs a value: {param.help}")
    errors += framing.order_problems(values)
    price = values.get("price")
    per_row = isinstance(price, FromColumn) and price.column == table.attrs.get(UNIT_PRICE)
    missing = () if defaults_from else _missing(framing, sources, money, per_row)
    return Resolved(values, sources, missing)


LEAD_TIME, LEAD_RANGE = "lead_time", ("lead_time_min", "lead_time_max")
LONGEST = 0.95  # the longest lead time counted from past deliveries: one freak delivery does not set it


def lead_times(values: pd.Series, column: str) -> dict[str, int]:
    """A column of past deliveries' lead times (periods) as the shortest, the most likely (the
    median) and the longest (the 95th percentile), in whole periods."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    if len(known) < 3:
        raise BadParameter(f"'{column}' holds {len(known)} lead time(s); past deliveries need at least 3 numbers.")
    if (known < 0).any():
        raise BadParameter(f"'{column}' holds lead times below zero ({known.min():g}); a delivery cannot come early.")
    return {
        "lead_time_min": int(np.floor(known.min())),
        LEAD_TIME: int(np.round(known.median())),
        "lead_time_max": int(np.ceil(known.quantile(LONGEST))),
    }


def _lead_times_from(
    framing: Framing,
    table: pd.DataFrame,
    column: str,
    values: dict[str, ParamValue | FromColumn],
    sources: dict[str, str],
    errors: list[str],
) -> None:
    if column not in table.columns:
        errors.append(f"There is no column '{column}' of past lead times.")
        return
    try:
        found = lead_times(table[column], column)
    except PayoffError as error:
        errors.append(str(error))
        return
    for key, value in found.items():
        try:
            values[key] = framing.param(key).coerce(value)  # within the range a typed one must keep
        except PayoffError as error:
            errors.append(f"{error} (from '{column}')")
            continue
        sources[key] = COLUMN


def _margin_of_the_price(
    values: dict[str, ParamValue | FromColumn],
    sources: dict[str, str],
    errors: list[str],
    margin: Any,
    holding: Any,
) -> None:
    """The unit cost (and a holding rate's cost) as a share of the price: of each row's own where a
    column prices the rows, else of the one price typed (the column first guessed to price them
    was set aside: the margin still applies, never dropped without a word)."""
    price = values.get("price")
    try:
        kept = 1.0 - float(MARGIN.coerce(parse_share(margin)) or 0.0)
        rate = kept * float(HOLDING_RATE.coerce(parse_share(holding)) or 0.0) if holding is not None else None
    except PayoffError as error:
        errors.append(str(error))
        return
    for key, share in (("unit_cost", kept), ("holding_cost", rate)):
        if share is None:
            continue
        if isinstance(price, FromColumn):
            values[key] = FromColumn(price.column, round(price.fill * share, 12), round(price.scale * share, 12))
        elif isinstance(price, int | float):
            values[key] = round(float(price) * share, 12)
        else:
            continue  # no price yet: its own "needs a value" says so
        sources[key] = TYPED


def _apply_derived(
    framing: Framing,
    derived: Mapping[str, Any],
    values: dict[str, ParamValue | FromColumn],
    sources: dict[str, str],
    errors: list[str],
    source: str = TYPED,
) -> None:
    """A gross margin prices one unit of a money target: price 1, unit cost 1 - margin; a holding
    rate is that share of the unit cost per period (applied after the margin, which sets the cost)."""
    keys = {p.key for p in framing.params}
    needs = {MARGIN.key: ("price", "unit_cost"), HOLDING_RATE.key: ("holding_cost",)}
    for key in (MARGIN.key, HOLDING_RATE.key):
        if key not in derived:
            continue
        if not set(needs[key]) <= keys:
            errors.append(f"'{key}' does not apply to framing '{framing.key}' (it has no {' or '.join(needs[key])}).")
            continue
        try:
            share = float(DERIVED[key].coerce(parse_share(derived[key])) or 0.0)
        except PayoffError as error:
            errors.append(str(error))
            continue
        if key == MARGIN.key:
            values["price"], values["unit_cost"] = 1.0, round(1.0 - share, 12)
            sources["price"] = sources["unit_cost"] = source
        else:
            cost = values.get("unit_cost")
            values["holding_cost"] = round(share * (float(cost) if isinstance(cost, int | float) else 1.0), 12)
            sources["holding_cost"] = source


def _missing(
    framing: Framing, sources: Mapping[str, str], money: str | None, per_row_price: bool = False
) -> tuple[Param, ...]:
    """The asked parameters the user has not given; for a money target, its margin (and holding
    rate) in place of a price and a unit cost it has no use for; where each row has its own price
    worked out from its sales (a till's items), the margin in place of one unit cost for all."""
    missing = [p for p in framing.params if p.ask and sources[p.key] == DEFAULT]
    if per_row_price and any(p.key == "unit_cost" for p in missing):
        missing = [MARGIN if p.key == "unit_cost" else p for p in missing]
    if sources.get(VALUE_PERIODS.key) == DEFAULT:
        missing.append(VALUE_PERIODS)
    keys = {p.key for p in missing}
    if money and {"price", "unit_cost"} <= keys:
        missing = [p for p in missing if p.key not in ("price", "unit_cost")]
        missing.insert(0, MARGIN)
        if "holding_cost" in keys:
            missing = [p for p in missing if p.key != "holding_cost"] + [HOLDING_RATE]
    return tuple(missing)


def missing_message(param: Param, money: str | None = None) -> str:
    """What is needed, in the words of the question (the front ends add where and how)."""
    if param is MARGIN and money:
        return (
            f"Needed: the gross margin ({param.key}), as a share of sales: {money}, so one unit of it is priced as "
            "one unit of money."
        )
    unit = f", {param.unit}" if param.unit else ""
    return f"Needed: {param.label.lower()}{unit} ({param.key}): {param.help}"


def typical(values: Mapping[str, ParamValue | FromColumn], table: pd.DataFrame, key: str) -> float | None:
    """A parameter's typical value: the constant, or the median of its column (scaled)."""
    value = values.get(key)
    if isinstance(value, FromColumn):
        column = pd.to_numeric(table[value.column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        known = column[np.isfinite(column)]
        return float(np.median(known)) * value.scale if known.size else value.fill
    return None if value is None or isinstance(value, bool) else float(value)


def check_schedule(
    mask: object,
    design: Evaluation | None,
    table: pd.DataFrame,
    date: str | None,
    target: str | None,
    errors: list[str],
) -> None:
    """Delivery days the file can have: a daily file, with at least one of them."""
    if not isinstance(mask, int) or not isinstance(design, Backtest) or date is None or date not in table:
        return
    known = table[target].notna() if target in table else slice(None)
    days = pd.to_datetime(table.loc[known, date], errors="coerce").dropna().dt.day_of_week.to_numpy()
    problem = schedule_problem(mask, design.frequency.unit == "day", days)
    if problem is not None:
        errors.append(problem)
