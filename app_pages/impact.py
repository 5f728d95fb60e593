import streamlit as st

from payoff import tables
from payoff.analysis import rebased
from payoff.report import build_report
from payoff.ui import impact_view, navigation, results_view, saved_view, state, trust_view, widgets

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

st.subheader("Keep it, share it")
st.download_button(
    "Download the report (HTML, opens offline)",
    lambda: build_report(rebased(analysis, impact.params)),  # made on click: it runs the sensitivity sweeps
    "payoff-report.html",
    "text/html",
    key="w.impact.report",
    icon=":material/description:",
)
if str(impact.evaluation.get("decision_rule", "")).startswith("probability"):
    st.caption("The report and a saved analysis use the expected-value rule; the probability threshold is a view.")
with st.form("w.impact.save_form"):
    name = st.text_input("Save this analysis, at the costs above, as", key=state.SAVE_NAME)
    if st.form_submit_button("Save"):
        saved_view.save_named(analysis, impact, name)
