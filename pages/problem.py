import streamlit as st
from payoff.ui import widgets

st.title("Problem")
st.write(
    "Here you will choose the business question in plain words (stock, staff, whom to call), type prices and costs, and pick what you do today as the status quo."
)
widgets.next_step("This step is not built yet.", "pages/data.py", "First load data on the Data page")
