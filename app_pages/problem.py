import streamlit as st

from payoff.ui import data_view, money_view, navigation, problem_view

st.title("Problem")
prepared = data_view.require_prepared()

framing = problem_view.framing_cards(prepared)
st.subheader("Prices and costs")
money_view.currency_choice()
money_view.parameter_inputs(framing, prepared)
asked = st.container()
meaning = st.container()
st.subheader("What you do today")
problem_view.status_quo_choice(framing, prepared)
problem_view.family_settings(framing, prepared)
design = st.container()
st.subheader("Models")
problem_view.model_choice(framing)

problem = problem_view.current_problem(prepared, framing, asked)
if problem is not None:
    with meaning:
        problem_view.consequence(problem)
        problem_view.provenance(problem)
    with design:
        problem_view.describe_backtest(problem)
    problem_view.columns_used(problem)
    problem_view.leakage_section(problem, prepared)
st.page_link(navigation.MODELS, label="Next: run the models", icon=":material/arrow_forward:")
