"""Payoff's entry point: page config, navigation over pages/, and the shared sidebar."""

import streamlit as st

from payoff.ui.widgets import sidebar_status

st.set_page_config(page_title="Payoff", page_icon="💰", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/data.py", title="Data", icon="📄"),
    st.Page("pages/problem.py", title="Problem", icon="🎯"),
    st.Page("pages/models.py", title="Models", icon="⚙️"),
    st.Page("pages/impact.py", title="Impact", icon="💰"),
    st.Page("pages/decisions.py", title="Decisions", icon="✅"),
    st.Page("pages/saved.py", title="Saved", icon="💾"),
]

page = st.navigation(PAGES)
sidebar_status()
page.run()
