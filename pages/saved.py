import streamlit as st

from payoff.ui import widgets

st.title("Saved")
st.write("Here you will find analyses you saved, to reopen and compare.")
widgets.next_step("This step is not built yet.", "pages/impact.py", "First run an analysis")
