"""The Problem page's pieces: framing cards, prices (a constant or a column), the status quo, the
backtest and the models. Each records only what the user set in `problem.Choices`; everything else
is left to make_problem to detect, exactly as `payoff analyze` does without options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from payoff.data.roles import Role
from payoff.decision_kinds import DecisionKind
from payoff.designs import Backtest
from payoff.errors import MISSING, PARAMS, PayoffError, ProblemErrors, ProblemItem
from payoff.evaluate.targeting_views import typical_outcomes
from payoff.framings import catalogue
from payoff.framings.base import Framing, FromColumn, QuantityFraming, TargetingFraming, param_arrays
from payoff.framings.policy import Arrays
from payoff.framings.suggest import suggested_framing
from payoff.models.catalogue import BY_FAMILY, ENTRIES_OF, business_name, models_for
from payoff.problem import Problem, mostly_zeros
from payoff.timegrid import count_periods, infer_frequency
from payoff.ui import money_view, navigation, state
from payoff.ui.widgets import plain, show_error

COUNTRIES = ["none", "US", "GB", "DE", "FR", "ES", "IT", "NL", "IL", "CA", "AU", "IN", "BR", "JP"]


def current_framing(prepared: state.Prepared) -> Framing:
    """The chosen framing when it fits the data's shape, else the one the file's column names
    suggest (a fraud flag: which transactions to review), else the first that fits."""
    fitting = catalogue.for_shape(prepared.roles.shape)
    key = state.choices().framing
    if key in catalogue.FRAMINGS and catalogue.FRAMINGS[key] in fitting:
        return catalogue.FRAMINGS[key]
    roles = prepared.roles
    return suggested_framing(roles.shape, [roles.one(Role.TARGET), *roles.columns(Role.DECISION)])


def framing_cards(prepared: state.Prepared) -> Framing:
    options = catalogue.for_shape(prepared.roles.shape)
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
    choices = state.choices()
    if picked != choices.framing:  # prices, status quo and models of another framing do not carry over
        state.set_choices(replace(choices, framing=picked, params=(), columns=(), status_quo=None, models=()))
    return catalogue.FRAMINGS[picked]


def _arrays(problem: Problem) -> tuple[Arrays, bool]:
    """The problem's parameters as numbers or per-row arrays, and whether any varies by row."""
    priced = {
        key: problem.table[value.column].to_numpy(dtype="float64", na_value=np.nan)
        for key, value in problem.params
        if isinstance(value, FromColumn)
    }
    return param_arrays(problem.values, priced), bool(priced)


def quantity_consequence(problem: Problem) -> None:
    """What the costs mean before anything is fitted: the rule's sentence (a typical row when
    they vary by row)."""
    framing = problem.framing
    assert isinstance(framing, QuantityFraming)  # its kind's section
    try:
        arrays, per_row = _arrays(problem)
        st.info(plain(framing.policy.describe(framing.unit_costs(arrays), per_row, problem.currency)))
    except PayoffError as error:
        show_error(error)


def targeting_consequence(problem: Problem) -> None:
    """What the costs mean before anything is fitted: the four outcomes of a typical entity and
    where acting starts to pay."""
    framing = problem.framing
    assert isinstance(framing, TargetingFraming)  # its kind's section
    try:
        arrays, per_row = _arrays(problem)
        act, event, _ = framing.words
        table = typical_outcomes(framing, arrays)
        st.markdown("**The four outcomes, for a typical entity**" + (" (values vary by row)" if per_row else ""))
        st.dataframe(table, hide_index=True, width="content")
        st.caption(plain(framing.typical_break_even(arrays).sentence(act, event)))
        warning = framing.break_even_warning(problem.values, arrays)
        if warning:
            st.warning(plain(warning))
    except PayoffError as error:
        show_error(error)


def provenance(problem: Problem) -> None:
    """Where each money number comes from, and what is taken as today's practice."""
    money_view.provenance(problem)
    st.caption(plain(f"Status quo: {problem.status_quo.label} ({_SOURCES[problem.status_quo_source]})."))


def columns_used(problem: Problem) -> None:
    """What the models learn from and every column they do not, each with its reason."""
    used = ", ".join(problem.features) or "none"
    st.caption(plain(f"The models learn from {len(problem.features)} column(s): {used}."))
    if problem.left_out:
        with st.expander(f"{len(problem.left_out)} column(s) not used, and why"):
            # a list, not a table: the reasons are sentences, and a table's cell cuts them at 1280 pixels
            st.markdown("\n".join(f"- **{plain(column)}**: {plain(why)}" for column, why in problem.left_out))
            st.caption("Change a column's role on the Data page to use it.")


_SOURCES = {
    "given": "your choice",
    "decision column": "the decision column of your file",
    "framing default": "the framing's default",
}


def backtest_settings(prepared: state.Prepared) -> None:
    """Horizon, tests, step, holidays and season; the horizon offered is the one a run would pick
    for this history, not a fixed default, so opening this page never breaks a runnable file."""
    date = prepared.roles.one(Role.DATE)
    if date is None or not pd.api.types.is_datetime64_any_dtype(prepared.frame[date]):
        st.warning("Mark a date column on the Data page to set up the backtest.")
        return
    choices = state.choices()
    frequency = infer_frequency(prepared.frame[date])
    n_periods = count_periods(prepared.frame[date], frequency)
    key = state.BACKTEST_PREFIX
    c1, c2, c3, c4, c5 = st.columns(5)
    origins = int(c2.number_input("Number of tests", 1, 20, choices.origins, key=key + "k"))
    season = int(
        c5.number_input(
            f"Season ({frequency.plural})",
            1,
            1000,
            choices.season or frequency.season,
            help=f"Detected: {frequency.season}. Seasonal naive and Holt-Winters repeat this cycle.",
            key=key + "season",
        )
    )
    auto = frequency.default_horizon(n_periods, origins, season)
    horizon = int(c1.number_input(f"Horizon ({frequency.plural})", 1, 1000, choices.horizon or auto, key=key + "h"))
    step = int(
        c3.number_input(f"Step between tests ({frequency.plural})", 1, 1000, choices.step or horizon, key=key + "s")
    )
    country = c4.selectbox(
        "Holidays of", COUNTRIES, index=COUNTRIES.index(choices.country or "none"), key=key + "country"
    )
    state.set_choices(
        replace(
            state.choices(),
            horizon=None if horizon == auto else horizon,
            origins=origins,
            step=None if step == horizon else step,
            season=None if season == frequency.season else season,
            country=None if country == "none" else country,
        )
    )


def describe_backtest(problem: Problem) -> None:
    design = problem.evaluation
    if not isinstance(design, Backtest):
        return
    frequency = design.frequency
    labels = frequency.period_of(problem.table[str(problem.date)].dropna())
    end = labels.max()
    grid = frequency.grid(labels.min(), end)
    start = grid[max(0, len(grid) - design.horizon - design.step * (design.origins - 1))]
    st.caption(
        f"{design.origins} tests of {design.horizon} {frequency.plural} each, covering {frequency.span(start, end)}, "
        f"each forecast from the history before it; the {design.horizon} {frequency.plural} before them only "
        "choose among the models and are never scored."
    )
    if problem.rows_combined:
        st.caption(plain(problem.rows_combined))


def model_choice(framing: Framing) -> None:
    offered = list(BY_FAMILY[framing.kind])
    default = list(models_for(framing.kind, None, intermittent=_mostly_zeros_now()))
    chosen = [m for m in state.choices().models if m in offered] or default
    picked = st.multiselect(
        "Models to compare", offered, default=chosen, format_func=business_name, key=state.MODEL_PICK
    )
    models = tuple(picked) if picked and picked != default else ()
    state.set_choices(replace(state.choices(), models=models))
    describe_models(framing.kind)


def _mostly_zeros_now() -> bool:
    prepared = state.prepared()
    target = prepared.roles.one(Role.TARGET) if prepared else None
    return prepared is not None and mostly_zeros(prepared.frame, target)


def describe_models(family: DecisionKind) -> None:
    """The models a user picks, then the entries every result has besides them."""
    for name, description in {**BY_FAMILY[family], **ENTRIES_OF[family]}.items():
        st.caption(f"**{plain(business_name(name))}** ({plain(name)}): {plain(description)}")


@st.cache_data(max_entries=4, show_spinner="Checking the features for leakage")
def _leakage_flags(frame: pd.DataFrame, features: tuple[str, ...], target: str, positive: str) -> list[tuple[str, str]]:
    from payoff.evaluate import leakage

    y = (frame[target].astype("str") == positive).to_numpy().astype(int)
    return [(f.column, f.reason) for f in leakage.check(frame, list(features), y)]


def leakage_guard(prepared: state.Prepared, problem: Problem) -> None:
    """Features that look too good (or only known after the outcome), each excluded in one click."""
    roles = prepared.roles
    frame = prepared.frame[prepared.frame[problem.target].notna()]
    positive = getattr(problem.evaluation, "positive_class", "")
    # the file's own columns, each excluded in one click; those worked out from a time stamp (an
    # appointment's hour) are not in the file, and once failed this page with a KeyError
    own = tuple(column for column in problem.features if column in frame.columns)
    flags = _leakage_flags(frame, own, problem.target, str(positive))
    if not flags:
        st.success("No feature predicts the outcome suspiciously well on its own.")
        return
    for column, reason in flags:
        left, right = st.columns([3, 1])  # the button's words whole at 1280 pixels
        left.warning(
            plain(
                f"Possible leakage: '{column}' {reason}. A model using it would look better than it can be in practice."
            )
        )
        if right.button(f"Exclude {column}", key=f"{state.PARAM_PREFIX}exclude.{column}"):
            state.set_prepared(replace(prepared, roles=roles.with_role(column, Role.IGNORE)))
            st.rerun()


def current_problem(
    prepared: state.Prepared, framing: Framing, places: Mapping[str, Any] | None = None
) -> Problem | None:
    """make_problem on the current choices; every problem it finds is shown at once. `places`
    (the Problem page's containers, by `errors.ProblemItem.field`) puts each problem beside the
    choice that fixes it, the numbers only the user knows beside their inputs; without a place,
    a problem shows here, and missing numbers with a link to the Problem page."""
    dataset = state.dataset()
    places = places or {}
    try:
        return state.choices().problem(prepared.frame, prepared.roles, framing.key, dataset.name if dataset else "")
    except ProblemErrors as error:
        if error.missing:
            labels = [p.label.lower() for p in error.missing]
            names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
            if PARAMS in places:
                places[PARAMS].warning(plain(f"Needed before the first run: {names}. Only you know these numbers."))
            else:
                st.warning(plain(f"Before the first run, type on the Problem page: {names}."))
                st.page_link(navigation.PROBLEM, label="Go to the Problem page", icon=":material/arrow_forward:")
        by_place: dict[str, list[ProblemItem]] = {}
        for item in error.items:
            if item.code != MISSING:
                field = item.field.split(".")[0]
                by_place.setdefault(field if field in places else "", []).append(item)
        for field, items in by_place.items():
            with places.get(field) or st.container():
                show_error(ProblemErrors(items))
        return None
    except PayoffError as error:
        show_error(error)
        return None


def backtest_section(prepared: state.Prepared) -> None:
    """A quantity's evaluation settings (targeting folds need none)."""
    st.subheader("Backtest")
    backtest_settings(prepared)


def leakage_section(problem: Problem, prepared: state.Prepared) -> None:
    if not problem.framing.over_time:  # entities: a column may be known only after the outcome
        st.subheader("Before fitting: leakage check")
        leakage_guard(prepared, problem)
    elif problem.realised:
        st.subheader("Before fitting: what is known in advance")
        realised_guard(problem)


def realised_guard(problem: Problem) -> None:
    """Quantity regressors that look measured with the sales (known only after the period) are left
    out; each can be put back in one click when the business does know it in advance."""
    known = set(state.choices().known_in_advance)
    for column, reason in problem.realised:
        left, right = st.columns([4, 1])
        if column in known:
            left.info(plain(f"'{column}' is used: you said it is known in advance (it looked realised: {reason})."))
            if right.button(f"Leave {column} out", key=f"{state.PARAM_PREFIX}realised.{column}"):
                _set_known(known - {column})
        else:
            left.warning(plain(f"'{column}' is left out: it looks realised with demand, because {reason}."))
            if right.button("We know this in advance", key=f"{state.PARAM_PREFIX}realised.{column}"):
                _set_known(known | {column})


def _set_known(columns: set[str]) -> None:
    state.set_choices(replace(state.choices(), known_in_advance=tuple(sorted(columns))))
    st.rerun()
