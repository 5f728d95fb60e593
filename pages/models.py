import streamlit as st
from payoff.ui import widgets

st.title("Models")
st.write("Here Payoff will fit simple baseline models on your history and replay their decisions, model by model.")
widgets.next_step("This step is not built yet.", "pages/problem.py", "First choose a problem on the Problem page")
