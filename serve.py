"""Payoff's server: `streamlit run serve.py` serves app.py (every page, the same as `streamlit run
app.py`) with what Payoff adds to Streamlit's web server: security headers on every response, the
metrics endpoint off, and the sessions of closed tabs ended with their uploads and tables
(payoff/ui/server.py, payoff/ui/sessions.py). `make run` starts it."""

import os

# Arrow allocates through the C library's malloc, whose free pages Payoff hands back to the system
# when a session ends: Arrow's own allocator (mimalloc) kept 500 MB of a closed 200 MB upload.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import streamlit as st

from payoff.ui.server import lifespan, middleware

app = st.App("app.py", middleware=middleware(), lifespan=lifespan)
