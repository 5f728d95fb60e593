"""The Impact page: what-if controls that re-price without refitting, breakdowns per component,
per series and per entity, and what drives the models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from payoff import formatting
from payoff.analysis import Analysis
from payoff.carry import charts, tables
from payoff.evaluate import explain, targeting_views
from payoff.evaluate import service as service_level
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import QuantityPredictions, TargetingPredictions
from payoff.framings.base import QuantityFraming, TargetingFraming
from payoff.models.catalogue import AUTO, STATUS_QUO, business_name
from payoff.ui import results_view, state
from payoff.ui.widgets import plain


def per_series(impact: Impact) -> pd.DataFrame:
    """The recommendation's gain per series against the status quo."""
    auto = impact.model(AUTO)
    status_quo = impact.model(STATUS_QUO)
    sign = impact.direction.sign
    rows = [
        {
            "segment": name,
            "today": status_quo.per_series[name],
            "Payoff's choice": auto.per_series.get(name, np.nan),
            "gain": sign * (auto.per_series.get(name, np.nan) - status_quo.per_series[name]),
        }
        for name in status_quo.per_series
    ]
    frame = pd.DataFrame(rows).sort_values("gain", ascending=False)
    return formatting.declare(
        frame, {"today": formatting.MONEY, "Payoff's choice": formatting.MONEY, "gain": formatting.MONEY}
    )


def service(impact: Impact) -> pd.DataFrame | None:
    """Fill rate, units short and average stock of each option (replenishment)."""
    table = tables.money_table(impact)
    wanted = ["Option", *(label for label, _ in tables.EXTRA_LABELS.values() if label in table and label != "Acted on")]
    return table[wanted] if len(wanted) > 1 else None


def explanations(analysis: Analysis, impact: Impact, pending: bool = False) -> None:
    """What drives each explained model, the one Payoff's choice uses now first, after a sentence
    that says which model that is (and, for the blend, which of its leaders are explained)."""
    if pending:
        st.caption("Being worked out from the models just fitted: they show here in a moment.")
        return
    items = analysis.predictions.explanations
    now, blended = impact.recommended.model, impact.recommended.blend_of
    explained = [item.model for item in items if item.model != explain.FAILED]
    st.write(plain(explain.chosen_explained(now, explained, blended)))
    items = tuple(sorted(items, key=lambda item: item.model not in (now, *blended)))
    for item in items:
        st.markdown(f"**What drives {plain(business_name(item.model))}** ({plain(item.unit)})")
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
            chart = charts.importance(table, item.unit, impact.currency)
            st.plotly_chart(chart, key=f"impact.explain.{item.model}")
            st.caption("A column whose shuffling cost nothing carries no money for the decisions: it shows at zero.")
        st.caption(plain(item.note))


def compare(analysis: Analysis, impact: Impact) -> None:
    """Every option side by side in business names, with what the sentence adds."""
    results_view.show_table(tables.compare_table(impact), impact.currency)
    rest = impact.narrative.removeprefix(impact.answer).strip()
    if rest:
        st.write(plain(rest))
    st.markdown("**Gain against today, with its 90% range**")
    st.plotly_chart(charts.gain_by_model(impact), key="impact.gain")
    st.markdown("**Money of each option, part by part**")
    st.plotly_chart(charts.money_by_model(impact), key="impact.money")


def quantity_where(analysis: Analysis, impact: Impact) -> None:
    """Where the gain of a quantity decision comes from: service and stock, and which series."""
    table = service(impact)
    if table is not None:
        st.markdown("**Service and stock**")
        results_view.show_table(table, impact.currency)
    by_series = per_series(impact)
    if len(by_series) > 1:
        st.markdown("**Which series drive the gain of Payoff's choice**")
        st.plotly_chart(charts.gain_by_segment(by_series, impact.currency), key="impact.segments")
    service_levels(analysis, impact)
    stock_ledger(analysis, impact)


SMALL_CELLS = 50_000  # backtest cells under which the service levels are priced without asking


def service_levels(analysis: Analysis, impact: Impact) -> None:
    """What "short at most X% of periods" costs, for a few X, at these costs."""
    framing, predictions = analysis.problem.framing, analysis.predictions
    assert isinstance(framing, QuantityFraming) and isinstance(predictions, QuantityPredictions)  # its kind's
    if service_level.KEY not in {p.key for p in framing.params}:
        return
    st.markdown("**What a service level costs**")
    small = predictions.actual.size <= SMALL_CELLS  # six re-pricings: seconds on a large file, asked first
    if not st.toggle("Price the service levels", value=small, key="impact.service"):
        return
    table = service_level.service_table(framing, impact.params, predictions)
    if table is None:
        return
    said = service_level.sentence(table, impact.currency)
    if said:
        st.write(plain(said))
    results_view.show_table(table, impact.currency)
    st.caption(
        "One model for every row: the best at these costs, its orders set for each level from the same forecasts. "
        "Set a level under 'Short at most' (the settings beside the headline, or the Problem page)."
    )


def _option_name(name: str) -> str:
    return {AUTO: "Payoff's choice", STATUS_QUO: "today's practice"}.get(name, business_name(name))


def stock_ledger(analysis: Analysis, impact: Impact) -> None:
    """Every unit of one series in the tests, where the rule carries stock from day to day."""
    framing, predictions = analysis.problem.framing, analysis.predictions
    assert isinstance(framing, QuantityFraming) and isinstance(predictions, QuantityPredictions)  # its kind's
    if not framing.policy.carries_stock(impact.params) or framing.policy.cover(impact.params) is not None:
        return
    labels = predictions.panel.labels()
    st.markdown("**The stock ledger of one series**")
    options = [AUTO, *(m.name for m in impact.models if m.name != AUTO)]
    left, right = st.columns(2)
    shown = left.selectbox("Series", range(len(labels)), format_func=lambda i: labels[i], key="impact.ledger")
    option = right.selectbox("Orders of", options, format_func=_option_name, key="impact.ledger.option")
    table = service_level.series_ledger(framing, impact.params, predictions, int(shown or 0), str(option))
    if table is not None:
        results_view.show_table(table, impact.currency)
        st.caption("Every unit is accounted for: delivered = sold + written off + the change in stock.")


def profit(analysis: Analysis, impact: Impact) -> None:
    """Where the gain of a targeting decision comes from: the profit curve and its cells."""
    predictions = analysis.predictions
    framing = analysis.problem.framing
    assert isinstance(predictions, TargetingPredictions) and isinstance(framing, TargetingFraming)  # its kind's
    models = [s.name for s in predictions.models if not s.failed]
    best = impact.recommended.model if impact.recommended.model in models else models[-1]
    model = st.selectbox(
        "Model shown", models, index=models.index(best), format_func=business_name, key=state.WHATIF_PREFIX + "model"
    )
    entry = impact.model(model)
    n = impact.evaluation["rows"]
    st.markdown(f"**Money as more {plain(framing.entities)} are acted on, most promising first**")
    curve = targeting_views.profit_curve(framing, impact.params, predictions, model)
    budget = impact.params.get("budget")
    share = None if budget is None else float(budget) / n  # type: ignore[arg-type]
    chosen = entry.extras["acted"] / n
    st.plotly_chart(
        charts.profit_curve(curve, chosen, share, impact.model(STATUS_QUO).money or 0.0, impact.currency),
        key="impact.profit",
    )
    st.markdown(f"**Decisions of {plain(business_name(model))} against what happened**")
    results_view.show_table(targeting_views.confusion(impact, model, framing), impact.currency)


def analyst(analysis: Analysis, impact: Impact) -> None:
    """Accuracy, calibration, folds and windows: for analysts, out of the manager's way."""
    results_view.failures(impact)
    st.markdown("**Every figure of every option**")
    results_view.show_table(tables.money_table(impact), impact.currency)


def backtest_details(analysis: Analysis, impact: Impact) -> None:
    """A quantity decision's backtest, and its forecasts per series."""
    evaluation = impact.evaluation
    assert "windows" in evaluation  # a backtest's record: this section is its kind's
    unit = evaluation["frequency"]
    st.caption(
        plain(
            f"Backtest: tested on {', '.join(evaluation['windows'])}, each forecast up to {evaluation['horizon']} "
            f"{unit}s ahead from the history before it; {evaluation['calibration']} only chose among the models "
            f"and is never scored. Pattern repeating every {evaluation['season']} {unit}s. At these costs, the "
            f"cheapest decision covers demand {formatting.percent(float(evaluation['critical_ratio']))} of the "
            "time (the critical ratio)."
        )
    )
    results_view.series_chart(analysis, impact, "impact")


def crossfit_details(analysis: Analysis, impact: Impact) -> None:
    """A targeting decision's folds, and how well each model's chances are calibrated."""
    evaluation = impact.evaluation
    assert "folds" in evaluation  # a cross-fit's record: this section is its kind's
    framing = analysis.problem.framing
    assert isinstance(framing, TargetingFraming)  # its kind's
    fitted_on = "the parts before it, in time order" if evaluation.get("time_ordered_folds") else "the others"
    predictions = analysis.predictions
    assert isinstance(predictions, TargetingPredictions)  # its kind's
    models = [s.name for s in predictions.models if not s.failed]
    model = st.selectbox("Calibration of", models, format_func=business_name, key=state.WHATIF_PREFIX + "calibrated")
    st.markdown("**Calibration: predicted chance against what happened**")
    table = targeting_views.calibration_table(predictions.model(model).probability, predictions.positive)
    st.plotly_chart(charts.calibration(table), key="impact.calibration")
    st.caption(
        plain(
            f"Every one of the {evaluation['rows']:,} {framing.entities} was scored by a model that never saw "
            f"it: the file was split into {evaluation['folds']} parts, each scored by a model fitted on "
            f"{fitted_on}. In {evaluation['events']:,} of them "
            f"({formatting.percent(float(evaluation['event_rate']))}) the answer was '{framing.words[1]}'."
        )
    )
