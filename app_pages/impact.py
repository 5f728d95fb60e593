import streamlit as st

from payoff import tables
from payoff.errors import PayoffError
from payoff.results import to_json
from payoff.store import Store
from payoff.ui import impact_view, navigation, results_view, state, trust_view, widgets

st.title("Impact")
analysis = state.analysis()
if analysis is None:
    widgets.next_step(
        "Run the models first; this page prices their decisions.", navigation.MODELS, "Go to the Models page"
    )
    st.stop()

impact = impact_view.what_if(analysis)
results_view.headline(impact)
impact_view.show(analysis, impact)
results_view.show_table(tables.money_table(impact))
trust_view.assumptions(analysis, impact)
trust_view.segments(analysis, impact)

with st.form("w.impact.save_form"):
    name = st.text_input("Save this analysis as", key=state.SAVE_NAME)
    if st.form_submit_button("Save"):
        try:
            Store().save(name, analysis.problem.source, to_json(analysis, impact))
        except PayoffError as error:
            widgets.show_error(error)
        else:
            st.success("Saved: find it on the Saved page.")
