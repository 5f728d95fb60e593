"""Carrying an analysis away, in real Chromium: a reload of the Impact page keeps the analysis, a
saved analysis opens from its link in a fresh session, the report and the workbook download, and
the report opens offline with no console error, no request and no script from user text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import expected_headline, goto, run_sample_to_headline, wait_idle

HOSTILE_COLUMN = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "</script><script>alert(1)</script>"


@pytest.fixture(scope="module")
def money() -> str:
    return expected_headline("retail_sales")


def test_reload_keeps_the_analysis_and_a_saved_link_opens_it(page: Page, server: str, browser: Browser, money: str):
    run_sample_to_headline(page, server, "Café chain: daily sales", "money saved", money)
    expect(page).to_have_url(re.compile(r"/impact\?analysis=[0-9a-f]{32}$"))
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Impact")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(money)

    page.get_by_role("button", name="Save").first.click()  # the popover beside the headline
    page.get_by_label("Save this analysis, at the costs on screen, as").fill("café, list prices")
    page.get_by_test_id("stForm").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved as 'café, list prices'")).to_be_visible()
    wait_idle(page)
    goto(page, server, "saved")
    page.get_by_role("button", name="Share its link").click()
    link = page.get_by_role("link", name="Open it here")
    href = link.get_attribute("href")
    expect(page.get_by_test_id("stCode")).to_contain_text("/impact?analysis=")  # the whole link, with a copy button
    assert href is not None and re.search(r"impact\?analysis=[0-9a-f]{32}$", href)

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})  # another person, another session
    try:
        other = fresh.new_page()
        other.set_default_timeout(60_000)
        other.goto(href if href.startswith("http") else f"{server}/{href.lstrip('/')}")
        wait_idle(other)
        expect(other.get_by_role("heading", name="Impact")).to_be_visible()
        expect(other.get_by_test_id("stMetricValue").first).to_have_text(money)
    finally:
        fresh.close()


def test_report_and_workbook_download(page: Page, server: str, browser: Browser, money: str, tmp_path: Path):
    run_sample_to_headline(page, server, "Café chain: daily sales", "money saved", money)
    with page.expect_download(timeout=120_000) as report:
        page.get_by_role("button", name="Report (HTML)").click()
    saved = tmp_path / "report.html"
    report.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert "Model comparison" in html and money in html
    open_offline(browser, saved, expect_text=money)

    page.get_by_role("link", name="Decisions").click()
    expect(page.get_by_role("heading", name="Decisions")).to_be_visible()
    wait_idle(page)
    with page.expect_download() as workbook:
        page.get_by_role("button", name="Download Excel (with the assumptions and the comparison)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(workbook.value.path()).read_bytes()))
    assert book.sheetnames == ["decisions", "next order", "assumptions", "model comparison"]
    assert book["decisions"].max_row == 12 * 28 + 1


def open_offline(browser: Browser, path: Path, expect_text: str) -> Page:
    """Open a report from disk with the network refused: every request, console error and dialog
    (an alert() would be one) is recorded and must be absent."""
    context = browser.new_context(offline=True)
    requests: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        expect(page.locator(".js-plotly-plot").first).to_be_visible()  # plotly.js ran, from the file itself
        expect(page.get_by_text(expect_text).first).to_be_visible()
        assert [u for u in requests if not u.startswith(("file://", "data:", "blob:"))] == []
        assert errors == [] and dialogs == []
    finally:
        context.close()
    return page


def test_a_report_with_hostile_names_shows_them_as_text(browser: Browser, tmp_path: Path):
    from payoff.analysis import run_analysis
    from payoff.carry.report import build_report
    from payoff.data.roles import suggest_roles
    from payoff.problem import make_problem
    from tests.helpers import sample_analysis

    frame = sample_analysis("churn_customers", "churn").problem.table.copy()
    frame = frame.rename(columns={"region": HOSTILE_COLUMN})
    frame["customer_id"] = [f"{HOSTILE_ID}{i}" for i in range(len(frame))]
    problem = make_problem(frame, suggest_roles(frame), "churn", segment=HOSTILE_COLUMN, source="<b>x</b>.csv")
    path = tmp_path / "hostile.html"
    path.write_text(build_report(run_analysis(problem)), encoding="utf-8")
    context = browser.new_context(offline=True)
    dialogs: list[str] = []
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        assert page.title() == "Payoff: Which customers to call to stop churn on <b>x</b>.csv"
        expect(page.get_by_role("cell", name=HOSTILE_COLUMN, exact=True)).to_be_visible()
        expect(page.get_by_text(f"Where the gain comes from: by {HOSTILE_COLUMN}")).to_be_visible()
        assert page.locator("td", has_text=HOSTILE_ID).count() > 0
        assert page.locator("img").count() == 0 and page.locator("b").count() == 0
        assert dialogs == [] and errors == []
    finally:
        context.close()


def test_a_saved_analysis_reopens_in_a_server_started_after_it_was_saved(browser: Browser, tmp_path: Path):
    from payoff import formatting
    from payoff.carry.results import to_json
    from payoff.carry.store import Store
    from tests.e2e.conftest import streamlit_server
    from tests.helpers import sample_analysis

    database = tmp_path / "restart.sqlite"
    analysis = sample_analysis("churn_customers", "churn")
    store = Store(database)
    token = store.get(store.save("churn for the board", analysis, to_json(analysis))).token
    with streamlit_server(database) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{url}/?analysis={token}")
            wait_idle(page)
            expect(page.get_by_role("heading", name="Impact")).to_be_visible()
            expect(page).to_have_url(re.compile(rf"/impact\?analysis={token}$"))
            expected = formatting.money(analysis.impact.recommended.gain)
            expect(page.get_by_test_id("stMetricValue").first).to_have_text(expected)
            expect(page.get_by_text("Saved as: churn for the board")).to_be_visible()
        finally:
            context.close()
