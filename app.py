"""Payoff's entry point: page config, navigation over pages/, and the shared sidebar."""

import streamlit as st

from payoff.ui.widgets import sidebar_status

st.set_page_config(page_title="Payoff", page_icon=":material/payments:", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/data.py", title="Data", icon=":material/description:"),
    st.Page("pages/problem.py", title="Problem", icon=":material/target:"),
    st.Page("pages/models.py", title="Models", icon=":material/model_training:"),
    st.Page("pages/impact.py", title="Impact", icon=":material/payments:"),
    st.Page("pages/decisions.py", title="Decisions", icon=":material/task_alt:"),
    st.Page("pages/saved.py", title="Saved", icon=":material/bookmarks:"),
]

page = st.navigation(PAGES)
sidebar_status()
page.run()
