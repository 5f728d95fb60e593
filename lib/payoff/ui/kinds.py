"""What each decision kind adds to the pages, in one registry: the Impact, Models and Decisions
pages ask it for the kind's sections instead of branching on the type of the predictions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from payoff.analysis import Analysis
from payoff.decision_kinds import DecisionKind
from payoff.evaluate.impact import Impact
from payoff.framings.base import Framing
from payoff.problem import Problem
from payoff.ui import decisions_view, impact_view, problem_view, results_view, state, whatif_view

Section = Callable[[Analysis, Impact], None]


def _no_settings(prepared: state.Prepared) -> None:
    """Targeting's folds need no setting."""


@dataclass(frozen=True)
class PageSections:
    where: Section  # Impact, "Where the gain comes from", after the breakdown by a column
    details: Section  # Impact, "Analyst details": the evaluation design and its diagnostics
    per_unit: Callable[[Analysis, Impact, str], None] | None  # Models: each series' forecasts, if any
    next_decisions: Callable[[Analysis], None]  # the Decisions page
    breakdown_by_series: bool  # the breakdown starts on the series keys (not on "nothing")
    settings: Callable[[state.Prepared], None]  # Problem: the evaluation design's settings
    consequence: Callable[[Problem], None]  # Problem: what the costs mean before anything is fitted
    what_if: Callable[[Analysis], Impact]  # Impact: the costs to change, and the decision rule if any


SECTIONS: dict[DecisionKind, PageSections] = {
    DecisionKind.QUANTITY: PageSections(
        where=impact_view.quantity_where,
        details=impact_view.backtest_details,
        per_unit=results_view.series_chart,
        next_decisions=decisions_view.next_quantities,
        breakdown_by_series=True,
        settings=problem_view.backtest_section,
        consequence=problem_view.quantity_consequence,
        what_if=whatif_view.what_if,
    ),
    DecisionKind.TARGETING: PageSections(
        where=impact_view.profit,
        details=impact_view.crossfit_details,
        per_unit=None,
        next_decisions=decisions_view.score_current,
        breakdown_by_series=False,
        settings=_no_settings,
        consequence=problem_view.targeting_consequence,
        what_if=partial(whatif_view.what_if, rule=whatif_view.threshold_rule),
    ),
}


def sections(analysis: Analysis) -> PageSections:
    return SECTIONS[analysis.kind]


def for_framing(framing: Framing) -> PageSections:
    """The sections of a framing's kind, before there is an analysis (the Problem page)."""
    return SECTIONS[framing.kind]
