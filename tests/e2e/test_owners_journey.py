"""Two users behind a sign-in proxy, in real Chromium (issue 18): the server takes the user from the
request header named by PAYOFF_USER_HEADER, and each browser context sends its own (as a proxy
would). Alice's run is autosaved under a token link that Bob's browser cannot open; once kept
under a name (the Impact page's save form has its own test, test_carry_journey.py), Bob neither
opens nor sees it until Alice shares it with the team on the Saved page; a browser that sends no
header sees nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from payoff.carry.store import Store
from tests.corpus.carry_cases import NO_SUCH_TOKEN
from tests.e2e.conftest import expected_headline, goto, run_sample_to_headline, streamlit_process, wait_idle

HEADER = "X-Payoff-User"
ALICE, BOB = "alice@example.com", "bob@example.com"


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    database = tmp_path_factory.mktemp("team") / "analyses.sqlite"
    with streamlit_process(database, {"PAYOFF_USER_HEADER": HEADER}) as (url, _):
        yield url, database


def browser_of(browser: Browser, user: str | None) -> Page:
    headers = {HEADER: user} if user else {}
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US", extra_http_headers=headers)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def text(page: Page) -> str:
    return page.locator("body").inner_text()


def test_two_users_each_see_their_own_until_one_shares(browser: Browser, team_server: tuple[str, Path]):
    server, database = team_server
    money = expected_headline("retail_sales")
    alice, bob = browser_of(browser, ALICE), browser_of(browser, BOB)
    try:
        run_sample_to_headline(alice, server, "Café chain: daily sales", "money saved", money)
        expect(alice).to_have_url(re.compile(r"/impact\?analysis=[0-9a-f]{32}$"))
        token = alice.url.rsplit("=", 1)[1]
        bob.goto(alice.url)  # Alice's unsaved run
        wait_idle(bob)
        expect(bob.get_by_text(NO_SUCH_TOKEN)).to_be_visible()
        assert money not in text(bob)

        Store(database, user=ALICE).rename(token, "alice's café")  # kept under a name, as the save form does
        goto(alice, server, "saved")
        alice.get_by_role("button", name="Share its link").click()
        href = alice.get_by_role("link", name="Open it here").get_attribute("href")
        alice.keyboard.press("Escape")  # the popover closes
        assert href is not None and href.endswith(f"impact?analysis={token}")
        link = href if href.startswith("http") else f"{server}/{href.lstrip('/')}"
        bob.goto(link)
        wait_idle(bob)
        expect(bob.get_by_text(NO_SUCH_TOKEN)).to_be_visible()
        goto(bob, server, "saved")
        expect(bob.get_by_text("No saved analyses yet.")).to_be_visible()

        alice.get_by_text("Share with the team").click()  # the owner's switch
        wait_idle(alice)
        expect(alice.get_by_role("switch", name="Share with the team")).to_be_checked()

        bob.goto(link)
        wait_idle(bob)
        expect(bob.get_by_role("heading", name="Impact")).to_be_visible()
        expect(bob.get_by_test_id("stMetricValue").first).to_have_text(money)
        goto(bob, server, "saved")
        expect(bob.get_by_text(f"Shared with the team by {ALICE}.")).to_be_visible()
        expect(bob.get_by_role("switch", name="Share with the team")).to_be_disabled()
    finally:
        alice.context.close()
        bob.context.close()


def test_a_browser_without_the_header_sees_nothing(browser: Browser, team_server: tuple[str, Path]):
    nobody = browser_of(browser, None)
    try:
        goto(nobody, team_server[0], "saved")
        expect(nobody.get_by_text("Payoff could not tell who you are")).to_be_visible()
        expect(nobody.get_by_role("heading", name="Saved")).to_have_count(0)
        expect(nobody.get_by_role("button", name="Use this sample")).to_have_count(0)
    finally:
        nobody.context.close()
