import streamlit as st

from payoff.ui import decisions_view, navigation, state, widgets

st.title("Decisions")
analysis = state.analysis()
if analysis is None:
    widgets.next_step(
        "Run the models first; this page turns Payoff's choice into next decisions.",
        navigation.MODELS,
        "Go to the Models page",
    )
    st.stop()

if analysis.family == "targeting":
    decisions_view.score_current(analysis)
else:
    decisions_view.next_quantities(analysis)
