"""The Problem page's money inputs: the currency, then each parameter (a number, or a column that
prices it per row). On a user's own file the numbers only the user knows start empty and are
asked in plain words; a value is recorded as the user's only once they type it, so the page, the
JSON and the report can say which numbers are theirs and which are defaults.

A quantity that is money (sales in dollars) is priced through its gross margin instead of a price
and a unit cost; a value column charged per month is turned into a kept customer's value by one
question (how many months they stay)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import pandas as pd
import streamlit as st

from payoff import formatting
from payoff.charges import charge_period, per_period_value
from payoff.data.roles import Role
from payoff.data.unit_price import UNIT_PRICE
from payoff.errors import PayoffError
from payoff.framings.base import Framing, FromColumn, Param
from payoff.framings.fresh import WEEKDAYS, weekday_mask, weekday_names
from payoff.params import (
    COLUMN_ROLES,
    DERIVED,
    HOLDING_RATE,
    LEAD_RANGE,
    LEAD_TIME,
    MARGIN,
    blank_fill,
    lead_times,
    money_target,
)
from payoff.problem import Problem
from payoff.timegrid import infer_frequency
from payoff.ui import state
from payoff.ui.widgets import plain

ONE_VALUE = "one value for every row"
NO_SYMBOL = "no symbol"
SOURCE_WORDS = {
    "typed": "your number",
    "column": "from your file",
    "default": "Payoff's default",
    "sample": "the sample's documented value",
}


def currency_choice() -> str:
    """The currency shown with every amount: the browser's region suggests one, the user decides."""
    choices = state.choices()
    suggested = choices.currency or formatting.currency_for_locale(st.context.locale)
    options = list(
        dict.fromkeys(
            [suggested, *formatting.CURRENCIES, NO_SYMBOL] if suggested else [NO_SYMBOL, *formatting.CURRENCIES]
        )
    )
    picked = st.selectbox(
        "Currency",
        options,
        index=options.index(suggested) if suggested in options else 0,
        accept_new_options=True,
        key=state.PARAM_PREFIX + "currency",
        help="Shown with every amount on screen, in the report and in the downloads. Type another if yours is not listed.",
    )
    currency = "" if picked in (None, NO_SYMBOL) else str(picked).strip()[:12]
    state.set_choices(replace(state.choices(), currency=currency))
    return currency


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]


def param_input(
    param: Param, value: Any, key: str, label: str | None = None, needed: bool = False, near: Any = None
) -> Any:
    """One parameter's widget; `value` None leaves a number empty (asked, not assumed)."""
    label = label or (param.label + (f" ({param.unit})" if param.unit else ""))
    if param.kind == "bool":
        return st.checkbox(label, value=bool(value), help=param.help, key=key)
    if param.kind in ("optional_count", "optional_periods"):
        verb = "Limit" if param.kind == "optional_count" else "Set"
        limit = st.checkbox(f"{verb}: {param.label.lower()}", value=value is not None, help=param.help, key=key + ".on")
        if not limit:
            return None
        lowest = int(param.minimum or (1 if param.kind == "optional_count" else 0))
        first = near if near is not None else (100 if param.kind == "optional_count" else lowest + 1)
        start = int(value if value is not None else first)  # a lead time range starts at the lead time
        return int(st.number_input(param.label, min_value=lowest, value=start, step=1, key=key))
    if param.kind == "weekdays":
        chosen = weekday_names(value).split(", ") if value else []
        picked = st.multiselect(
            param.label, list(WEEKDAYS), default=chosen, help=param.help, placeholder="every period", key=key
        )
        return weekday_mask(picked)
    if param.kind == "optional_share":
        target = st.checkbox(f"Set: {param.label.lower()}", value=value is not None, help=param.help, key=key + ".on")
        if not target:
            return None
        shown = 100 * float(value or 0.05)
        percent = st.number_input(f"{param.label} (% of periods)", 0.1, 50.0, shown, 0.5, key=key)
        return float(percent) / 100
    if param.kind in ("periods", "count"):
        number = st.number_input(
            label,
            min_value=int(param.minimum or 0),
            max_value=int(param.maximum) if param.maximum is not None else None,
            value=None if value is None else int(value),
            step=1,
            help=param.help,
            key=key,
        )
        return None if number is None else int(number)
    typed_start: float | None = None if value is None else float(value)
    step, shown_as = formatting.input_step(
        typed_start if typed_start is not None else param.default, param.kind == "share"
    )
    amount = st.number_input(
        label,
        min_value=param.minimum,
        max_value=param.maximum,
        value=typed_start,
        step=step,
        format=shown_as,
        help=param.help,
        placeholder="only you know this number" if needed else None,
        key=key,
    )
    return None if amount is None else float(amount)


def _shown(param: Param, typed: dict[str, Any], needed: bool) -> Any:
    """What a widget starts with: the user's number, else the default (a blank fill of a price
    column shows the value it takes), except that a number only the user knows starts empty."""
    if param.key in typed:
        return typed[param.key]
    return None if needed else param.default


def parameter_inputs(framing: Framing, prepared: state.Prepared) -> None:
    """One input per parameter; one that may come from a column first asks where from (the
    detected column preselected). A value counts as the user's once it differs from the default
    or was typed before."""
    choices = state.choices()
    asking = choices.defaults_from is None
    typed = dict(choices.params)
    chosen_columns = dict(choices.columns)
    scales = dict(choices.scales)
    frame = prepared.frame
    numeric = numeric_columns(frame)
    target = prepared.roles.one(Role.TARGET)
    money = money_target(frame, target) if framing.over_time else None
    params: dict[str, Any] = {}
    columns: dict[str, str | None] = {}
    new_scales: dict[str, float] = {}
    keys = {p.key for p in framing.params}
    # As the inputs below read it: a number typed for a column's blank rows keeps the column.
    priced_by_column = {
        p.key: chosen_columns.get(p.key, None if p.key in typed else prepared.roles.one(COLUMN_ROLES[p.column_role]))
        for p in framing.params
        if p.column_role
    }
    margin_form = (
        bool(money)
        and {"price", "unit_cost"} <= keys
        and not any(priced_by_column.get(k) for k in ("price", "unit_cost"))
    )
    # Each row priced from a column and no cost column: a margin prices each row's unit cost. Where
    # the price was worked out from the sales (a till's 10p bag beside a £3.80 loaf) it is asked in
    # place of one unit cost; beside a price column of the file's own (a list price per case) it is
    # offered instead of one, which is refused wherever a product sells below it.
    price_column = priced_by_column.get("price")
    per_row = (
        not margin_form
        and {"price", "unit_cost"} <= keys
        and price_column is not None
        and not priced_by_column.get("unit_cost")
        and "unit_cost" not in typed
    )
    worked_out = per_row and price_column == frame.attrs.get(UNIT_PRICE)
    replaced: set[str] = {"unit_cost"} if worked_out else set()
    if per_row:
        value = _percent_input(
            MARGIN,
            typed.get(MARGIN.key),
            asking or not worked_out,
            f"{state.PARAM_PREFIX}{framing.key}.{MARGIN.key}.{'per_row' if worked_out else 'instead'}",
        )
        st.caption(
            plain(
                f"Each row's unit cost is its price ('{price_column}') less this margin."
                if worked_out
                else f"Or leave it empty and type one unit cost below: a margin prices each row's unit cost from "
                f"its price ('{price_column}')."
            )
        )
        if value is not None:
            params[MARGIN.key] = value
            replaced = {"unit_cost"}
    if margin_form:
        st.info(
            plain(
                f"{money}. Payoff prices one unit of it as one unit of money: give its gross margin (what you keep of "
                "each unit of sales) and, for stock carried over, what holding it costs."
            )
        )
        derived = [MARGIN] + ([HOLDING_RATE] if "holding_cost" in keys else [])
        replaced = {"price", "unit_cost"} | ({"holding_cost"} if "holding_cost" in keys else set())
        cells = st.columns(2)
        for i, param in enumerate(derived):
            with cells[i % 2]:
                value = _percent_input(
                    param, typed.get(param.key), asking, f"{state.PARAM_PREFIX}{framing.key}.{param.key}"
                )
                if value is not None:
                    params[param.key] = value
    lead_column = _lead_time_column(framing, frame, numeric, chosen_columns, state.PARAM_PREFIX + framing.key)
    if lead_column is not None:
        columns[LEAD_TIME] = lead_column
        replaced |= {LEAD_TIME, *LEAD_RANGE}
    left_right = st.columns(2)
    shown = [p for p in framing.params if p.key not in replaced]
    date = prepared.roles.one(Role.DATE)
    dated = framing.over_time and date in frame and pd.api.types.is_datetime64_any_dtype(frame[date])
    period = infer_frequency(frame[date]).unit if dated else None
    for i, param in enumerate(shown):
        key = f"{state.PARAM_PREFIX}{framing.key}.{param.key}"
        with left_right[i % 2]:
            label = param.labelled(period) if period and "period" in param.unit else None
            column = None
            if param.column_role:
                detected = prepared.roles.one(COLUMN_ROLES[param.column_role])
                current = chosen_columns.get(param.key, None if param.key in typed else detected)
                options = [ONE_VALUE, *(c for c in numeric if c != target)]  # the quantity never prices itself
                source = st.selectbox(
                    f"{param.label}: priced from",
                    options,
                    index=options.index(current) if current in options else 0,
                    key=key + ".source",
                    help="A column prices every row with its own value (price per item, value per customer).",
                )
                column = None if source == ONE_VALUE else source
                if column != detected or param.key in chosen_columns:
                    columns[param.key] = column
            if column is not None:
                if param.key == "value" and not framing.over_time and per_period_value(column):
                    periods = _periods_input(column, scales.get("value"), asking, key + ".periods")
                    if periods is not None:
                        new_scales["value"] = periods
                blanks = int(frame[column].isna().sum())
                if not blanks:
                    continue
                label = (
                    f"{param.label} for the {blanks:,} rows where '{column}' is blank (its median unless you type one)"
                )
            # A number typed for a column's blanks belongs to that column: another column (or a
            # constant before) starts from its own median, in an input of its own.
            own = column is None or chosen_columns.get(param.key) == column
            kept = param.key in typed and own
            needed = asking and param.ask and column is None
            start = _shown(param, typed, needed) if kept or column is None else None
            if column is not None and not kept:
                start = blank_fill(frame[column], float(param.default or 0.0))  # as the run prices them
            ranged = param.at_most or param.at_least
            near = typed.get(ranged, framing.param(ranged).default) if ranged else None
            widget = key if column is None else f"{key}.blank.{column}"
            value = param_input(param, start, widget, label, needed, near)
            if value is not None and (needed or kept or value != start):
                params[param.key] = value
                if column is not None:  # typed for the blank rows: the column still prices the others
                    columns[param.key] = column
    state.set_choices(
        replace(
            state.choices(),
            params=tuple(params.items()),
            columns=tuple(columns.items()),
            scales=tuple(new_scales.items()),
        )
    )


NO_LEAD_COLUMN = "none: I type them"


def _lead_time_column(
    framing: Framing, frame: pd.DataFrame, numeric: list[str], chosen: dict[str, Any], key: str
) -> str | None:
    """Where the lead times come from: typed, or a column of past deliveries (its shortest,
    median and 95th percentile, said under the choice)."""
    if not {LEAD_TIME, *LEAD_RANGE} <= {p.key for p in framing.params}:
        return None
    options = [NO_LEAD_COLUMN, *numeric]
    current = chosen.get(LEAD_TIME)
    picked = st.selectbox(
        "Lead times from past deliveries",
        options,
        index=options.index(current) if current in options else 0,
        key=key + ".lead_column",
        help="A column holding how long each past delivery took (periods) sets the lead time and its range.",
    )
    if picked == NO_LEAD_COLUMN:
        return None
    try:
        found = lead_times(frame[picked], str(picked))
    except PayoffError as error:
        st.error(plain(str(error)))
        return str(picked)
    st.caption(
        plain(
            f"From '{picked}', every row pooled: most often {found[LEAD_TIME]}, from {found['lead_time_min']} to "
            f"{found['lead_time_max']} periods (the longest is the 95th percentile: one freak delivery does not set it)."
        )
    )
    return str(picked)


def _percent_input(param: Param, typed: Any, asking: bool, key: str) -> float | None:
    """A share asked as a percentage (a gross margin of 25 %)."""
    start = typed if typed is not None else (None if asking else param.default)
    number = st.number_input(
        f"{param.label} (% {param.unit.replace('share of ', 'of ')})",
        min_value=0.0,
        max_value=100.0,
        value=None if start is None else round(float(start) * 100, 6),
        step=0.5,
        help=param.help,
        placeholder="only you know this number",
        key=key,
    )
    return None if number is None else round(float(number) / 100, 12)


def _periods_input(column: str, scale: float | None, asking: bool, key: str) -> float | None:
    """'monthly_value' is a month's charge: a kept customer is worth that times the months they
    stay, asked in the period the column's name says ('Monthly Fee': months)."""
    start = scale if scale is not None else (None if asking else 1.0)
    period, in_a_year = charge_period(column)
    year = f" ({in_a_year} for a year)" if in_a_year and in_a_year > 1 else ""
    periods = st.number_input(
        f"'{column}' is charged per {period}: how many {period}s does a kept customer stay?",
        min_value=0.1,
        max_value=600.0,
        value=start,
        step=1.0,
        help=f"A kept customer is worth '{column}' times this{year}.",
        placeholder=f"e.g. {in_a_year or 12} {period}s" if period != "year" else "e.g. 3 years",
        key=key,
    )
    return None if periods is None else float(periods)


def provenance(problem: Problem) -> None:
    """Where each money number comes from: the same words the JSON and the report use."""
    sources = dict(problem.sources)
    values = problem.values
    lines = []
    price, cost = values.get("price"), values.get("unit_cost")
    # a money target's costs as the user typed them: a margin, and holding as a share of the cost
    as_typed = bool(problem.money_target) and isinstance(price, int | float) and isinstance(cost, int | float)
    for param in problem.framing.params:
        if not param.is_swept:
            continue
        source = sources.get(param.key, "default")
        word = SOURCE_WORDS["sample" if source == "default" and problem.defaults_from == "sample" else source]
        value = values[param.key]
        if as_typed and param.key in ("price", "unit_cost", "holding_cost"):
            if param.key == "price" and price:
                margin = 1.0 - float(cast(float, cost)) / float(cast(float, price))
                lines.append(f"Gross margin: {formatting.number(100 * margin)}% ({word})")
            elif param.key == "holding_cost" and cost and isinstance(value, int | float):
                rate = 100 * float(value) / float(cast(float, cost))
                lines.append(f"Holding: {formatting.number(rate)}% of the unit cost a period ({word})")
            continue
        if isinstance(value, FromColumn):
            shown = f"column '{value.column}'" + (f" x {value.scale:g}" if value.scale != 1 else "")
        else:
            # a swept parameter (money, a share, a rate) is a number: Param.coerce gives None only to an optional count
            shown = formatting.number(float(cast(float, value)))
        lines.append(f"{param.label}: {shown} ({word})")
    if problem.money_target:
        lines.append("one unit of the quantity is one unit of money")
    st.caption(plain("; ".join(lines)))


def missing_note(missing: tuple[Param, ...]) -> None:
    """Before the first run: the numbers still to type, in the page's words."""
    names = [("the " + p.label.lower()) for p in missing]
    st.warning(plain(f"Type {', '.join(names)} above: only you know them. Run stays off until you do."))


__all__ = ["DERIVED", "currency_choice", "missing_note", "parameter_inputs", "provenance"]
