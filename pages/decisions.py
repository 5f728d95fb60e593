import streamlit as st
from payoff.ui import widgets

st.title("Decisions")
st.write(
    "Here you will get the decisions the best model recommends next (order quantities, staff, whom to act on), ready to export."
)
widgets.next_step("This step is not built yet.", "pages/models.py", "First run the models on the Models page")
