"""Typed access to Streamlit's session state. Every key lives here; pages never index
``st.session_state`` with a string of their own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import streamlit as st

from payoff.data.load import LoadOptions
from payoff.data.roles import RoleMap

# Session keys (not widgets)
DATASET = "payoff.dataset"
PREPARED = "payoff.prepared"
FRAMING = "payoff.framing"
PARAMS = "payoff.params"
ANALYSIS = "payoff.analysis"
SETTINGS = "payoff.settings"

# Widget keys
UPLOAD = "w.upload"
SAMPLE_PICK = "w.sample_pick"
SAMPLE_LOAD = "w.sample_load"
ROLE_EDITOR = "w.role_editor"
SHAPE_PICK = "w.shape_pick"
OPT_PREFIX = "w.opt."
AGG_PREFIX = "w.agg."
FRAMING_PICK = "w.framing_pick"
PARAM_PREFIX = "w.param."
RUN_MODELS = "w.run_models"
MODEL_PICK = "w.model_pick"
WHATIF_PREFIX = "w.whatif."


@dataclass(frozen=True)
class DatasetState:
    """The file the user gave us and how to read it; the table itself is recomputed (cached)."""

    name: str
    content: bytes
    options: LoadOptions = field(default_factory=LoadOptions)
    sample: str | None = None


@dataclass(frozen=True)
class Prepared:
    """The table after reshaping, with the user's roles: what the analysis runs on."""

    frame: pd.DataFrame
    roles: RoleMap
    source_key: tuple[Any, ...]
    note: str = ""


def dataset() -> DatasetState | None:
    return st.session_state.get(DATASET)


def set_dataset(value: DatasetState) -> None:
    """A new file: everything derived from the old one is dropped."""
    st.session_state[DATASET] = value
    for key in (PREPARED, ANALYSIS):
        st.session_state.pop(key, None)
    for key in list(st.session_state.keys()):
        if str(key).startswith((OPT_PREFIX, AGG_PREFIX, PARAM_PREFIX, WHATIF_PREFIX)) or key == ROLE_EDITOR:
            del st.session_state[key]


def set_options(options: LoadOptions) -> None:
    current = dataset()
    if current is not None and current.options != options:
        st.session_state[DATASET] = replace(current, options=options)
        st.session_state.pop(PREPARED, None)
        st.session_state.pop(ANALYSIS, None)


def prepared() -> Prepared | None:
    return st.session_state.get(PREPARED)


def set_prepared(value: Prepared) -> None:
    old = prepared()
    st.session_state[PREPARED] = value
    if old is None or old.frame is not value.frame:  # a new table: the role widgets start afresh
        st.session_state.pop(ROLE_EDITOR, None)
        st.session_state.pop(SHAPE_PICK, None)
    if old is None or old.roles != value.roles or old.frame is not value.frame:
        st.session_state.pop(ANALYSIS, None)


def framing() -> str | None:
    return st.session_state.get(FRAMING)


def set_framing(key: str | None) -> None:
    if framing() != key:
        st.session_state[FRAMING] = key
        st.session_state.pop(PARAMS, None)
        st.session_state.pop(ANALYSIS, None)


def params() -> dict[str, Any]:
    return dict(st.session_state.get(PARAMS, {}))


def set_params(values: dict[str, Any]) -> None:
    st.session_state[PARAMS] = dict(values)


def settings() -> dict[str, Any]:
    return dict(st.session_state.get(SETTINGS, {}))


def set_settings(values: dict[str, Any]) -> None:
    if settings() != values:
        st.session_state[SETTINGS] = dict(values)


def analysis() -> Any | None:
    return st.session_state.get(ANALYSIS)


def set_analysis(value: Any) -> None:
    st.session_state[ANALYSIS] = value


def clear_analysis() -> None:
    st.session_state.pop(ANALYSIS, None)
