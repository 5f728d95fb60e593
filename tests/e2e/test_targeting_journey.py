"""The targeting journey in real Chromium: the churn sample, a run, then a threshold move that
changes the money."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import goto, wait_idle


def test_churn_threshold_changes_the_money(page: Page, server: str):
    goto(page, server)
    card = page.get_by_test_id("stVerticalBlock").filter(has_text="Subscriptions: who churned").last
    card.get_by_role("button", name="Use this sample").click()
    expect(page.get_by_role("heading", name="Models")).to_be_visible()
    wait_idle(page)
    page.get_by_role("button", name="Run models").click()
    headline = page.get_by_test_id("stMetric").first
    expect(headline).to_contain_text("money gained", timeout=180_000)
    expect(headline).to_contain_text("50,611")
    wait_idle(page)
    page.get_by_role("link", name="Next: the money in detail, and what-if costs").click()
    expect(page.get_by_role("heading", name="Impact")).to_be_visible()
    wait_idle(page)
    value = page.get_by_test_id("stMetricValue").first
    expect(value).to_have_text("50,611")
    page.get_by_text("probability threshold").click()
    expect(page.get_by_text("Act when the probability is at least")).to_be_visible()
    expect(value).not_to_have_text("50,611")  # a 0.50 cut-off instead of the expected-value rule
    wait_idle(page)
    expect(page.get_by_text("Traceback")).to_have_count(0)
