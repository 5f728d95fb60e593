import streamlit as st
from payoff.ui import widgets

st.title("Impact")
st.write(
    "Here you will see what each model's decisions would have cost or earned against the status quo, with what-if cost controls."
)
widgets.next_step("This step is not built yet.", "pages/models.py", "First run the models on the Models page")
