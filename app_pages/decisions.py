import streamlit as st

from payoff.ui import kinds, navigation, state, widgets

st.title("Decisions")
analysis = state.analysis()
if analysis is None:
    widgets.next_step(
        "Run the models first; this page turns Payoff's choice into next decisions.",
        navigation.MODELS,
        "Go to the Models page",
    )
    st.stop()

kinds.sections(analysis).next_decisions(analysis)
