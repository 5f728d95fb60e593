"""Fresh stock in real Chromium: a store manager sets how long it keeps, the delivery days and the
case size on the Problem page, runs, reads the cost of a service level and one series' stock
ledger, and downloads the next deliveries."""

import csv
import io
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import goto, to_the_impact_page, wait_idle


def test_fresh_settings_to_money_ledger_and_next_deliveries(page: Page, server: str):
    goto(page, server)
    card = page.get_by_test_id("stVerticalBlock").filter(has_text="Café chain: daily sales").last
    card.get_by_role("button", name="Use this sample").click()
    expect(page.get_by_role("heading", name="Models")).to_be_visible()
    wait_idle(page)
    page.get_by_role("link", name="Problem", exact=True).click()
    wait_idle(page)
    keeps = page.get_by_role("spinbutton", name="Keeps for (days)")
    keeps.fill("5")
    keeps.press("Enter")
    wait_idle(page)
    cases = page.get_by_role("spinbutton", name="Sold in cases of (units)")
    cases.fill("6")
    cases.press("Enter")
    wait_idle(page)
    days = page.get_by_test_id("stMultiSelect").filter(has_text="Delivered on")
    for day in ("Mon", "Thu"):
        # Centred first: at the window's bottom edge (where scrolling into view leaves it, at
        # 1280x720) a click focuses the box but its list never opens.
        days.evaluate("box => box.scrollIntoView({block: 'center'})")
        days.locator("input").click()
        page.get_by_role("option", name=day, exact=True).click()
        wait_idle(page)
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Models", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Run models").click()
    expect(page.get_by_test_id("stMetric").first).to_contain_text("money saved", timeout=180_000)
    wait_idle(page)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    # Kept where a reload finds it: delivery days ("Mon, Thu" in its summary) once made every
    # such run's autosave fail as a damaged row. Waited for before leaving the page: the app
    # reruns once the explanations are in, and a link clicked as that rerun starts was undone
    # (the fresh-clone CI on 8ceb72a stayed on Models).
    to_the_impact_page(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Autosaved (analysis")
    page.get_by_role("tab", name="Where the gain comes from").click()
    expect(page.get_by_text("What a service level costs")).to_be_visible()
    expect(page.get_by_text("a month more than 1 in 10 (10%)")).to_be_visible()
    expect(page.get_by_text("The stock ledger of one series")).to_be_visible()
    expect(page.get_by_text("Every unit is accounted for")).to_be_visible()

    page.get_by_role("link", name="Decisions", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("The next order,").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    delivered = [row for row in rows if row["Quantity to stock"]]
    assert {"Expected order", "Cases to order (expected)", "Expected waste", "Chance of running short"} <= set(rows[0])
    assert delivered and len(delivered) < len(rows) / 2  # two delivery days a week
    expect(page.get_by_text("Traceback")).to_have_count(0)
