"""Payoff's entry point: page config, the navigation over app_pages/, the analysis a link or a
reload names, and the shared sidebar. Every URL runs this file first (see payoff/ui/navigation.py
for why the folder is not pages/)."""

import streamlit as st

from payoff.ui import identity, saved_view, sessions, state
from payoff.ui.navigation import links, pages
from payoff.ui.widgets import sidebar_status

st.set_page_config(page_title="Payoff", page_icon="💰", layout="wide")  # an emoji: no request to a font CDN
page = st.navigation(pages(), position="hidden")  # our own links keep the page's address
sessions.look_after()  # ended, with its upload and tables, once its tab is closed for good (serve.py)
identity.gate()  # a server that expects signed-in users shows nothing to a session that names nobody
saved_view.open_from_url(landing_on_home=page.url_path == "")
state.sync_url()  # moving between pages may drop the query string: the URL names the analysis again
with st.sidebar:  # before the page: anything a page draws after st.stop() is never shown
    links(state.query())
if state.explanations_due():  # a run's explanations that came in meanwhile
    from payoff.ui import results_view  # only then: the charts it loads cost every page memory

    results_view.finish_explaining(wait=False)
status = sidebar_status()  # reads the widgets' own state, so it shows what this very run of the page chose
page.run()
# Again, with what the page itself chose: a first visit to the Problem page picks the framing its
# radio shows, and a run may just have been priced (while its explanations are worked out).
sidebar_status(status)
if state.explanations_due():  # the page is drawn: now wait for the explanations
    from payoff.ui import results_view

    results_view.finish_explaining(wait=True)
