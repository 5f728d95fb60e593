import streamlit as st

from payoff.carry import charts, tables
from payoff.ui import answer_view, data_view, kinds, navigation, problem_view, results_view, state, widgets

st.title("Models")
prepared = data_view.ensure_prepared()
if prepared is None and state.analysis() is None:
    data_view.require_prepared()  # nothing loaded and nothing reopened: a pointer to the Data page
problem = None
if prepared is not None:
    framing = problem_view.current_framing(prepared)
    st.markdown(f"**{widgets.plain(framing.title)}** on {widgets.plain(state.dataset().name)}")
    st.caption("Change the framing, costs or status quo on the Problem page; the defaults are used until you do.")
    problem = problem_view.current_problem(prepared, framing)
    with st.expander("The models compared"):
        problem_view.describe_models(framing.kind)
    compute = results_view.compute_choice()
    clicked = st.button("Run models", key=state.RUN_MODELS, type="primary", disabled=problem is None)
    if (clicked and problem is not None) or results_view.fit_running():
        results_view.run(problem if clicked else None, compute)
else:  # a reload or a link reopened a saved run: its results stand without the file
    st.info("This analysis was reopened as it was saved. To run the models again, load its data on the Data page.")

analysis = state.analysis()
if analysis is None:
    st.info("Press 'Run models' to fit the baseline models and replay their decisions on your history.")
    st.stop()
impact = results_view.current_impact(analysis, problem)
answer_view.headline(impact)
st.page_link(
    navigation.IMPACT,
    label="Next: the money in detail, and what-if costs",
    icon=":material/arrow_forward:",
    query_params=state.query() or None,
)
results_view.failures(impact)
results_view.leakage_warnings(impact)
results_view.show_table(tables.compare_table(impact), impact.currency)
rest = impact.narrative.removeprefix(impact.answer).strip()
if rest:
    st.caption(widgets.plain(rest))
with st.expander("Money of each option, part by part"):
    st.plotly_chart(charts.money_by_model(impact), key="models.money")
per_unit = kinds.sections(analysis).per_unit
if per_unit is not None:
    with st.expander("Forecasts and decisions per series"):
        per_unit(analysis, impact, "models")
