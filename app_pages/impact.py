import streamlit as st

from payoff.ui import answer_view, impact_view, kinds, navigation, results_view, state, trust_view, widgets

st.title("Impact")
analysis = state.analysis()
if analysis is None:
    widgets.next_step(
        "Run the models first; this page prices their decisions.", navigation.MODELS, "Go to the Models page"
    )
    st.stop()

# The answer first, on one screen; the what-if costs and the rest sit beside it or below.
head, side = st.columns([3, 1], vertical_alignment="top")
with side:  # the next step sits under the controls: a long sentence never pushes it off the screen
    impact = answer_view.actions(analysis, kinds.sections(analysis).what_if)
    answer_view.next_step(analysis)
with head:
    answer_view.headline(impact)
    answer_view.whatif_note()
answer_view.chart(impact)
results_view.leakage_warnings(impact)

compare, costs, where, why, details = st.tabs(
    [
        "Compare models",
        "What if our costs are wrong?",
        "Where the gain comes from",
        "Why the models decide this way",
        "Analyst details",
    ]
)
with compare:
    impact_view.compare(analysis, impact)
with costs:
    trust_view.assumptions(analysis, impact)
with where:
    trust_view.segments(analysis, impact)
    kinds.sections(analysis).where(analysis, impact)
with why:
    impact_view.explanations(analysis, impact, results_view.explaining())
with details:
    impact_view.analyst(analysis, impact)
    kinds.sections(analysis).details(analysis, impact)
