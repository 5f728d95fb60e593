"""The app's pages: their files (relative to the entry script) and their place in the navigation.

The page files live in ``app_pages/``, not ``pages/``: Streamlit treats a ``pages/`` folder next to
the entry script as an old-style multipage app, so a freshly started server whose first request
is a page URL (a reload after a restart, a bookmark) would run that page alone, outside this
navigation. With no ``pages/`` folder, every URL goes through ``app.py``."""

from __future__ import annotations

import streamlit as st

HOME = "app_pages/home.py"
DATA = "app_pages/data.py"
PROBLEM = "app_pages/problem.py"
MODELS = "app_pages/models.py"
IMPACT = "app_pages/impact.py"
DECISIONS = "app_pages/decisions.py"
SAVED = "app_pages/saved.py"

TITLES = {
    HOME: ("Home", ":material/home:"),
    DATA: ("Data", ":material/description:"),
    PROBLEM: ("Problem", ":material/target:"),
    MODELS: ("Models", ":material/model_training:"),
    IMPACT: ("Impact", ":material/payments:"),
    DECISIONS: ("Decisions", ":material/task_alt:"),
    SAVED: ("Saved", ":material/bookmarks:"),
}


def pages() -> list[st.Page]:
    return [st.Page(path, title=title, icon=icon, default=path == HOME) for path, (title, icon) in TITLES.items()]


def links(query: dict[str, str]) -> None:
    """The pages as links that keep the page's address (`?analysis=ID&whatif=...`): Streamlit's own
    menu drops it, so a page opened from it in a new tab had nothing to show."""
    for path, (title, icon) in TITLES.items():
        st.page_link(path, label=title, icon=icon, query_params=query or None)
