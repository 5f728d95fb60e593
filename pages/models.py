import streamlit as st

from payoff import charts
from payoff.ui import data_view, problem_view, results_view, state, widgets

st.title("Models")
prepared = data_view.require_prepared()

spec = problem_view.spec_from_state(prepared)
framing = problem_view.current_framing(prepared)
st.markdown(f"**{widgets.plain(framing.title)}** on {widgets.plain(state.dataset().name)}")
st.caption("Change the framing, costs or status quo on the Problem page; the defaults are used until you do.")
with st.expander("The models compared"):
    problem_view.describe_models(framing.family)
if st.button("Run models", key=state.RUN_MODELS, type="primary"):
    results_view.run(prepared, spec)

analysis = state.analysis()
if analysis is None:
    st.info("Press 'Run models' to fit the baseline models and replay their decisions on your history.")
    st.stop()
impact = results_view.current_impact(analysis, spec)
results_view.headline(impact)
results_view.failures(impact)
results_view.leakage_warnings(impact)
st.dataframe(results_view.money_table(impact), hide_index=True, width="stretch")
st.plotly_chart(charts.money_by_model(impact), key="models.money")
if analysis.family == "quantity":
    st.subheader("Forecast and decisions per series")
    results_view.series_chart(analysis, "models")
st.page_link("pages/impact.py", label="Next: the money in detail, and what-if costs", icon=":material/arrow_forward:")
