"""The targeting journey in real Chromium: the churn sample, a run, then a threshold move that
changes the money."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import expected_headline, run_sample_to_headline, wait_idle


def test_churn_threshold_changes_the_money(page: Page, server: str):
    money = expected_headline("churn_customers")
    run_sample_to_headline(page, server, "Subscriptions: who churned", "money gained", money)
    value = page.get_by_test_id("stMetricValue").first
    page.get_by_role("button", name="Change the costs").click()  # the what-if popover beside the headline
    page.get_by_text("probability threshold").click()
    expect(page.get_by_text("Contact when the chance that it churns is at least")).to_be_visible()
    expect(value).not_to_have_text(money)  # a 0.50 cut-off instead of the expected-value rule
    wait_idle(page)
    expect(page.get_by_text("Traceback")).to_have_count(0)
