"""Typed access to Streamlit's session state. Every key lives here; pages never index
``st.session_state`` with a string of their own.

Everything chosen for a file (reading options, roles, framing, prices, status quo, models,
what-ifs) is keyed under one prefix, so a new file starts from its own defaults."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import streamlit as st

from payoff.analysis import Analysis
from payoff.data.load import LoadOptions
from payoff.data.roles import RoleMap
from payoff.problem import Choices

# Session keys (not widgets)
DATASET = "payoff.dataset"
PREPARED = "payoff.prepared"
CHOICES = "payoff.choices"
ANALYSIS = "payoff.analysis"
UPLOAD_ID = "payoff.upload_id"
OPENED = "payoff.opened"  # the saved row the current analysis lives in (an autosave or a named one)
URL_READ = "payoff.url_read"
QUERY_ANALYSIS = "analysis"  # ?analysis=ID: the page's URL names the analysis, so a reload reopens it

# Widget keys. Those of one file's analysis share FILE, and are all dropped with the file.
FILE = "w.file."
UPLOAD = "w.upload"
SAMPLE_PICK = "w.sample_pick"
SAMPLE_LOAD = "w.sample_load"
RUN_MODELS = "w.run_models"
JOB = "payoff.job"  # the fit running in its own process for this session, if any
WORKERS = "w.workers"  # not a file's choice: kept when another file is loaded
ROLE_EDITOR = FILE + "roles"
SHAPE_PICK = FILE + "shape"
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
    named it)."""

    id: int
    name: str
    autosave: bool


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
    for key in (PREPARED, ANALYSIS, CHOICES, OPENED):
        st.session_state.pop(key, None)
    sync_url()
    for key in list(st.session_state.keys()):
        if str(key).startswith(FILE):
            del st.session_state[key]


def set_dataset(value: DatasetState, framing: str | None = None) -> None:
    """A new file: everything chosen for the old one is dropped; `framing` preselects one."""
    st.session_state[DATASET] = value
    _forget_file_choices()
    if framing:
        st.session_state[CHOICES] = Choices(framing=framing)


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


def set_analysis(value: Analysis, opened: Opened | None = None) -> None:
    """The analysis the pages show, and where it is saved (None: not saved, a reload loses it)."""
    st.session_state[ANALYSIS] = value
    st.session_state[OPENED] = opened
    sync_url()


def forget_analysis() -> None:
    st.session_state.pop(ANALYSIS, None)
    st.session_state.pop(OPENED, None)
    sync_url()


def opened() -> Opened | None:
    return st.session_state.get(OPENED)


def sync_url() -> None:
    """The URL names the saved analysis the session shows, or nothing: a reload, a bookmark or a
    copied link then reopens exactly that analysis."""
    current = opened()
    if current is None:
        if QUERY_ANALYSIS in st.query_params:
            del st.query_params[QUERY_ANALYSIS]
    elif st.query_params.get(QUERY_ANALYSIS) != str(current.id):
        st.query_params[QUERY_ANALYSIS] = str(current.id)


def first_run_of_session() -> bool:
    """True once per browser session: the time to read the URL a reload or a link brought."""
    if st.session_state.get(URL_READ):
        return False
    st.session_state[URL_READ] = True
    return True
