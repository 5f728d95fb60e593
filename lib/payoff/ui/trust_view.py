"""The Impact page's "can I trust it" sections: which assumption matters most (a sensitivity
sweep with break-even values) and where the gain comes from (segments)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from payoff import formatting
from payoff.analysis import Analysis, rebased
from payoff.carry import charts
from payoff.carry.segments import segment_gains
from payoff.carry.sensitivity import CHECKPOINT, POINTS, SPAN, Sweep, sensitivity, tornado
from payoff.errors import PayoffError
from payoff.evaluate.impact import Impact
from payoff.models.catalogue import business_name
from payoff.ui import kinds as page_kinds
from payoff.ui import results_view, state
from payoff.ui.widgets import plain, show_error

SWEEP_PREFIX = state.WHATIF_PREFIX + "sweep."
SEGMENT = state.WHATIF_PREFIX + "segment"
NO_SEGMENT = "(none)"
_CACHE = "payoff.sweeps"


def _sweeps(analysis: Analysis, impact: Impact, span: tuple[float, float], points: int) -> tuple[Sweep, ...]:
    """Kept for the session per analysis, prices and range: moving another control is instant."""
    key = (id(analysis), tuple(sorted((k, repr(v)) for k, v in impact.params.items())), span, points)
    cache: dict = st.session_state.setdefault(_CACHE, {})
    if key not in cache:
        cache.clear()  # one analysis at a time
        line = st.empty()
        done = [0]

        def step() -> None:  # also where a newer cost change stops this sweep (see CHECKPOINT)
            done[0] += 1
            line.caption(f"Re-pricing at the moved assumptions ({done[0]})")

        token = CHECKPOINT.set(step)
        try:
            cache[key] = sensitivity(rebased(analysis, impact.params, impact), span, points)  # around the what-if
        finally:
            CHECKPOINT.reset(token)
        line.empty()
    return cache[key]


def assumptions(analysis: Analysis, impact: Impact) -> None:
    st.subheader("Which assumption matters most")
    c1, c2, c3 = st.columns(3)
    down = c1.number_input("Move each down by (%)", 0, 95, int(-SPAN[0] * 100), step=10, key=SWEEP_PREFIX + "down")
    high = c2.number_input("and up by (%)", 0, 500, int(SPAN[1] * 100), step=10, key=SWEEP_PREFIX + "high")
    points = c3.number_input("Points", 3, 25, POINTS, key=SWEEP_PREFIX + "points")
    try:
        sweeps = _sweeps(analysis, impact, (-down / 100, high / 100), int(points))
    except PayoffError as error:
        show_error(error)
        return
    if not sweeps:
        st.info("This framing has no cost assumption to move.")
        return
    st.plotly_chart(charts.tornado(tornado(sweeps), impact.recommended.gain, impact.currency), key="impact.tornado")
    for item in sweeps:
        st.caption(plain(f"{item.label}: {item.sentence}"))
    labels = {item.label: item for item in sweeps}
    chosen = st.selectbox("Show one assumption in detail", list(labels), key=SWEEP_PREFIX + "detail")
    item = labels[chosen]
    axis = f"{item.label} (x the column '{item.column}')" if item.column else item.label
    st.plotly_chart(charts.sweep_lines(item.values, item.gains, axis, impact.currency), key="impact.sweep")
    shown = "Multiplier of the column" if item.column else item.label
    table = pd.DataFrame({shown: item.values, **{business_name(name): gains for name, gains in item.gains.items()}})
    kinds = {business_name(name): formatting.MONEY for name in item.gains}
    kinds[shown] = formatting.SCORE  # the parameter as typed: 0.02, 0.5, 250
    results_view.show_table(formatting.declare(table, kinds), impact.currency)


def segment_columns(analysis: Analysis) -> list[str]:
    problem = analysis.problem
    skip = {problem.target, problem.date, problem.entity_id}
    keys = list(problem.keys)
    others = [c for c in problem.table.columns if c not in skip and c not in keys]
    return keys + others


def segments(analysis: Analysis, impact: Impact) -> None:
    st.subheader("Where the gain comes from")
    options = segment_columns(analysis)
    by_series = page_kinds.sections(analysis).breakdown_by_series and analysis.problem.keys
    default = options[0] if by_series else NO_SEGMENT
    choices = [NO_SEGMENT, *options]
    column = st.selectbox(
        "Break the gain of Payoff's choice down by", choices, index=choices.index(default), key=SEGMENT
    )
    if column == NO_SEGMENT:
        return
    try:
        found = segment_gains(analysis, impact, column)
    except PayoffError as error:
        show_error(error)
        return
    (st.warning if found.losing else st.success)(plain(found.sentence))
    table = pd.DataFrame({"segment": [g.value for g in found.groups], "gain": [g.gain for g in found.groups]})
    st.plotly_chart(charts.gain_by_segment(table, impact.currency), key="impact.segment_chart")
    groups = pd.DataFrame(
        {
            column: [str(g.value) for g in found.groups],
            found.unit: [g.size for g in found.groups],
            "Gain vs today": [g.gain for g in found.groups],
            "Share of the gain": [
                g.gain / impact.recommended.gain if impact.recommended.gain else None for g in found.groups
            ],
        }
    )
    kinds = {found.unit: formatting.COUNT, "Gain vs today": formatting.MONEY, "Share of the gain": formatting.PERCENT}
    results_view.show_table(formatting.declare(groups, kinds), impact.currency)
    total = formatting.money(impact.recommended.gain, currency=impact.currency)
    st.caption(plain(f"The gain of Payoff's choice is {total} in all."))
