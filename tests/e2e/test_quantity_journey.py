"""The quantity journey in real Chromium: a sample, a run, the headline, and a cost what-if."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import goto, wait_idle


def test_sample_to_headline_and_what_if(page: Page, server: str):
    goto(page, server)
    page.get_by_role("button", name="Use this sample").first.click()  # the café chain's sales
    expect(page.get_by_role("heading", name="Models")).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name="Run models").click()
    headline = page.get_by_test_id("stMetric").first
    expect(headline).to_contain_text("money saved", timeout=180_000)
    expect(headline).to_contain_text("5,955")
    wait_idle(page)
    page.get_by_role("link", name="Next: the money in detail, and what-if costs").click()
    expect(page.get_by_role("heading", name="Impact")).to_be_visible()
    wait_idle(page)
    metric = page.get_by_test_id("stMetricValue").first
    expect(metric).to_have_text("5,955")
    salvage = page.get_by_role("spinbutton", name="Salvage value (per unit)")
    salvage.fill("1.00")
    salvage.press("Enter")
    expect(metric).not_to_have_text("5,955")
    wait_idle(page)
    expect(page.get_by_text("Traceback")).to_have_count(0)
