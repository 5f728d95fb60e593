"""Typed access to Streamlit's session state. Every key lives here; pages never index
``st.session_state`` with a string of their own.

Everything chosen for a file (reading options, roles, framing, prices, status quo, models,
what-ifs) is keyed under one prefix, so a new file starts from its own defaults."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import streamlit as st

from payoff.analysis import Analysis
from payoff.data.load import LoadOptions
from payoff.data.roles import RoleMap
from payoff.errors import PayoffError
from payoff.formatting import currency_for_locale
from payoff.framings.base import FromColumn
from payoff.problem import Choices

# Session keys (not widgets)
DATASET = "payoff.dataset"
PREPARED = "payoff.prepared"
CHOICES = "payoff.choices"
ANALYSIS = "payoff.analysis"
UPLOAD_ID = "payoff.upload_id"
OPENED = "payoff.opened"  # the saved row the current analysis lives in (an autosave or a named one)
URL_READ = "payoff.url_read"
QUERY_ANALYSIS = "analysis"  # ?analysis=TOKEN: the page's URL names the analysis, so a reload reopens it
TABLES = "payoff.tables"  # the tables read for this session (widgets.load_cached), dropped with it
WHATIF = "payoff.whatif"  # what-if values laid over the analysis's own: param -> number (a column's: its scale)
WHATIF_FROM_PROBLEM = "payoff.whatif_problem"  # the Problem page's values last laid over the analysis
QUERY_WHATIF = "whatif"  # ?whatif={...}: a reload or a copied link shows the numbers that were on screen
WHATIF_REFUSED = "payoff.whatif_refused"  # why this run's what-if could not be priced (shown by the headline)
CURRENCY_SUGGESTED = "payoff.currency_suggested"  # the file's own currency was offered (once per file)

# Widget keys. Those of one file's analysis share FILE, and are all dropped with the file.
FILE = "w.file."
UPLOAD = "w.upload"
SAMPLE_PICK = "w.sample_pick"
SAMPLE_LOAD = "w.sample_load"
RUN_MODELS = "w.run_models"
CANCEL_RUN = "w.cancel_run"
JOB = "payoff.job"  # the fit running in its own process for this session, if any
WORKERS = "w.workers"  # not a file's choice: kept when another file is loaded
ROLE_EDITOR = FILE + "roles"
SHAPE_PICK = FILE + "shape"
POSITIVE_PICK = FILE + "positive."  # the event value of a two-valued outcome, per outcome column
OPT_PREFIX = FILE + "opt."
AGG_PREFIX = FILE + "agg."
FRAMING_PICK = FILE + "framing"
PARAM_PREFIX = FILE + "param."
STATUS_QUO_PREFIX = FILE + "status_quo."
BACKTEST_PREFIX = FILE + "backtest."
MODEL_PICK = FILE + "models"
WHATIF_PREFIX = FILE + "whatif."
SAVE_NAME = FILE + "save_name"
CURRENT_UPLOAD = FILE + "current_entities"
SAVED_PICK = "w.saved.pick"
SAVED_RENAME = "w.saved.rename"
SAVED_COMPARE = "w.saved.compare"
SAVED_SHARE = "w.saved.share"


@dataclass(frozen=True)
class DatasetState:
    """The file the user gave us and how to read it; the table itself is recomputed (cached)."""

    name: str
    content: bytes
    options: LoadOptions = field(default_factory=LoadOptions)
    sample: str | None = None


@dataclass(frozen=True)
class Opened:
    """Where the current analysis is saved: its id and name (`autosave` when the user has not
    named it), and the token its link carries (payoff.carry.store: unguessable, and never another
    analysis's after the saved-analyses file is replaced)."""

    id: int
    name: str
    autosave: bool
    token: str = ""


@dataclass(frozen=True)
class Prepared:
    """The table after reshaping, with the user's roles: what the analysis runs on."""

    frame: pd.DataFrame
    roles: RoleMap
    source_key: tuple[Any, ...]
    note: str = ""


def dataset() -> DatasetState | None:
    return st.session_state.get(DATASET)


def _forget_file_choices() -> None:
    job = st.session_state.pop(JOB, None)
    if job is not None:  # a fit of the old file answers nothing about the new one: it stops
        job.cancel()
    for key in (PREPARED, ANALYSIS, CHOICES, OPENED, CURRENCY_SUGGESTED):
        st.session_state.pop(key, None)
    sync_url()
    for state_key in list(st.session_state.keys()):
        if str(state_key).startswith(FILE):
            del st.session_state[state_key]


def set_dataset(value: DatasetState, choices: Choices | None = None) -> None:
    """A new file: everything chosen for the old one is dropped; `choices` preselects some (a
    sample's framing and documented values). The currency starts from the browser's region."""
    st.session_state[DATASET] = value
    _forget_file_choices()
    start = choices or Choices()
    if not start.currency:
        start = replace(start, currency=currency_for_locale(st.context.locale))
    st.session_state[CHOICES] = start


def suggest_currency(sign: str) -> None:
    """The currency the file's own amounts carry (a euro sign, EUR in a column's name) over the
    browser region's guess: a French export read from a US browser showed its euros as dollars.
    Once per file, when it is first read: a reading option changed later re-reads it, and must not
    undo a currency the user picked meanwhile."""
    if st.session_state.get(CURRENCY_SUGGESTED):
        return
    st.session_state[CURRENCY_SUGGESTED] = True
    current = choices()
    if sign and current.currency in ("", currency_for_locale(st.context.locale)):
        st.session_state[CHOICES] = replace(current, currency=sign)


def set_options(options: LoadOptions) -> None:
    current = dataset()
    if current is not None and current.options != options:
        st.session_state[DATASET] = replace(current, options=options)
        st.session_state.pop(PREPARED, None)
        forget_analysis()


def prepared() -> Prepared | None:
    return st.session_state.get(PREPARED)


def set_prepared(value: Prepared) -> None:
    old = prepared()
    st.session_state[PREPARED] = value
    if old is None or old.frame is not value.frame:  # a new table: the role widgets start afresh
        st.session_state.pop(ROLE_EDITOR, None)
        st.session_state.pop(SHAPE_PICK, None)
    if old is None or old.roles != value.roles or old.frame is not value.frame:
        forget_analysis()


def choices() -> Choices:
    return st.session_state.get(CHOICES) or Choices()


def set_choices(value: Choices) -> None:
    if value != choices():
        st.session_state[CHOICES] = value


def analysis() -> Analysis | None:
    return st.session_state.get(ANALYSIS)


def explanations_due() -> bool:
    """This session's run has shown its priced money and its explanations are still to be taken
    (payoff.ui.results_view.finish_explaining)."""
    return getattr(st.session_state.get(JOB), "priced", None) is not None


def set_analysis(value: Analysis, opened: Opened | None = None, whatif_values: dict[str, Any] | None = None) -> None:
    """The analysis the pages show, where it is saved (None: not saved, a reload loses it), and
    the what-if values laid over it (none for a fresh run)."""
    st.session_state[ANALYSIS] = value
    st.session_state[OPENED] = opened
    st.session_state[WHATIF] = dict(whatif_values or {})
    st.session_state.pop(WHATIF_FROM_PROBLEM, None)
    sync_url()


def forget_analysis() -> None:
    st.session_state.pop(ANALYSIS, None)
    st.session_state.pop(OPENED, None)
    st.session_state.pop(WHATIF, None)
    sync_url()


def whatif() -> dict[str, Any]:
    """What-if values over the current analysis: a constant's number, or a column's multiplier."""
    return dict(st.session_state.get(WHATIF) or {})


def refuse_whatif(why: str | None) -> None:
    """Why the what-if on screen could not be priced (None: it was): said beside the headline too,
    so a closed popover never leaves a refused value looking accepted."""
    st.session_state[WHATIF_REFUSED] = why


def whatif_refused() -> str | None:
    why: str | None = st.session_state.get(WHATIF_REFUSED)
    return why if whatif() else None


def effective_values(analysis: Analysis) -> dict[str, Any]:
    """The analysis's own parameters with the session's what-if values laid over them."""
    values: dict[str, Any] = dict(analysis.values)
    for key, value in whatif().items():
        own = values.get(key)
        if isinstance(own, FromColumn):
            values[key] = FromColumn(own.column, own.fill, float(value))
        elif key in values:
            values[key] = value
    return values


def follow_problem_page(analysis: Analysis, values: dict[str, Any]) -> None:
    """Prices changed on the Problem page after a run (same design) re-price it at once, as
    what-ifs: laid over the run only when the Problem page's values change, so the Impact page's
    own what-ifs are not undone by a visit to another page."""
    marker = tuple(sorted((k, repr(v)) for k, v in values.items()))
    if st.session_state.get(WHATIF_FROM_PROBLEM) == marker:
        return
    st.session_state[WHATIF_FROM_PROBLEM] = marker
    own = analysis.values
    diff = {}
    for key, value in values.items():
        mine = own.get(key)
        shown = value.scale if isinstance(value, FromColumn) else value
        if isinstance(mine, FromColumn) != isinstance(value, FromColumn):
            continue  # priced from another source: a new design, not a what-if
        if shown != (mine.scale if isinstance(mine, FromColumn) else mine):
            diff[key] = shown
    set_whatif(diff)


def set_whatif(values: dict[str, Any]) -> None:
    """New what-if values (the Impact page's controls, or prices changed on the Problem page after
    a run); the page's address carries them until they are saved."""
    if values != whatif():
        st.session_state[WHATIF] = dict(values)
        sync_url()


def opened() -> Opened | None:
    return st.session_state.get(OPENED)


def sync_url() -> None:
    """The URL names the saved analysis the session shows (and the what-if values on screen), or
    nothing: a reload, a bookmark or a copied link then reopens exactly those numbers."""
    current = opened()
    if current is None:
        for key in (QUERY_ANALYSIS, QUERY_WHATIF):
            if key in st.query_params:
                del st.query_params[key]
        return
    if st.query_params.get(QUERY_ANALYSIS) != current.token:
        st.query_params[QUERY_ANALYSIS] = current.token
    values = whatif()
    text = json.dumps(values, sort_keys=True, separators=(",", ":")) if values else None
    if text is None and QUERY_WHATIF in st.query_params:
        del st.query_params[QUERY_WHATIF]
    elif text is not None and st.query_params.get(QUERY_WHATIF) != text:
        st.query_params[QUERY_WHATIF] = text


def query() -> dict[str, str]:
    """The page's address parameters that name what is on screen (for links between pages)."""
    return {k: st.query_params[k] for k in (QUERY_ANALYSIS, QUERY_WHATIF) if k in st.query_params}


def whatif_from_url(analysis: Analysis) -> dict[str, Any]:
    """The what-if values a link carries, kept only where they name a parameter of the analysis
    with a value of its kind (a link is typed by anyone: it is checked like any input)."""
    raw = st.query_params.get(QUERY_WHATIF)
    if not raw or len(raw) > 4000:
        return {}
    try:
        values = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(values, dict):
        return {}
    kept: dict[str, Any] = {}
    framing = analysis.problem.framing
    for key, value in values.items():
        try:
            param = framing.param(str(key))
        except PayoffError:
            continue
        if value is None or isinstance(value, bool | int | float):
            try:
                kept[param.key] = value if hasattr(analysis.values[param.key], "column") else param.coerce(value)
            except PayoffError:
                continue
    return kept


def first_run_of_session() -> bool:
    """True once per browser session: the time to read the URL a reload or a link brought."""
    if st.session_state.get(URL_READ):
        return False
    st.session_state[URL_READ] = True
    return True
