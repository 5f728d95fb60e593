"""Payoff's entry point: page config, the navigation over app_pages/, and the shared sidebar.
Every URL runs this file first (see payoff/ui/navigation.py for why the folder is not pages/)."""

import streamlit as st

from payoff.ui.navigation import pages
from payoff.ui.widgets import sidebar_status

st.set_page_config(page_title="Payoff", page_icon=":material/payments:", layout="wide")
page = st.navigation(pages())
sidebar_status()
page.run()
