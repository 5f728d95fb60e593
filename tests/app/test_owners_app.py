"""Owners through the app (issue 18): behind a sign-in proxy ($PAYOFF_USER_HEADER) or Streamlit's own
sign-in, a session that names nobody sees nothing; each user's Saved page lists their own analyses
and the team's shared ones, and the owner's switch shares one; the link corpus
(tests/corpus/owner_cases.py) gives its one line and the session goes on. AppTest cannot send
request headers, so the header's value is patched in where identity reads it; the browser test
(tests/e2e/test_owners_journey.py) sends real ones."""

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from payoff.carry.store import Store
from payoff.ui import state
from tests.app.conftest import APP, shown
from tests.corpus.owner_cases import ALICE, BOB, LINKS, team_file

SAVED = "app_pages/saved.py"
HEADER = "X-Payoff-User"


@pytest.fixture
def signed_in(monkeypatch):
    """Header mode; `signed_in.user` is what the proxy sends (None: no header)."""

    class Proxy:
        user: str | None = None

    proxy = Proxy()
    monkeypatch.setenv("PAYOFF_USER_HEADER", HEADER)
    monkeypatch.setattr("payoff.ui.identity._header", lambda name: proxy.user if name == HEADER else None)
    return proxy


def database() -> Path:
    return Path(os.environ["PAYOFF_DB"])


def open_page(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_a_session_without_the_header_sees_nothing(signed_in):
    team_file(database())
    at = open_page()
    assert not at.exception
    assert shown(at) == (
        f"Payoff could not tell who you are: this server takes your name from the sign-in proxy (the {HEADER} "
        "header), and this request came without it. Open Payoff at its usual address, through the sign-in page, "
        "or ask whoever runs it."
    )
    assert not at.title and not at.button  # no page ran: no sample to load, no analysis to open


def test_each_user_lists_their_own_and_the_shared_ones_and_shares_with_a_switch(signed_in):
    team = team_file(database())
    signed_in.user = ALICE
    at = open_page(SAVED)
    listed = at.dataframe[0].value
    assert listed["Number"].tolist() == [str(team.alice_shared[0]), str(team.alice[0])]
    assert listed["Owner"].tolist() == ["you", "you"] and listed["Shared with the team"].tolist() == ["yes", "no"]
    at.selectbox(key=state.SAVED_PICK).set_value(team.alice[0]).run()
    at.toggle(key=f"{state.SAVED_SHARE}.{team.alice[0]}").set_value(True).run()
    assert not at.exception and Store(database(), user=BOB).get(team.alice[0]).shared

    signed_in.user = BOB
    at = open_page(SAVED)
    assert at.dataframe[0].value["Number"].tolist() == [
        str(i) for i in (team.bob[0], team.alice_shared[0], team.alice[0])
    ]
    assert at.dataframe[0].value["Owner"].tolist() == ["you", ALICE, ALICE]
    at.selectbox(key=state.SAVED_PICK).set_value(team.alice[0]).run()
    switch = at.toggle(key=f"{state.SAVED_SHARE}.{team.alice[0]}")
    assert switch.disabled and switch.value and f"Shared with the team by {ALICE}." in shown(at)


@pytest.mark.parametrize("case", LINKS, ids=lambda c: c.name)
def test_a_link_that_must_open_nothing_says_so_and_the_session_goes_on(case, signed_in, tmp_path, monkeypatch):
    path, raw = case.make(tmp_path)
    monkeypatch.setenv("PAYOFF_DB", str(path))
    if case.user is None:
        monkeypatch.delenv("PAYOFF_USER_HEADER")
    signed_in.user = case.user
    at = open_page(query={state.QUERY_ANALYSIS: raw})
    assert not at.exception
    assert case.says.format(raw) in shown(at), shown(at)
    assert state.QUERY_ANALYSIS not in at.query_params and state.ANALYSIS not in at.session_state
    at.button(key="w.home.sample.retail_sales").click().run()
    assert not at.exception


def test_streamlit_sign_in_asks_to_sign_in_then_lists_the_users_own(tmp_path):
    team = team_file(database())
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert "Sign in to use Payoff" in shown(at) and at.button(key="w.sign_in").label == "Sign in"
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": BOB}
    at.run()
    at.switch_page(SAVED).run()
    assert at.dataframe[0].value["Number"].tolist() == [str(team.bob[0]), str(team.alice_shared[0])]
