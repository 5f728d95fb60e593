"""The what-if controls: every parameter of the run, editable and re-priced at once without a
refit, kept in the session's what-ifs (and the page's address) until saved; and targeting's choice
of decision rule. A money file's price and unit cost are shown as its gross margin, as the Problem
page asked them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from payoff import formatting
from payoff.analysis import Analysis, recost
from payoff.errors import PayoffError
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import QuantityPredictions
from payoff.framings.base import FromColumn, Param, TargetingFraming
from payoff.framings.fresh import WEEKDAYS, weekday_mask, weekday_names
from payoff.params import MARGIN
from payoff.ui import state
from payoff.ui.widgets import error_text, show_error

THRESHOLD_RULE = state.WHATIF_PREFIX + "rule"
THRESHOLD = state.WHATIF_PREFIX + "threshold"


def _period(analysis: Analysis) -> str | None:
    """The file's period ("hour"), where the analysis has a calendar."""
    predictions = analysis.predictions
    return predictions.panel.frequency.unit if isinstance(predictions, QuantityPredictions) else None


def _own(analysis: Analysis, key: str) -> Any:
    value = analysis.values[key]
    return value.scale if isinstance(value, FromColumn) else value


def _changed(analysis: Analysis, param_key: str, widget: str) -> None:
    """A what-if control moved: its value joins the what-ifs (and the page's address)."""
    value = st.session_state.get(widget)
    limited = st.session_state.get(widget + ".on")
    param = analysis.problem.framing.param(param_key)
    if param.kind == "weekdays":
        value = weekday_mask(value or None)  # the names chosen, as the parameter keeps them
    elif param.kind == "optional_share" and value is not None:
        value = float(value) / 100  # typed as a percentage
    if limited is False:
        value = None  # "no limit"
    elif limited is True and value is None:  # a first value to start from
        ranged = param.at_most or param.at_least
        start = state.effective_values(analysis).get(ranged) if ranged else None  # the lead time itself
        value = {"optional_share": 0.05, "optional_periods": start}.get(param.kind, 100)
    values = state.whatif()
    if value == _own(analysis, param_key):
        values.pop(param_key, None)
    else:
        values[param_key] = value
    state.set_whatif(values)


def _as_margin(analysis: Analysis, values: dict[str, Any]) -> float | None:
    """The gross margin, as a share, where the Problem page asked it: a money file's (price 1,
    unit cost 1 - margin), or each row's price with its cost from the margin (the same column,
    scaled by 1 - margin); else None."""
    price, cost = values.get("price"), values.get("unit_cost")
    if isinstance(price, FromColumn) and isinstance(cost, FromColumn) and price.column == cost.column:
        price, cost = price.scale, cost.scale  # a what-if keeps a column's multiplier
    elif not analysis.problem.money_target:
        return None
    if not isinstance(price, int | float) or not isinstance(cost, int | float):
        return None
    return 1.0 - float(cost) / float(price) if price > 0 else None


def _margin_control(analysis: Analysis, margin: float, key: str) -> None:
    st.session_state[key] = round(100 * margin, 6)  # at every run, so the screen shows it (see widgets.seeded)
    st.number_input(
        f"{MARGIN.label} (% of sales)",
        0.0,
        100.0,
        step=1.0,
        help=MARGIN.help,
        key=key,
        on_change=_margin_changed,
        args=(analysis, key),
    )


def _margin_changed(analysis: Analysis, widget: str) -> None:
    """A new margin: the unit cost of one unit of money, against a price of 1 (the what-ifs keep
    the price and the unit cost, as every other page and the saved analysis read them)."""
    values = state.whatif()
    price = float(_own(analysis, "price") if "price" not in values else values["price"])
    cost = round(price * (1.0 - float(st.session_state.get(widget) or 0.0) / 100), 12)
    changed: list[tuple[str, float]] = [("price", price), ("unit_cost", cost)]
    now = state.effective_values(analysis)  # a holding what-if the user set is kept, as a rate of the cost
    cost_now, holding_now = now.get("unit_cost"), now.get("holding_cost")
    if isinstance(holding_now, int | float) and isinstance(cost_now, int | float) and cost_now > 0:
        # holding was asked as a share of the stock's cost: it follows the cost the margin sets
        changed.append(("holding_cost", round(float(holding_now) * cost / float(cost_now), 12)))
    for key, value in changed:
        if value == _own(analysis, key):
            values.pop(key, None)
        else:
            values[key] = value
    state.set_whatif(values)


def what_if(analysis: Analysis, rule: Callable[[Analysis], float | None] | None = None) -> Impact:
    """Every parameter of the run, editable; a column-priced one is scaled. Re-priced instantly.
    The values live in the session's what-ifs (and the page's address) until they are saved, so a
    reload or a copied link shows the numbers that were on screen. `rule`, where the kind has one,
    draws the choice of decision rule and returns its threshold (None: the expected-value rule)."""
    framing = analysis.problem.framing
    values = state.effective_values(analysis)
    st.caption("The costs and settings of the run. Every change re-prices the kept decisions at once: no refit.")
    margin = _as_margin(analysis, values)
    # two to a row: a perishable run's eleven settings in one column ran below a 720-pixel screen
    slots = st.columns(2)
    drawn = 0
    for param in framing.params:
        if margin is not None and param.key in ("price", "unit_cost"):
            if param.key == "unit_cost":
                with slots[drawn % 2]:
                    _margin_control(analysis, margin, f"{state.WHATIF_PREFIX}{framing.key}.{MARGIN.key}")
                drawn += 1
            continue
        value = values[param.key]
        key = f"{state.WHATIF_PREFIX}{framing.key}.{param.key}"
        shown = value.scale if isinstance(value, FromColumn) else value
        with slots[drawn % 2]:
            _control(analysis, param, key, shown, value.column if isinstance(value, FromColumn) else None)
        drawn += 1
    threshold = rule(analysis) if rule is not None else None
    try:
        impact = recost(analysis, values, threshold)
    except PayoffError as error:
        show_error(error)
        state.refuse_whatif(error_text(error))
        return analysis.impact
    state.refuse_whatif(None)
    return impact


def threshold_rule(analysis: Analysis) -> float | None:
    """Targeting's choice of decision rule: the expected value, or a probability threshold."""
    framing = analysis.problem.framing
    assert isinstance(framing, TargetingFraming)  # its kind's section
    rule = st.radio(
        "Decision rule",
        ["expected value", "probability threshold"],
        horizontal=True,
        key=THRESHOLD_RULE,
        help="Expected value acts where the money expected from acting is positive.",
    )
    if rule != "probability threshold":
        return None
    side = "at least" if analysis.impact.evaluation.get("acts_when", "above") == "above" else "at most"
    threshold: float = st.slider(
        f"{framing.act_label.capitalize()} when the chance that it {framing.words[1]} is {side}",
        0.0,
        1.0,
        0.5,
        0.01,
        key=THRESHOLD,
    )
    return threshold


def _control(analysis: Analysis, param: Param, key: str, shown: Any, column: str | None) -> None:
    """One what-if control, its value kept in step with the what-ifs (set before it is drawn)."""
    on_change, args = _changed, (analysis, param.key, key)
    if param.kind == "weekdays":
        st.session_state[key] = weekday_names(shown).split(", ") if shown else []
        st.multiselect(
            param.label,
            list(WEEKDAYS),
            help=param.help,
            placeholder="every period",
            key=key,
            on_change=on_change,
            args=args,
        )
        return
    if param.kind in ("optional_count", "optional_share", "optional_periods"):
        st.session_state[key + ".on"] = shown is not None
        what = "Limit" if param.kind == "optional_count" else "Set"
        st.checkbox(f"{what}: {param.label.lower()}", help=param.help, key=key + ".on", on_change=on_change, args=args)
        if shown is None:
            return
    st.session_state[key] = shown  # at every run, so the screen shows it (see widgets.seeded)
    if param.kind == "bool":
        st.checkbox(param.label, help=param.help, key=key, on_change=on_change, args=args)
    elif column is not None:
        st.number_input(
            f"{param.label}: column '{column}' x",
            min_value=0.0,
            step=0.05,
            help="Multiply every row's value, e.g. 0.8 for values 20% lower.",
            key=key,
            on_change=on_change,
            args=args,
        )
    elif param.kind == "optional_share":  # typed as a percentage, as on the Problem page
        st.session_state[key] = round(100 * float(shown), 6)
        st.number_input(
            f"{param.label} (% of periods)",
            0.1,
            50.0,
            step=0.5,
            help=param.help,
            key=key,
            on_change=on_change,
            args=args,
        )
    elif param.kind in ("periods", "count", "optional_count", "optional_periods"):
        st.number_input(
            param.labelled(_period(analysis)),
            min_value=int(param.minimum or (1 if param.kind == "optional_count" else 0)),
            max_value=int(param.maximum) if param.maximum is not None else None,
            step=1,
            help=param.help,
            key=key,
            on_change=on_change,
            args=args,
        )
    else:
        step, shown_as = formatting.input_step(
            float(shown) if shown is not None else None, param.kind in ("share", "optional_share")
        )
        st.number_input(
            param.labelled(_period(analysis)),
            min_value=param.minimum,
            max_value=param.maximum,
            step=step,
            format=shown_as,
            help=param.help,
            key=key,
            on_change=on_change,
            args=args,
        )
