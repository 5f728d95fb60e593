"""Running the analysis and showing its results: progress, the headline, the money table, failures
and leakage warnings. Shared by the Models and Impact pages."""

from __future__ import annotations

import os
from typing import Any, Literal

import numpy as np
import pandas as pd
import streamlit as st

from payoff import formatting
from payoff.analysis import Analysis, recost, with_explanations
from payoff.carry import charts
from payoff.errors import PayoffError
from payoff.evaluate import explain
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import Explanation, QuantityPredictions
from payoff.jobs import FitJob
from payoff.models.catalogue import AUTO, business_name
from payoff.problem import Problem, same_design
from payoff.runtime.compute import Compute, from_environment
from payoff.ui import saved_view, state
from payoff.ui.widgets import plain, show_error


def compute_choice() -> Compute:
    """Where the per-series models run: the server's default (PAYOFF_WORKERS, PAYOFF_DASK) or the
    processes the user asks for. It changes the time, never a number."""
    try:
        default = from_environment()
    except PayoffError as error:
        show_error(error)
        default = Compute()
    with st.expander("Computing"):
        cores = max(os.cpu_count() or 1, default.workers)
        workers = st.number_input(
            "Processes for the per-series models",
            1,
            cores,
            default.workers,
            key=state.WORKERS,
            help=f"This server has {cores} cores. More processes finish big catalogues sooner; the numbers are "
            "the same whatever you choose.",
        )
        if default.dask:
            st.caption(f"The per-series models run on the Dask cluster at {plain(default.dask)}.")
    return Compute(workers=int(workers), dask=default.dask)


def fit_running() -> bool:
    """A fit of this session is running and its money is not priced yet."""
    job = st.session_state.get(state.JOB)
    return isinstance(job, FitJob) and job.running and job.priced is None


def explaining() -> bool:
    """The analysis shown is priced and its explanations are being worked out."""
    job = st.session_state.get(state.JOB)
    return isinstance(job, FitJob) and job.running and _shown(job)


def _shown(job: FitJob) -> bool:
    """The job's priced analysis is the one on screen (not replaced since by another file, a
    reopened or a named save)."""
    return job.priced is not None and state.analysis() is job.priced


def finish_explaining(wait: bool, redraw: bool = True) -> None:
    """A run's money is shown as soon as it is priced; its explanations and summary follow. This
    takes them when they are there (waiting for them with `wait`, at the foot of whichever page
    is open), keeps the whole analysis where a link finds it, and, after waiting, redraws the
    page with them. A click meanwhile interrupts the wait; the next page run takes it up. A job
    whose analysis is no longer on screen is let go: its explanations would explain nothing shown."""
    job = st.session_state.get(state.JOB)
    if not isinstance(job, FitJob) or job.priced is None:
        return
    if not _shown(job):
        job.cancel()
        st.session_state.pop(state.JOB, None)
        return
    if job.running and not wait and not job.poll().done:
        return
    if job.running:
        waiting = st.empty()
        while not job.poll(wait_s=0.25).done:
            waiting.caption("Working out what drives each model's numbers ...")  # a click can stop the wait here
        waiting.empty()
    st.session_state.pop(state.JOB, None)
    analysis = job.result
    if analysis is None:  # the money stands; the explanations failed (or ran out of time), and say so
        why = f"The explanations could not be computed: {job.error}"
        analysis = with_explanations(job.priced, (Explanation(explain.FAILED, "", (), why),))
    # Kept across the autosave: the what-if values tried meanwhile, and which Problem-page values they follow.
    whatif, followed = state.whatif(), st.session_state.get(state.WHATIF_FROM_PROBLEM)
    saved = saved_view.autosave(analysis, job.summary, whatif)
    if followed is not None:
        st.session_state[state.WHATIF_FROM_PROBLEM] = followed
    if saved and wait and redraw:
        st.rerun()


def run(problem: Problem | None, compute: Compute | None = None) -> None:
    """Start a fit in its own process (or, when one is already running for this session, such
    as after a second click or a dropped connection, wait on that one) and show its progress."""
    job = st.session_state.get(state.JOB)
    if isinstance(job, FitJob) and job.priced is not None and problem is not None:
        # A new click while the last run's explanations are worked out: that run is finished and
        # kept first (a second or two), so a Cancel of the new one leaves it whole and saved.
        finish_explaining(wait=True, redraw=False)
        job = None
    already = isinstance(job, FitJob) and job.running
    if not already:
        if problem is None:
            return
        try:
            job = FitJob(problem, compute)
        except PayoffError as error:
            show_error(error)
            return
        st.session_state[state.JOB] = job
    assert isinstance(job, FitJob)
    controls = st.empty()  # emptied when the money is priced: the page goes on below it
    with controls.container():
        if already:
            st.caption("The models are already running for you; this is their progress.")
        if st.button("Cancel the run", key=state.CANCEL_RUN, icon=":material/stop_circle:"):
            job.stop()  # the click reran the page: the fit's process ends now
            st.session_state.pop(state.JOB, None)
            controls.info("You cancelled the run; nothing changed. Press 'Run models' to start again.")
            return
        st.caption(
            "The models run in their own process: leaving this page (or Streamlit's Stop) does not stop them; "
            "Cancel does."
        )
        bar = st.progress(0.0, text="Starting")

    shown: list[str] = []

    def progress(message: str, share: float) -> None:
        if shown[-1:] == [message]:  # the wait ticks four times a second: redraw only what changed
            return
        shown.append(message)
        bar.progress(min(max(share, 0.0), 1.0), text=plain(message))

    try:
        analysis = job.wait(progress, priced=True)
    except PayoffError as error:
        controls.empty()
        st.session_state.pop(state.JOB, None)
        show_error(error)
        return
    controls.empty()
    if job.priced is not None and job.result is None:  # the headline now; the explanations at the page's foot
        state.set_analysis(job.priced)
        return
    st.session_state.pop(state.JOB, None)
    if saved_view.autosave(analysis, job.summary):
        st.rerun()  # redraw from the top so the sidebar status shows the models just run


def show_table(frame: pd.DataFrame, currency: str = "", height: int | Literal["auto"] = "auto") -> None:
    """A table as the user reads it, through the one formatting module: money with its currency,
    percentages, whole units, dates in the file's calendar, blank (never "None") where a value is
    missing; numbers aligned right. Shown as text (Streamlit writes "None" in an empty number cell);
    the downloads keep the numbers."""
    kinds = formatting.kinds_of(frame)
    unit = str(frame.attrs.get("unit", "day"))
    shown = pd.DataFrame(
        {column: [formatting.cell(v, kinds[column], currency, unit) for v in frame[column]] for column in frame.columns}
    )
    config = {
        column: st.column_config.TextColumn(alignment="right")
        if kind not in (formatting.TEXT, formatting.DATE)
        else st.column_config.TextColumn(width=_width(column, shown[column]))
        for column, kind in kinds.items()
    }
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=config)


def _width(header: str, cells: pd.Series) -> int:
    """A text column as wide as its longest words, in pixels: left to Streamlit, the comparison
    table's last column (its notes) was cut at 1280 pixels while the money columns stood wider
    than their figures."""
    longest = max([len(str(header)), *(len(str(cell)) for cell in cells)])
    return min(360, 20 + 7 * longest)


NEAR_CERTAIN = 0.99  # a column alone this good at telling the outcomes apart is almost surely known after them


def near_certain_leaks(impact: Impact) -> list[dict[str, Any]]:
    """The leakage flags of a column that alone tells the outcomes apart almost every time: said
    beside the headline, where a manager copies the number, not below the chart."""
    flags = impact.evaluation.get("leakage_flags", [])
    return [f for f in flags if "used" not in f and float(f.get("auc", 0.0)) >= NEAR_CERTAIN]


def leakage_warnings(impact: Impact) -> None:
    """Warnings of the run (a model that broke, costs that leave nobody to act on) and features
    that may leak: said on the page, never left in the JSON alone."""
    for warning in impact.evaluation.get("warnings", []):
        st.warning(plain(warning))
    shown_above = near_certain_leaks(impact)
    for flag in impact.evaluation.get("leakage_flags", []):
        if "used" in flag:  # quantities: said on the Problem page, where it is decided
            if not flag["used"]:
                st.caption(plain(f"'{flag['column']}' was left out: it looks realised with demand ({flag['reason']})."))
            continue
        if flag in shown_above:
            continue
        st.warning(
            plain(
                f"Possible leakage: '{flag['column']}' {flag['reason']}. If it is only known after the "
                "outcome, exclude it on the Problem page and run again."
            )
        )


def failures(impact: Impact) -> None:
    """Every model that failed somewhere, with where and why: never hidden. Models that failed on
    the same series and windows for the same reasons (a product with ten weeks of history fails
    every model alike) share one warning, so that the comparison is not pushed off the screen."""
    alike: dict[tuple[bool, tuple[str, ...]], list[str]] = {}
    for model in impact.models:
        if model.failures:
            alike.setdefault((model.failed, tuple(f.text() for f in model.failures)), []).append(model.name)
    for (failed, texts), names in alike.items():
        shown = "; ".join(texts[:5])
        more = f" and {len(texts) - 5} more" if len(texts) > 5 else ""
        if failed:
            outcome = "it is left out of the comparison" if len(names) == 1 else "they are left out of the comparison"
        else:
            outcome = "those series and windows were decided with the last value seen"
        who = ", ".join(business_name(name) for name in names)
        st.warning(plain(f"{who} failed ({shown}{more}); {outcome}."))


def series_chart(analysis: Analysis, impact: Impact, key: str) -> None:
    """A quantity decision's forecasts and orders for one series, against what happened."""
    predictions = analysis.predictions
    assert isinstance(predictions, QuantityPredictions)  # its kind's
    st.subheader("Forecast and decisions per series")
    panel = predictions.panel
    labels = panel.labels()
    index = st.selectbox("Series", range(len(labels)), format_func=lambda i: labels[i], key=key + ".series")
    names = [m.name for m in predictions.models]
    chosen = dict.fromkeys([impact.recommended.model, *impact.recommended.blend_of])  # the blend: its leaders, once
    default = [name for name in chosen if name in names][:3] or names[-1:]
    shown = st.multiselect("Forecasts shown", names, default=default, format_func=business_name, key=key + ".models")
    scored = predictions.scored
    decisions = impact.decisions.get(AUTO)
    figure = charts.forecast_vs_actual(
        panel.dates[predictions.periods[scored]],
        predictions.actual[index, scored],
        {name: predictions.model(name).forecast[index, scored] for name in shown},
        None if decisions is None else np.asarray(decisions)[index],
        "decision: Payoff's choice",
        analysis.problem.target,
    )
    st.plotly_chart(figure, key=key + ".chart")


def current_impact(analysis: Analysis, problem: Problem | None) -> Impact:
    """The run's money at the values on screen: prices changed on the Problem page since the run
    re-price it without a refit (as what-ifs, which the Impact page shares); anything else
    (framing, status quo, models, backtest, a pricing column) asks for a new run."""
    if problem is not None:
        if not same_design(problem, analysis.problem):
            st.warning(
                "You changed the framing, status quo, models, backtest or a pricing column since the last run: "
                "press 'Run models' again to update."
            )
            return analysis.impact
        state.follow_problem_page(analysis, problem.values)
    values = state.effective_values(analysis)
    if values == analysis.values:
        return analysis.impact
    try:
        return recost(analysis, values)
    except PayoffError as error:
        show_error(error)
        return analysis.impact
