import streamlit as st

from payoff.ui import data_view, problem_view, state

st.title("Problem")
prepared = data_view.require_prepared()

framing = problem_view.framing_cards(prepared)
st.subheader("Prices and costs")
params = problem_view.parameter_inputs(framing, prepared)
state.set_params(params)
problem_view.consequence(framing, params, prepared)

settings = state.settings()
settings["framing"] = framing.key
st.subheader("What you do today")
settings["status_quo"] = problem_view.status_quo_choice(framing, prepared, settings)
if framing.family == "quantity":
    st.subheader("Backtest")
    problem_view.backtest_settings(prepared, settings)
if framing.family == "targeting":
    st.subheader("Before fitting: leakage check")
    problem_view.leakage_guard(prepared)
st.subheader("Models")
problem_view.model_choice(framing, settings)
state.set_settings(settings)
st.page_link("pages/models.py", label="Next: run the models", icon=":material/arrow_forward:")
