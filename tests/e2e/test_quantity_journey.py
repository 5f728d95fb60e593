"""The quantity journey in real Chromium: a sample, a run, the headline, and a cost what-if."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import expected_headline, run_sample_to_headline, wait_idle


def test_sample_to_headline_and_what_if(page: Page, server: str):
    money = expected_headline("retail_sales")
    run_sample_to_headline(page, server, "Café chain: daily sales", "money saved", money)
    metric = page.get_by_test_id("stMetricValue").first
    page.get_by_role("button", name="Change the costs").click()  # the what-if popover beside the headline
    salvage = page.get_by_role("spinbutton", name="Salvage value (per unit)")
    salvage.fill("1.00")
    salvage.press("Enter")
    expect(metric).not_to_have_text(money)
    wait_idle(page)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    # the manager's questions, answered on the same page under tabs: which assumption matters, where it pays
    page.keyboard.press("Escape")  # the popover closes
    page.get_by_role("tab", name="What if our costs are wrong?").click()
    expect(page.get_by_role("heading", name="Which assumption matters most")).to_be_visible()
    expect(page.get_by_text("Selling price: Pays off").first).to_be_visible()
    page.get_by_role("tab", name="Where the gain comes from").click()
    expect(page.get_by_text("Payoff's choice gains in every store")).to_be_visible()
