"""A freshly started server whose first request is a page URL (a tab reloading after a restart,
a bookmark) renders that page inside the app's own navigation, for every page."""

import pytest
from playwright.sync_api import Browser, expect

from payoff.ui import navigation
from tests.e2e.conftest import streamlit_server, wait_idle

PAGES = [(path, title) for path, (title, _) in navigation.TITLES.items() if path != navigation.HOME]


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[title for _, title in PAGES])
def test_first_request_to_a_page_url_gets_the_app_navigation(browser: Browser, tmp_path, path, title):
    url_path = path.removeprefix("app_pages/").removesuffix(".py")
    with streamlit_server(tmp_path / "analyses.sqlite") as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{server}/{url_path}")  # the very first request this server receives
        expect(page.locator('[data-testid="stApp"]')).to_be_visible()
        wait_idle(page)
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        navigation_bar = page.get_by_test_id("stSidebar")  # the app's own links (they keep ?analysis=)
        for other_title, _ in navigation.TITLES.values():
            expect(navigation_bar.get_by_role("link", name=other_title, exact=True)).to_be_visible()
        expect(navigation_bar.get_by_text("app", exact=True)).to_have_count(0)  # no raw file names
        expect(page.get_by_text("Your analysis")).to_be_visible()  # the entry's sidebar status ran
        context.close()
