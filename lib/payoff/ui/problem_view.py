"""The Problem page's pieces: framing cards, business parameters, status quo, backtest settings.
Choices are kept in session state so the Models page can run with them, or with the defaults
when the user went straight from a sample to the Models page."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from payoff.analysis import AnalysisSpec
from payoff.data.quality import infer_frequency
from payoff.data.roles import Role, Shape
from payoff.errors import PayoffError
from payoff.evaluate.backtest import ALL_MODELS, default_horizon
from payoff.framings import catalogue, quantity
from payoff.framings.base import Framing, Param
from payoff.ui import state
from payoff.ui.widgets import plain, show_error

COUNTRIES = ["none", "US", "GB", "DE", "FR", "ES", "IT", "NL", "IL", "CA", "AU", "IN", "BR", "JP"]
TARGETING_MODELS = ("logistic regression", "random forest", "gradient boosting")


def family_for(shape: Shape) -> str:
    return "targeting" if shape == Shape.ENTITY else "quantity"


def current_framing(prepared: state.Prepared) -> Framing:
    """The chosen framing when it fits the data's shape, else the first one that does."""
    family = family_for(prepared.roles.shape)
    key = state.framing()
    if key in catalogue.FRAMINGS and catalogue.FRAMINGS[key].family == family:
        return catalogue.FRAMINGS[key]
    return catalogue.for_family(family)[0]


def framing_cards(prepared: state.Prepared) -> Framing:
    family = family_for(prepared.roles.shape)
    options = catalogue.for_family(family)
    current = current_framing(prepared)
    keys = [f.key for f in options]
    picked = st.radio(
        "What decision do you want to improve?",
        keys,
        index=keys.index(current.key),
        format_func=lambda k: catalogue.FRAMINGS[k].title,
        captions=[f.question for f in options],
        key=state.FRAMING_PICK,
    )
    state.set_framing(picked)
    return catalogue.FRAMINGS[picked]


def _param_widget(framing: Framing, param: Param, value: Any, key: str) -> Any:
    label = f"{param.label}" + (f" ({param.unit})" if param.unit else "")
    if param.kind == "bool":
        return st.checkbox(label, value=bool(value), help=param.help, key=key)
    if param.kind == "optional_count":
        limit = st.checkbox(f"Limit: {param.label.lower()}", value=value is not None, help=param.help, key=key + ".on")
        if not limit:
            return None
        return int(st.number_input(param.label, min_value=1, value=int(value or 100), step=1, key=key))
    if param.kind in ("periods", "count"):
        return int(
            st.number_input(
                label,
                min_value=int(param.minimum or 0),
                max_value=int(param.maximum) if param.maximum is not None else None,
                value=int(value),
                step=1,
                help=param.help,
                key=key,
            )
        )
    step = 0.01 if param.kind == "share" else max(0.01, round(abs(float(value or 1)) / 20, 2))
    return float(
        st.number_input(
            label,
            min_value=param.minimum,
            max_value=param.maximum,
            value=float(value),
            step=step,
            help=param.help,
            key=key,
        )
    )


def parameter_inputs(
    framing: Framing, prepared: state.Prepared, prefix: str = state.PARAM_PREFIX, initial: dict[str, Any] | None = None
) -> dict[str, Any]:
    stored = state.params() if initial is None else initial
    values = {**framing.defaults(), **{k: v for k, v in stored.items() if k in framing.defaults()}}
    columns = st.columns(2)
    out: dict[str, Any] = {}
    role_of = {"price": Role.PRICE, "cost": Role.COST, "value": Role.VALUE}
    for i, param in enumerate(framing.params):
        with columns[i % 2]:
            out[param.key] = _param_widget(framing, param, values[param.key], f"{prefix}{framing.key}.{param.key}")
            mapped = prepared.roles.one(role_of[param.column_role]) if param.column_role else None
            if mapped:
                st.caption(f"Per row from column {plain(repr(mapped))}; this value fills its blanks.")
    return out


def consequence(framing: Framing, params: dict[str, Any], prepared: state.Prepared | None = None) -> None:
    try:
        if framing.family == "quantity":
            columns = {}
            if prepared is not None and framing.key in ("perishable", "inventory"):
                for key, role in (("price", Role.PRICE), ("unit_cost", Role.COST)):
                    column = prepared.roles.one(role)
                    if column:
                        columns[key] = prepared.frame[column].to_numpy(dtype="float64", na_value=np.nan)
            st.info(quantity.describe_ratio(framing.key, framing.resolve(params), columns or None))
        else:
            from payoff.framings import targeting

            cells = targeting.describe_cells(framing.key, framing.resolve(params))
            st.markdown("**The four outcomes, per entity**")
            st.dataframe(cells, hide_index=True, width="content")
    except PayoffError as error:
        show_error(error)


STATUS_QUO_KEY = state.PARAM_PREFIX + "status_quo"
STATUS_QUO_LABELS = {
    "last": "Last period's value",
    "moving-average": "Moving average plus a buffer",
    "nobody": "Act on nobody",
    "everybody": "Act on everybody",
    "rule": "A simple rule on one column",
}


def _status_quo_kind(decision: str | None, rules: list[str], settings: dict[str, Any]) -> str:
    """The kind of status quo: the mapped decision column (first, when there is one) or a rule."""
    options = ([f"column:{decision}"] if decision else []) + rules
    labels = {**STATUS_QUO_LABELS, f"column:{decision}": f"What you did: column '{decision}'"}
    current = settings.get("status_quo_kind", options[0])
    kind = st.radio(
        "What do you do today (the status quo)?",
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda o: plain(labels[o]),
        key=STATUS_QUO_KEY,
    )
    settings["status_quo_kind"] = kind
    return kind


def status_quo_choice(framing: Framing, prepared: state.Prepared, settings: dict[str, Any]) -> str | None:
    """The status quo as AnalysisSpec takes it: a column name or a rule."""
    frame, roles = prepared.frame, prepared.roles
    key = STATUS_QUO_KEY
    if framing.family == "quantity":
        kind = _status_quo_kind(roles.one(Role.DECISION), ["last", "moving-average"], settings)
        if kind == "moving-average":
            c1, c2 = st.columns(2)
            window = c1.number_input("Periods averaged", 1, 365, int(settings.get("ma_window", 7)), key=key + ".n")
            buffer = c2.number_input("Buffer (%)", -50.0, 200.0, float(settings.get("ma_buffer", 10.0)), key=key + ".b")
            settings["ma_window"], settings["ma_buffer"] = int(window), float(buffer)
            return f"moving-average:{int(window)}:{float(buffer):+g}%"
        return kind.removeprefix("column:")
    kind = _status_quo_kind(roles.one(Role.DECISION), ["nobody", "everybody", "rule"], settings)
    if kind == "rule":
        numeric = [
            c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and roles.roles[c] == Role.FEATURE
        ]
        if not numeric:
            st.warning("No numeric feature column to build a rule on.")
            return "nobody"
        c1, c2, c3 = st.columns([2, 1, 1])
        column = c1.selectbox("Column", numeric, key=key + ".col")
        op = c2.selectbox("Act when", ["<", "<=", ">", ">="], key=key + ".op")
        default = float(frame[column].median())
        threshold = c3.number_input("Value", value=default, key=key + ".val")
        return f"{column}{op}{threshold:g}"
    return kind.removeprefix("column:")


def backtest_settings(prepared: state.Prepared, settings: dict[str, Any]) -> None:
    date = prepared.roles.one(Role.DATE)
    if date is None:
        st.warning("Mark a date column on the Data page to set up the backtest.")
        return
    frequency = infer_frequency(prepared.frame[date])
    c1, c2, c3, c4, c5 = st.columns(5)
    horizon = c1.number_input(
        f"Horizon ({frequency}s)",
        1,
        1000,
        int(settings.get("horizon") or default_horizon(frequency)),
        key=state.PARAM_PREFIX + "h",
    )
    origins = c2.number_input("Number of tests", 1, 20, int(settings.get("origins", 4)), key=state.PARAM_PREFIX + "k")
    step = c3.number_input(
        f"Step between tests ({frequency}s)",
        int(horizon),
        1000,
        max(int(settings.get("step") or horizon), int(horizon)),
        key=state.PARAM_PREFIX + "s",
    )
    country = c4.selectbox(
        "Holidays of", COUNTRIES, index=COUNTRIES.index(settings.get("country") or "none"), key=state.PARAM_PREFIX + "c"
    )
    detected = {"hour": 24, "day": 7, "week": 52, "month": 12}[frequency]
    season = c5.number_input(
        f"Season ({frequency}s)",
        1,
        1000,
        int(settings.get("season") or detected),
        help=f"Detected: {detected}. Seasonal naive and Holt-Winters repeat this cycle.",
        key=state.PARAM_PREFIX + "season",
    )
    settings.update(
        horizon=int(horizon),
        origins=int(origins),
        step=int(step),
        country=None if country == "none" else country,
        season=None if int(season) == detected else int(season),
    )
    end = prepared.frame[date].max()
    span = {"hour": "h", "day": "D", "week": "W", "month": "MS"}[frequency]
    start = end - pd.tseries.frequencies.to_offset(span) * (int(step) * (int(origins) - 1) + int(horizon) - 1)
    st.caption(
        f"{int(origins)} tests of {int(horizon)} {frequency}s each, covering {start:%d %b %Y} to {end:%d %b %Y}, "
        "each forecast from the history before it."
    )


def model_descriptions(family: str) -> dict[str, str]:
    """One line per model, in the order they are offered."""
    if family == "targeting":
        from payoff.models.classifiers import DESCRIPTIONS

        return dict(DESCRIPTIONS)
    from payoff.models import forecasters, regression

    models = [
        forecasters.Naive(),
        forecasters.SeasonalNaive(),
        forecasters.MovingAverage(),
        forecasters.HoltWinters(),
        regression.LinearRegression(),
        regression.GradientBoosting(),
    ]
    return {m.name: m.description for m in models}


def describe_models(family: str) -> None:
    for name, description in model_descriptions(family).items():
        st.caption(f"**{name}**: {description}")


def model_choice(framing: Framing, settings: dict[str, Any]) -> list[str]:
    options = list(ALL_MODELS) if framing.family == "quantity" else list(TARGETING_MODELS)
    chosen = [m for m in settings.get("models", options) if m in options] or options
    picked = st.multiselect("Models to compare", options, default=chosen, key=state.MODEL_PICK)
    settings["models"] = picked or options
    describe_models(framing.family)
    return settings["models"]


def spec_from_state(prepared: state.Prepared) -> AnalysisSpec:
    """The analysis the user set up on the Problem page, or the defaults if they skipped it."""
    framing = current_framing(prepared)
    settings = state.settings()
    params = {k: v for k, v in state.params().items() if k in framing.defaults()}
    status_quo = settings.get("status_quo")
    if settings.get("framing") != framing.key:
        status_quo = None  # choices made for another framing do not carry over
    return AnalysisSpec.make(
        framing.key,
        params,
        status_quo=status_quo,
        models=tuple(settings["models"]) if settings.get("models") and settings.get("framing") == framing.key else None,
        horizon=settings.get("horizon") if framing.family == "quantity" else None,
        origins=int(settings.get("origins", 4)),
        step=settings.get("step"),
        country=settings.get("country"),
        season=settings.get("season") if framing.family == "quantity" else None,
    )


@st.cache_data(max_entries=4, show_spinner="Checking the features for leakage")
def _leakage_flags(frame: pd.DataFrame, features: tuple[str, ...], target: str, positive: str) -> list[tuple[str, str]]:
    from payoff.evaluate import leakage

    y = (frame[target].astype("str") == positive).to_numpy().astype(int)
    return [(f.column, f.reason) for f in leakage.check(frame, list(features), y)]


def leakage_guard(prepared: state.Prepared) -> None:
    """Features that look too good (or only known after the outcome), each excluded in one click."""
    from dataclasses import replace

    from payoff.targeting_analysis import features_of, outcome

    roles = prepared.roles
    try:
        _, label = outcome(prepared.frame, roles)
    except PayoffError as error:
        show_error(error)
        return
    target = roles.one(Role.TARGET)
    frame = prepared.frame[prepared.frame[target].notna()]
    flags = _leakage_flags(frame, tuple(features_of(frame, roles)), target, str(label))
    if not flags:
        st.success("No feature predicts the outcome suspiciously well on its own.")
        return
    for column, reason in flags:
        left, right = st.columns([4, 1])
        left.warning(
            plain(
                f"Possible leakage: '{column}' {reason}. A model using it would look better than it can be in practice."
            )
        )
        if right.button(f"Exclude {column}", key=f"{state.PARAM_PREFIX}exclude.{column}"):
            state.set_prepared(replace(prepared, roles=roles.with_role(column, Role.IGNORE)))
            st.rerun()
