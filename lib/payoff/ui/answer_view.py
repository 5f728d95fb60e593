"""The answer on one screen: the headline with its currency and interval, the one sentence, one
chart (today's money against Payoff's choice, component by component) and the next step; the
what-if costs, saving, the report and the link sit beside the headline in compact popovers, so
nothing pushes the answer below the fold of a laptop screen."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from payoff import formatting
from payoff.analysis import Analysis, rebased
from payoff.carry import charts
from payoff.carry.report import build_report
from payoff.evaluate.impact import Impact
from payoff.evaluate.summary import interval_note
from payoff.framings.base import Direction
from payoff.models.catalogue import STATUS_QUO, business_name
from payoff.ui import navigation, results_view, saved_view, state
from payoff.ui.widgets import plain


def headline(impact: Impact) -> None:
    """Payoff's own choice, evaluated out of sample, against the status quo: one number with its
    currency and 90% interval, and the sentence a manager can repeat."""
    recommended = impact.recommended
    what = "saved" if impact.direction is Direction.COST else "gained"
    picks = "keep what you do" if recommended.model == STATUS_QUO else f"now: {business_name(recommended.model)}"
    label = f"Payoff's choice ({picks}): money {what} vs {impact.status_quo_label}"
    # a loss is shown as one (-€61,859), never as "no gain": the backtest's choices cost money there
    gain = round(recommended.gain, 2)
    value = formatting.money(recommended.gain, currency=impact.currency) if gain != 0 else "no gain"
    st.metric(plain(label), value, delta=interval_note(impact), delta_color="off", delta_arrow="off")
    for flag in results_view.near_certain_leaks(impact):  # beside the number a manager will copy
        st.warning(
            plain(
                f"This money may not be real: '{flag['column']}' {flag['reason']}. If it is only known after the "
                "outcome, exclude it on the Problem page and run again."
            ),
            icon=":material/warning:",
        )
    st.write(plain(impact.answer or impact.narrative))


def whatif_note() -> None:
    """Under the headline: a what-if that could not be priced says so and why (its popover may be
    closed), and one that was priced is marked as not saved yet."""
    if refused := state.whatif_refused():
        st.error(
            plain(f"Your what-if is not applied, so the money above is the run's own. {refused}"),
            icon=":material/error:",
        )
    elif state.whatif():
        st.caption(
            "Unsaved what-if: the costs on screen differ from the analysis as run (Change the costs). Save to keep them."
        )


def chart(impact: Impact) -> None:
    st.plotly_chart(charts.today_vs_choice(impact), key="answer.chart", config={"displayModeBar": False})


def next_step(analysis: Analysis) -> None:
    """Where the answer leads: this period's orders or schedule, or whom to act on."""
    label = f"Next: {analysis.problem.framing.next_step}"
    st.page_link(navigation.DECISIONS, label=label, icon=":material/arrow_forward:", query_params=state.query() or None)


def actions(analysis: Analysis, what_if: Callable[[Analysis], Impact]) -> Impact:
    """The compact controls beside the headline: the what-if costs (re-priced instantly), save,
    the report and the link. Returns the impact at the costs on screen."""
    # short enough for the quarter of a 1280-pixel screen it sits in ("Change the costs an..." was cut)
    with st.popover("Change the costs", icon=":material/tune:", width="stretch"):
        impact = what_if(analysis)
    with st.popover("Save", icon=":material/bookmark_add:", width="stretch"), st.form("w.impact.save_form"):
        name = st.text_input("Save this analysis, at the costs on screen, as", key=state.SAVE_NAME)
        if st.form_submit_button("Save"):
            saved_view.save_named(analysis, impact, name)
    st.download_button(
        "Report (HTML)",
        lambda: build_report(rebased(analysis, impact.params, impact)),  # made on click: it runs the sweeps
        "payoff-report.html",
        "text/html",
        key="w.impact.report",
        icon=":material/description:",
        width="stretch",
    )
    with st.popover("Share", icon=":material/link:", width="stretch"):
        base = st.context.url
        if state.opened() is None or not base:
            st.caption("Save the analysis (or let a run autosave) to get a link.")
        else:
            st.caption("Copy this link with the button at the right of the box: it opens these numbers.")
            st.code(f"{base.rstrip('/')}/impact?{urlencode(state.query())}", language=None, wrap_lines=True)
    return impact
