"""The Impact page: what-if controls that re-price without refitting, breakdowns per component,
per series and per entity, and what drives the models."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from payoff import charts
from payoff.analysis import Analysis, recost
from payoff.errors import PayoffError
from payoff.evaluate import targeting_views
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import Explanation, QuantityPredictions, TargetingPredictions
from payoff.framings.base import FromColumn, Param, TargetingFraming
from payoff.models.catalogue import AUTO, STATUS_QUO
from payoff.ui import results_view, state
from payoff.ui.widgets import plain, show_error

THRESHOLD_RULE = state.WHATIF_PREFIX + "rule"
THRESHOLD = state.WHATIF_PREFIX + "threshold"


def _own(analysis: Analysis, key: str) -> Any:
    value = analysis.values[key]
    return value.scale if isinstance(value, FromColumn) else value


def _changed(analysis: Analysis, param_key: str, widget: str) -> None:
    """A what-if control moved: its value joins the what-ifs (and the page's address)."""
    value = st.session_state.get(widget)
    limited = st.session_state.get(widget + ".on")
    if limited is False:
        value = None  # "no limit"
    elif limited is True and value is None:
        value = 100  # a first limit to start from
    values = state.whatif()
    if value == _own(analysis, param_key):
        values.pop(param_key, None)
    else:
        values[param_key] = value
    state.set_whatif(values)


def what_if(analysis: Analysis) -> Impact:
    """Every parameter of the run, editable; a column-priced one is scaled. Re-priced instantly.
    The values live in the session's what-ifs (and the page's address) until they are saved, so a
    reload or a copied link shows the numbers that were on screen."""
    framing = analysis.problem.framing
    values = state.effective_values(analysis)
    threshold = None
    with st.expander("What if the costs were different? (re-priced instantly, no refit)", expanded=True):
        left_right = st.columns(2)
        for i, param in enumerate(framing.params):
            value = values[param.key]
            key = f"{state.WHATIF_PREFIX}{framing.key}.{param.key}"
            shown = value.scale if isinstance(value, FromColumn) else value
            with left_right[i % 2]:
                _control(analysis, param, key, shown, value.column if isinstance(value, FromColumn) else None)
        if isinstance(framing, TargetingFraming):
            rule = st.radio(
                "Decision rule",
                ["expected value", "probability threshold"],
                horizontal=True,
                key=THRESHOLD_RULE,
                help="Expected value acts where the money expected from acting is positive.",
            )
            if rule == "probability threshold":
                side = "at least" if analysis.impact.evaluation.get("acts_when", "above") == "above" else "at most"
                threshold = st.slider(
                    f"{framing.act_label.capitalize()} when the chance that it {framing.words[1]} is {side}",
                    0.0,
                    1.0,
                    0.5,
                    0.01,
                    key=THRESHOLD,
                )
        if state.whatif():
            st.caption(
                "Unsaved what-if: these numbers differ from the analysis as it was run. The page's address keeps "
                "them; save below to keep them for good."
            )
    try:
        return recost(analysis, values, threshold)
    except PayoffError as error:
        show_error(error)
        return analysis.impact


def _control(analysis: Analysis, param: Param, key: str, shown: Any, column: str | None) -> None:
    """One what-if control, its value kept in step with the what-ifs (set before it is drawn)."""
    on_change, args = _changed, (analysis, param.key, key)
    if param.kind == "optional_count":
        if st.session_state.get(key + ".on") != (shown is not None):
            st.session_state[key + ".on"] = shown is not None
        st.checkbox(f"Limit: {param.label.lower()}", help=param.help, key=key + ".on", on_change=on_change, args=args)
        if shown is None:
            return
    if st.session_state.get(key) != shown:
        st.session_state[key] = shown
    if param.kind == "bool":
        st.checkbox(param.label, help=param.help, key=key, on_change=on_change, args=args)
    elif column is not None:
        st.number_input(
            f"{param.label}: column '{column}' x",
            min_value=0.0,
            step=0.05,
            help="Multiply every row's value, e.g. 0.8 for values 20% lower.",
            key=key,
            on_change=on_change,
            args=args,
        )
    elif param.kind in ("periods", "count", "optional_count"):
        st.number_input(
            param.label + (f" ({param.unit})" if param.unit else ""),
            min_value=int(param.minimum or (1 if param.kind == "optional_count" else 0)),
            max_value=int(param.maximum) if param.maximum is not None else None,
            step=1,
            help=param.help,
            key=key,
            on_change=on_change,
            args=args,
        )
    else:
        step = 0.01 if param.kind == "share" else max(0.01, round(abs(float(shown or 1)) / 20, 2))
        st.number_input(
            param.label + (f" ({param.unit})" if param.unit else ""),
            min_value=param.minimum,
            max_value=param.maximum,
            step=step,
            help=param.help,
            key=key,
            on_change=on_change,
            args=args,
        )


def per_series(impact: Impact) -> pd.DataFrame:
    """The recommendation's gain per series against the status quo."""
    auto = impact.model(AUTO)
    status_quo = impact.model(STATUS_QUO)
    sign = -1.0 if impact.direction == "cost" else 1.0
    rows = [
        {
            "segment": name,
            "status quo": status_quo.per_series[name],
            "Payoff's choice": auto.per_series.get(name, np.nan),
            "gain": sign * (auto.per_series.get(name, np.nan) - status_quo.per_series[name]),
        }
        for name in status_quo.per_series
    ]
    return pd.DataFrame(rows).sort_values("gain", ascending=False)


def extras(impact: Impact) -> pd.DataFrame | None:
    rows: list[dict[str, Any]] = [{"model": m.name, **m.extras} for m in impact.models if m.extras]
    return pd.DataFrame(rows) if rows else None


def explanations(items: tuple[Explanation, ...]) -> None:
    for item in items:
        st.markdown(f"**What drives {plain(item.model)}** ({plain(item.unit)})")
        if not item.effects:
            st.caption(plain(item.note))
            continue
        if item.effects[0].text:
            for effect in item.effects:
                st.caption(plain(effect.text))
        else:
            table = pd.DataFrame(
                {"feature": [e.feature for e in item.effects], "importance": [e.estimate for e in item.effects]}
            )
            st.plotly_chart(charts.importance(table, item.unit), key=f"impact.explain.{item.model}")
        st.caption(plain(item.note))


def show_targeting(analysis: Analysis, impact: Impact) -> None:
    predictions = analysis.predictions
    framing = analysis.problem.framing
    assert isinstance(predictions, TargetingPredictions) and isinstance(framing, TargetingFraming)
    models = [s.name for s in predictions.models if not s.failed]
    best = impact.recommended.model if impact.recommended.model in models else models[-1]
    model = st.selectbox("Model shown", models, index=models.index(best), key=state.WHATIF_PREFIX + "model")
    entry = impact.model(model)
    n = impact.evaluation["rows"]
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Profit curve of {plain(model)}**")
        curve = targeting_views.profit_curve(framing, impact.params, predictions, model)
        budget = impact.params.get("budget")
        share = None if budget is None else float(budget) / n  # type: ignore[arg-type]
        chosen = entry.extras["acted"] / n
        st.plotly_chart(
            charts.profit_curve(curve, chosen, share, impact.model(STATUS_QUO).money or 0.0), key="impact.profit"
        )
    with right:
        st.markdown("**Calibration: predicted against observed**")
        table = targeting_views.calibration_table(predictions.model(model).probability, predictions.positive)
        st.plotly_chart(charts.calibration(table), key="impact.calibration")
    st.markdown(f"**Decisions of {plain(model)} against what happened: entities and money**")
    results_view.show_table(targeting_views.confusion(impact, model))
    explanations(predictions.explanations)


def show_quantity(analysis: Analysis, impact: Impact) -> None:
    table = extras(impact)
    if table is not None:
        st.markdown("**Service and stock**")
        results_view.show_table(table)
    by_series = per_series(impact)
    if len(by_series) > 1:
        st.markdown("**Which series drive the gain of Payoff's choice**")
        st.plotly_chart(charts.gain_by_segment(by_series), key="impact.segments")
        results_view.show_table(by_series)
    explanations(analysis.predictions.explanations)


def show(analysis: Analysis, impact: Impact) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Money by component, status quo and every model**")
        st.plotly_chart(charts.money_by_model(impact), key="impact.money")
    with right:
        st.markdown("**Gain against the status quo, with its 90% interval**")
        st.plotly_chart(charts.gain_by_model(impact), key="impact.gain")
    if isinstance(analysis.predictions, QuantityPredictions):
        show_quantity(analysis, impact)
    else:
        show_targeting(analysis, impact)
