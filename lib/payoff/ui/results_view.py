"""Running the analysis and showing its results: progress, the money table, the headline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from payoff import charts
from payoff.analysis import Analysis, AnalysisSpec, run_analysis
from payoff.errors import PayoffError
from payoff.evaluate.impact import Impact, money_text
from payoff.ui import state
from payoff.ui.widgets import plain, show_error


def run(prepared: state.Prepared, spec: AnalysisSpec) -> Analysis | None:
    bar = st.progress(0.0, text="Starting")

    def progress(message: str, share: float) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=plain(message))

    try:
        analysis = run_analysis(prepared.frame, prepared.roles, spec, progress)
    except PayoffError as error:
        bar.empty()
        show_error(error)
        return None
    bar.empty()
    state.set_analysis(analysis)
    st.rerun()  # redraw from the top so the sidebar status shows the models just run
    return analysis


def headline(impact: Impact) -> None:
    best = impact.model(impact.best_model)
    if best.is_status_quo or best.gain <= 0:
        st.metric("Best model vs what you do today", "no gain", help="No model beat the status quo.")
    else:
        low, high = best.gain_interval
        what = "saved" if impact.direction == "cost" else "gained"
        st.metric(
            f"{best.name}: money {what} vs {impact.status_quo}",
            money_text(best.gain),
            delta=f"90% interval {money_text(low)} to {money_text(high)}",
            delta_color="off",
        )
    st.write(plain(impact.narrative))


def money_table(impact: Impact) -> pd.DataFrame:
    rows = []
    for model in sorted(impact.models, key=lambda m: (not m.is_status_quo, -m.gain)):
        row = {
            "model": f"status quo: {impact.status_quo}" if model.is_status_quo else model.name,
            "total cost" if impact.direction == "cost" else "net value": round(model.money, 2),
        }
        row.update({k: round(v, 2) for k, v in model.components.items()})
        row["gain vs status quo"] = round(model.gain, 2)
        row["90% interval"] = (
            ""
            if model.is_status_quo
            else f"{money_text(model.gain_interval[0])} to {money_text(model.gain_interval[1])}"
        )
        row["P(beats status quo)"] = None if model.is_status_quo else round(model.p_beats, 3)
        row.update({k: round(v, 3) for k, v in model.accuracy.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def leakage_warnings(impact: Impact) -> None:
    for flag in impact.evaluation.get("leakage_flags", []):
        st.warning(
            plain(
                f"Possible leakage: '{flag['column']}' {flag['reason']}. If it is only known after the "
                "outcome, exclude it on the Problem page and run again."
            )
        )


def failures(impact: Impact) -> None:
    for model in impact.models:
        if model.failed:
            names = ", ".join(model.failed[:5]) + (
                f" and {len(model.failed) - 5} more" if len(model.failed) > 5 else ""
            )
            st.warning(
                plain(
                    f"{model.name} could not forecast {len(model.failed)} series ({names}); those used "
                    "the last value seen instead."
                )
            )


def series_chart(analysis: Analysis, key: str) -> None:
    predictions = analysis.predictions
    panel = predictions.panel
    labels = panel.labels()
    index = st.selectbox("Series", range(len(labels)), format_func=lambda i: labels[i], key=key + ".series")
    names = list(predictions.models)
    shown = st.multiselect("Forecasts shown", names, default=names[-1:], key=key + ".models")
    best = analysis.impact.best_model
    decisions = analysis.impact.details["decisions"].get(best)
    figure = charts.forecast_vs_actual(
        panel.dates[predictions.periods],
        predictions.actual[index],
        {name: predictions.models[name].forecast[index] for name in shown},
        None if decisions is None else np.asarray(decisions)[index],
        f"decision: {best}",
    )
    st.plotly_chart(figure, key=key + ".chart")


def current_impact(analysis: Analysis, spec: AnalysisSpec) -> Impact:
    """The run's money at today's Problem-page costs: a cost change re-prices without a refit,
    anything else (models, status quo, backtest) asks for a new run."""
    from dataclasses import replace

    from payoff.analysis import recost

    if replace(spec, params=()) != replace(analysis.spec, params=()):
        st.warning(
            "You changed the framing, status quo, models or backtest since the last run: press "
            "'Run models' again to update."
        )
        return analysis.impact
    if dict(spec.params) and dict(spec.params) != {k: analysis.params[k] for k in dict(spec.params)}:
        try:
            return recost(analysis, dict(spec.params))
        except PayoffError as error:
            show_error(error)
    return analysis.impact
