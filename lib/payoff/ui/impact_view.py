"""The Impact page: what-if controls that re-price without refitting, breakdowns per component
and per series."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from payoff import charts
from payoff.analysis import Analysis, recost
from payoff.errors import PayoffError
from payoff.evaluate.impact import Impact
from payoff.framings import catalogue
from payoff.ui import problem_view, state
from payoff.ui.widgets import show_error

STRUCTURAL = {"lead_time", "review_period", "backorders", "budget"}


THRESHOLD_RULE = state.WHATIF_PREFIX + "rule"
THRESHOLD = state.WHATIF_PREFIX + "threshold"


def what_if(analysis: Analysis, prepared: state.Prepared) -> Impact:
    framing = catalogue.get(analysis.spec.framing)
    threshold = None
    with st.expander("What if the costs were different? (re-priced instantly, no refit)", expanded=True):
        values = problem_view.parameter_inputs(framing, prepared, state.WHATIF_PREFIX, initial=analysis.params)
        if analysis.family == "targeting":
            rule = st.radio(
                "Decision rule",
                ["expected value", "probability threshold"],
                horizontal=True,
                key=THRESHOLD_RULE,
                help="Expected value acts where the money expected from acting is positive.",
            )
            if rule == "probability threshold":
                threshold = st.slider("Act when the probability is at least", 0.0, 1.0, 0.5, 0.01, key=THRESHOLD)
    try:
        return recost(analysis, values, threshold)
    except PayoffError as error:
        show_error(error)
        return analysis.impact


def segments(analysis: Analysis, impact: Impact) -> pd.DataFrame:
    best = impact.model(impact.best_model)
    status_quo = next(m for m in impact.models if m.is_status_quo)
    sign = -1.0 if impact.direction == "cost" else 1.0
    rows = [
        {
            "segment": name,
            "status quo": status_quo.per_segment[name],
            best.name: best.per_segment.get(name, np.nan),
            "gain": sign * (best.per_segment.get(name, np.nan) - status_quo.per_segment[name]),
        }
        for name in status_quo.per_segment
    ]
    return pd.DataFrame(rows).sort_values("gain", ascending=False)


def extras(impact: Impact) -> pd.DataFrame | None:
    rows: list[dict[str, Any]] = [{"model": m.name, **m.extras} for m in impact.models if m.extras]
    return pd.DataFrame(rows) if rows else None


def show_targeting(analysis: Analysis, impact: Impact) -> None:
    from payoff.evaluate import targeting_views

    models = list(analysis.predictions["probabilities"])
    best = impact.best_model if impact.best_model in models else models[0]
    model = st.selectbox("Model shown", models, index=models.index(best), key=state.WHATIF_PREFIX + "model")
    entry = impact.model(model)
    n = impact.evaluation["rows"]
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Profit curve of {model}**")
        curve = targeting_views.profit_curve(analysis, impact, model)
        budget = impact.params.get("budget")
        sq = next(m for m in impact.models if m.is_status_quo)
        st.plotly_chart(
            charts.profit_curve(curve, entry.extras["acted"] / n, None if budget is None else budget / n, sq.money),
            key="impact.profit",
        )
    with right:
        st.markdown("**Calibration: predicted against observed**")
        table = targeting_views.calibration_table(
            analysis.predictions["probabilities"][model], analysis.predictions["positive"]
        )
        st.plotly_chart(charts.calibration(table), key="impact.calibration")
    st.markdown(f"**Decisions of {model} against what happened: entities and money**")
    st.dataframe(targeting_views.confusion(impact, model), hide_index=True, width="stretch")
    st.markdown(f"**What drives {model}'s scores**")
    features = targeting_views.top_features(analysis, model)
    st.plotly_chart(charts.importance(features), key="impact.features")


def show(analysis: Analysis, impact: Impact) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Cost breakdown, status quo and every model**")
        st.plotly_chart(charts.money_by_model(impact), key="impact.money")
    with right:
        st.markdown("**Gain against the status quo, with its 90% interval**")
        st.plotly_chart(charts.gain_by_model(impact), key="impact.gain")
    if analysis.family == "targeting":
        show_targeting(analysis, impact)
        return
    table = extras(impact)
    if table is not None:
        st.markdown("**Service and stock**")
        st.dataframe(table.round(3), hide_index=True, width="stretch")
    by_segment = segments(analysis, impact)
    if len(by_segment) > 1:
        st.markdown(f"**Which series drive the gain of {impact.best_model}**")
        st.plotly_chart(charts.gain_by_segment(by_segment), key="impact.segments")
        st.dataframe(by_segment.round(2), hide_index=True, width="stretch")
