"""The Decisions page: what to do next with Payoff's choice. Quantities: each series' next horizon
(refitted on all history). Targeting: a ranked list for an uploaded file of current entities (or,
until one is uploaded, for the history's entities scored out of fold). Both download as CSV and
as an XLSX with the assumptions and the model comparison beside the decisions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from payoff import export, tables
from payoff.analysis import Analysis, next_decisions
from payoff.data.load import LoadOptions
from payoff.errors import PayoffError
from payoff.scoring import needed_columns
from payoff.scoring import score_current as score
from payoff.ui import results_view, state
from payoff.ui.widgets import load_cached, plain, show_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def downloads(analysis: Analysis, decisions: pd.DataFrame, stem: str) -> None:
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", export.to_csv_bytes(decisions), f"{stem}.csv", "text/csv", key="w.decisions.csv")
    c2.download_button(
        "Download Excel (decisions, assumptions, model comparison)",
        export.to_excel_bytes(tables.workbook_sheets(analysis, decisions)),
        f"{stem}.xlsx",
        XLSX,
        key="w.decisions.xlsx",
    )


def next_quantities(analysis: Analysis) -> None:
    try:
        decisions = next_decisions(analysis)
    except PayoffError as error:
        show_error(error)
        return
    st.write(plain(decisions.attrs["caption"]))
    st.caption("The likely range is the forecast's 10% to 90% from the model's own backtest errors.")
    results_view.show_table(decisions)
    downloads(analysis, decisions, "payoff-next-decisions")


def score_current(analysis: Analysis) -> None:
    framing = analysis.problem.framing
    st.write(
        plain(
            f"Upload this period's file of entities (no outcome yet) to rank whom to {framing.act_label}. It needs "
            f"these columns, spelled as in the history: {', '.join(needed_columns(analysis))}."
        )
    )
    upload = st.file_uploader(
        "Current entities",
        type=["csv", "tsv", "txt", "xlsx", "xls", "parquet", "json", "gz", "zip"],
        key=state.CURRENT_UPLOAD,
    )
    if upload is None:
        try:
            decisions = next_decisions(analysis)
        except PayoffError as error:
            show_error(error)
            return
        st.caption(plain(decisions.attrs["caption"] + " Until you upload a file: the history's entities."))
        results_view.show_table(decisions)
        downloads(analysis, decisions, "payoff-decisions-history")
        return
    try:
        current = load_cached(upload.getvalue(), upload.name, LoadOptions(), slot="current")
        scored = score(analysis, current.frame)
    except PayoffError as error:
        show_error(error)
        return
    st.write(plain(scored.caption))
    for issue in current.detection.issues:
        st.info(plain(issue.message))
    if scored.ignored_columns:
        st.info(plain(f"Ignored (not used by the model): {', '.join(scored.ignored_columns)}."))
    for column, values in scored.unseen.items():
        st.info(plain(f"'{column}' has values never seen in history, scored as unknown: {', '.join(values)}."))
    results_view.show_table(scored.table)
    downloads(analysis, scored.table, "payoff-decisions")
