"""The Decisions page: what to do next with Payoff's choice. Quantities: each series' next horizon
(refitted on all history). Targeting: a ranked list for an uploaded file of current entities (or,
until one is uploaded, for the history's entities scored out of fold). Both download as CSV and
as an XLSX with the assumptions and the model comparison beside the decisions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from payoff import formatting
from payoff.analysis import Analysis, next_decisions, rebased
from payoff.carry import charts, export, tables
from payoff.carry.scoring import needed_columns
from payoff.carry.scoring import score_current as score
from payoff.data.load import LoadOptions
from payoff.errors import PayoffError
from payoff.evaluate.predictions import QuantityPredictions
from payoff.framings.base import QuantityFraming, TargetingFraming
from payoff.framings.rules import EXPECTED_ORDER, summed_and_averaged
from payoff.ui import results_view, state
from payoff.ui.data_view import UPLOAD_TYPES
from payoff.ui.widgets import load_cached, plain, show_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def downloads(analysis: Analysis, decisions: pd.DataFrame, stem: str) -> None:
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download CSV",
        export.to_csv_bytes(decisions),
        f"{stem}.csv",
        "text/csv",
        key="w.decisions.csv",
        icon=":material/download:",
        width="stretch",
    )
    c2.download_button(
        "Download Excel (with the assumptions and the comparison)",
        export.to_excel_bytes(tables.workbook_sheets(analysis, decisions), analysis.impact.currency),
        f"{stem}.xlsx",
        XLSX,
        key="w.decisions.xlsx",
        icon=":material/table_view:",
        width="stretch",
    )


def summary(analysis: Analysis, decisions: pd.DataFrame) -> None:
    """The next decisions in totals, above the list: overall and per series, with a chart."""
    found = tables.next_summary(decisions)
    if found is None:
        return
    totals, per_series = found
    currency = analysis.impact.currency
    kinds = formatting.kinds_of(decisions)
    cells = st.columns(len(totals))
    _, averaged = summed_and_averaged(list(totals))
    framing, predictions = analysis.problem.framing, analysis.predictions
    assert isinstance(framing, QuantityFraming) and isinstance(predictions, QuantityPredictions)  # its kind's
    # people on shift added over the periods are person-periods: said, or 334 reads as a headcount
    level, unit = framing.policy.decision_is_level, predictions.panel.frequency.unit
    for index, (cell, (what, total)) in enumerate(zip(cells, totals.items(), strict=True)):
        shown = formatting.cell(total, kinds.get(what, formatting.NUMBER), currency)
        people = f" (person-{unit}s)" if level and index == 0 else ""
        cell.metric(f"{what}{' (average)' if what in averaged else ', all series'}{people}", shown)
    if len(per_series) > 1:
        label = [c for c in per_series.columns if c not in totals]
        frame = pd.DataFrame(
            {
                "segment": per_series[label].astype("str").agg(" / ".join, axis=1),
                "gain": per_series[next(iter(totals))],
            }
        )
        with st.expander(f"{next(iter(totals))} per series"):
            figure = charts.gain_by_segment(frame, "")
            figure.update_layout(xaxis_title=next(iter(totals)), xaxis_tickprefix="")
            st.plotly_chart(figure, key="decisions.summary")
            results_view.show_table(per_series, currency)


def next_order(analysis: Analysis, decisions: pd.DataFrame) -> None:
    """The next order day on its own: per supplier where the analysis breaks the gain down by one."""
    segment = analysis.problem.segment
    found = tables.next_order(decisions, segment)
    if found is None:
        return
    when, rows = found
    with st.expander(f"The next order, {when}" + (f": totals per {segment}" if segment else ""), expanded=True):
        results_view.show_table(rows, analysis.impact.currency)


def next_quantities(analysis: Analysis) -> None:
    whatif = state.whatif()
    try:
        if whatif:  # the settings on screen on the Impact page, not the run's: the list follows them
            analysis = rebased(analysis, state.effective_values(analysis))
        decisions = next_decisions(analysis)
    except PayoffError as error:
        show_error(error)
        return
    if whatif:
        changed = ", ".join(analysis.problem.framing.param(key).label.lower() for key in whatif)
        st.info(plain(f"At the what-if settings of the Impact page ({changed}); save them to keep them."))
    st.write(plain(decisions.attrs["caption"]))
    summary(analysis, decisions)
    next_order(analysis, decisions)
    st.caption("The likely range is the forecast's 10% to 90% from the model's own backtest errors.")
    if EXPECTED_ORDER in decisions:
        st.caption(
            "Quantity to stock is what the shelf should hold once the delivery is in: order it less what you "
            "still have that will sell before it expires. The expected order (and its cases) is that, with the "
            "shelf as the forecasts leave it: a plan for the supplier, not a count of your shelf."
        )
    results_view.show_table(decisions, analysis.impact.currency)
    downloads(analysis, decisions, "payoff-next-decisions")


def score_current(analysis: Analysis) -> None:
    framing = analysis.problem.framing
    assert isinstance(framing, TargetingFraming)  # scoring a current file is a targeting decision's
    st.write(
        plain(
            f"Upload this period's file of {framing.entities} (no outcome yet) to rank which to {framing.act_label}. It needs "
            f"these columns, spelled as in the history: {', '.join(needed_columns(analysis))}."
        )
    )
    upload = st.file_uploader(
        f"This period's {framing.entities}",
        type=UPLOAD_TYPES,  # what the Data page takes: what read_table reads (no .json)
        key=state.CURRENT_UPLOAD,
    )
    if upload is None:
        try:
            decisions = next_decisions(analysis)
        except PayoffError as error:
            show_error(error)
            return
        st.info(plain(decisions.attrs["caption"]))
        results_view.show_table(decisions, analysis.impact.currency)
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
    results_view.show_table(scored.table, analysis.impact.currency)
    downloads(analysis, scored.table, "payoff-decisions")
