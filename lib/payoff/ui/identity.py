"""Who is using the app, for the saved analyses they may see (payoff.runtime.owners, payoff.carry.store):

- behind a sign-in proxy, the user the proxy names in the request header $PAYOFF_USER_HEADER
  (Streamlit gives the headers of the request that opened the session, ``st.context.headers``);
- else, with Streamlit's own sign-in configured (an ``[auth]`` section in
  ``.streamlit/secrets.toml``), the signed-in user's email (or subject);
- else nobody in particular: single-user mode, where the one user sees every analysis.

In the first two modes a request that names no user sees nothing: the page says how to sign in
and stops, so reaching the server past the proxy opens nobody's analyses."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from payoff.carry.store import Store
from payoff.runtime.owners import UnknownUser, clean_user
from payoff.runtime.settings import Settings
from payoff.ui.widgets import plain

Mode = Literal["header", "streamlit", "single"]


def mode() -> Mode:
    if Settings.from_env().user_header is not None:
        return "header"
    if "is_logged_in" in st.user:  # Streamlit sets it only when its sign-in is configured
        return "streamlit"
    return "single"


def _header(name: str) -> str | None:
    return st.context.headers.get(name)


def current_user() -> str | None:
    """The signed-in user; None in single-user mode. Raises UnknownUser in the other modes when
    this session names nobody (gate() has already stopped such a run)."""
    how = mode()
    if how == "single":
        return None
    if how == "header":
        header = Settings.from_env().user_header or ""
        user = clean_user(_header(header), f"the {header} header")
        if user is None:
            raise UnknownUser(
                f"Payoff could not tell who you are: this server takes your name from the sign-in proxy (the "
                f"{header} header), and this request came without it. Open Payoff at its usual address, through "
                "the sign-in page, or ask whoever runs it."
            )
        return user
    if not st.user.get("is_logged_in"):
        raise UnknownUser("Sign in to use Payoff: your saved analyses are yours, and the team's shared ones.")
    signed_in = st.user.get("email") or st.user.get("sub")
    name = clean_user(signed_in if isinstance(signed_in, str) else None, "the signed-in user's email")
    if name is None:
        raise UnknownUser("Your sign-in gave Payoff no email or subject to know you by; ask whoever runs Payoff.")
    return name


def gate() -> None:
    """End the run (with how to sign in) when the server expects a user and this session has none."""
    try:
        current_user()
    except UnknownUser as error:
        st.error(plain(str(error)), icon=":material/lock:")
        if mode() == "streamlit":
            st.button("Sign in", key="w.sign_in", on_click=st.login, type="primary")
        st.stop()


def store() -> Store:
    """The saved analyses this session's user may see (every one in single-user mode)."""
    return Store(user=current_user())


def multi_user() -> bool:
    return mode() != "single"
