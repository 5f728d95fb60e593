import streamlit as st

from payoff import errors
from payoff.ui import data_view, kinds, money_view, navigation, problem_view, status_quo_view

st.title("Problem")
prepared = data_view.require_prepared()

framing = problem_view.framing_cards(prepared)
about_data = st.container()  # what to fix on the Data page (the target, the features)
st.subheader("Prices and costs")
money_view.currency_choice()
money_view.parameter_inputs(framing, prepared)
asked = st.container()
meaning = st.container()
st.subheader("What you do today")
status_quo_view.status_quo_choice(framing, prepared)
about_status_quo = st.container()
kinds.for_framing(framing).settings(prepared)
design = st.container()
st.subheader("Models")
problem_view.model_choice(framing)
about_models = st.container()

# Each problem shows beside the choice that fixes it.
places = {
    errors.TARGET: about_data,
    errors.FEATURES: about_data,
    errors.SEGMENT: about_data,
    errors.PARAMS: asked,
    errors.STATUS_QUO: about_status_quo,
    errors.DESIGN: design,
    errors.MODELS: about_models,
}
problem = problem_view.current_problem(prepared, framing, places)
if problem is not None:
    with meaning:
        kinds.for_framing(framing).consequence(problem)
        problem_view.provenance(problem)
    with design:
        problem_view.describe_backtest(problem)
    problem_view.columns_used(problem)
    problem_view.leakage_section(problem, prepared)
st.page_link(navigation.MODELS, label="Next: run the models", icon=":material/arrow_forward:")
