"""Small Streamlit helpers shared by the pages. Everything user-supplied goes through
:func:`plain` before it reaches markdown, so a column called ``[x](javascript:...)`` or
``<b>`` is shown literally."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from payoff.data.load import LoadedTable, LoadOptions, read_table
from payoff.errors import PayoffError
from payoff.framings.catalogue import FRAMINGS
from payoff.models.catalogue import business_name
from payoff.runtime import budget
from payoff.ui import state

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Escape markdown so user text is displayed as typed, never interpreted."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# The library's messages serve the page and the command line; an aside naming a command-line
# option ("(or give --target)") is for the command line, not for someone clicking.
_COMMAND_LINE_ASIDE = re.compile(r" \(or give --[a-z-]+\)")


def seeded(key: str, value: Any) -> str:
    """`key` for a widget that starts at `value` and then keeps what the user picks, its value set
    through the session's state at every run (the widget is drawn without a default of its own).

    Why: the browser keeps what a widget showed under its key, and tells the server nothing new
    unless the server sets the value in that very run. A new file's widgets reuse the old file's
    keys, so a default passed to the widget reached the server but not the screen: the screen
    kept the last file's table shape, or separator, and sent it back at the next click. And a
    value set in a run cut short by a rerun (a click meanwhile) was never drawn: the next run
    drew the widget at its lowest value (a what-if's price showed 0.00 beside a headline priced
    at 1.00, and the next click priced the 0.00)."""
    st.session_state[key] = st.session_state.get(key, value)
    return key


def error_text(error: PayoffError) -> str:
    """The message for someone clicking: without the command line's asides."""
    return _COMMAND_LINE_ASIDE.sub("", str(error))


def show_error(error: PayoffError) -> None:
    st.error(plain(error_text(error)), icon=":material/error:")


def max_upload_bytes() -> int:
    return int(st.get_option("server.maxUploadSize")) * 1024 * 1024


@dataclass(frozen=True)
class _Read:
    """A table read for this session, and the very bytes object, name and options it came from."""

    content: bytes
    name: str
    options: LoadOptions
    table: LoadedTable


def load_cached(content: bytes, name: str, options: LoadOptions, slot: str = "file") -> LoadedTable:
    """The table of a file, read once and kept in this session: each `slot` ("file": the Data
    page's file; "current": the Decisions page's current entities) holds the last table read, and
    goes with the session. Its key is the identity of the bytes the session holds, so a rerun
    hashes and copies nothing. (A shared st.cache_data kept a pickled copy of each file's table,
    eight files of any size for every session, with no expiry, and unpickled another copy on every
    rerun: 445 MB per 200 MB file, still held after the tab closed.)"""
    tables: dict[str, _Read] = st.session_state.setdefault(state.TABLES, {})
    kept = tables.get(slot)
    if kept is not None and kept.content is content and kept.name == name and kept.options == options:
        return kept.table
    tables.pop(slot, None)  # the old table goes before the new one is read: one at a time
    with st.spinner("Reading your file"):
        table = read_table(content, name, options, max_bytes=max_upload_bytes())
    tables[slot] = _Read(content, name, options, table)
    return table


def current_table() -> LoadedTable | None:
    """The loaded table of the current dataset, or None (with the error shown) if it fails."""
    dataset = state.dataset()
    if dataset is None:
        return None
    try:
        budget.check_file(len(dataset.content), dataset.name)  # outside the cache: the limit may change
        return load_cached(dataset.content, dataset.name, dataset.options)
    except PayoffError as error:
        show_error(error)
        return None


def sidebar_status(holder: Any = None) -> Any:
    """What this session has: dataset, question, models and where the analysis is kept. Drawn in
    `holder` (a sidebar placeholder, made here when None) and returned, so that the status is drawn
    again after the page with what the page chose (a first visit to the Problem page picks the
    question; a run may just have been priced)."""
    holder = holder if holder is not None else st.sidebar.empty()
    with holder.container():
        st.markdown("**Your analysis**")
        dataset = state.dataset()
        prepared = state.prepared()
        analysis = state.analysis()
        if dataset is None and analysis is not None:
            st.caption(f"Dataset: {plain(analysis.problem.source)} (reopened, as saved)")
        elif dataset is None:
            st.caption("Dataset: none yet (Home or Data page)")
        else:
            rows = f" ({len(prepared.frame):,} rows, {prepared.roles.shape})" if prepared else ""
            st.caption(f"Dataset: {plain(dataset.name)}{plain(rows)}")
        # The Problem page's framing widget holds this run's pick before the page itself runs.
        picked = st.session_state.get(state.FRAMING_PICK) if prepared is not None else None
        framing = picked or state.choices().framing or (analysis.problem.framing.key if analysis else None)
        title = FRAMINGS[framing].title if framing in FRAMINGS else None
        st.caption(f"Question: {plain(title) if title else 'not chosen yet (Problem page)'}")
        if analysis is None:
            st.caption("Models compared: none yet (Models page)")
        else:
            now = business_name(analysis.impact.recommended.model)
            st.caption(plain(f"Models compared: {len(analysis.model_names)}; Payoff's choice now: {now}"))
            opened = state.opened()
            if opened is None and state.explanations_due():
                st.caption("Autosaved once its explanations are in, in a moment")
            elif opened is None:
                st.caption("Not saved: a reload loses it")
            elif opened.autosave:
                st.caption(f"Autosaved (analysis {opened.id}): a reload or this page's address reopens it")
            else:
                st.caption(f"Saved as: {plain(opened.name)} (analysis {opened.id})")
    return holder


def next_step(message: str, page: str, label: str) -> None:
    st.info(message)
    st.page_link(page, label=label, icon=":material/arrow_forward:")


def frame_preview(frame: pd.DataFrame, rows: int = 200, max_columns: int = 60) -> None:
    """A read-only preview; st.dataframe shows cell text literally."""
    shown = frame.iloc[:rows, :max_columns]
    if frame.shape[1] > max_columns:
        st.caption(f"Showing the first {max_columns} of {frame.shape[1]:,} columns.")
    st.dataframe(shown, width="stretch", height=300, column_config=dates_as_written(shown))


def dates_as_written(frame: pd.DataFrame) -> dict[str, Any]:
    """Date columns whose every time is midnight are shown as dates: a daily file's '2025-01-06'
    read back as '2025-01-06 00:00:00' is a time the user never wrote."""
    config: dict[str, Any] = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            seen = column.dropna()
            if len(seen) and bool((seen == seen.dt.normalize()).all()):
                config[str(name)] = st.column_config.DatetimeColumn(format="YYYY-MM-DD")
    return config
