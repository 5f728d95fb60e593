"""The intake journeys in real Chromium: open the home page, load a sample, upload a file."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import goto, wait_idle

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "files"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def test_home_page_explains_payoff(page: Page, server: str):
    goto(page, server)
    expect(page.get_by_role("heading", name="Payoff")).to_be_visible()
    expect(page.get_by_text("against what you do today")).to_be_visible()
    expect(page.get_by_role("button", name="Use this sample")).to_have_count(6)


def test_load_a_sample_on_the_data_page(page: Page, server: str):
    goto(page, server, "data")
    page.get_by_role("button", name="Load sample").click()
    expect(page.get_by_text("Preview (8,760 rows")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("What Payoff understood")).to_be_visible()
    expect(page.get_by_text("Column roles")).to_be_visible()


def test_upload_through_the_file_chooser_shows_the_preview(page: Page, server: str):
    goto(page, server, "data")
    page.locator('input[type="file"]').set_input_files(str(CORPUS / "semicolon_decimal_comma.csv"))
    expect(page.get_by_text("Preview (3 rows × 3 columns)")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("semicolon_decimal_comma.csv").first).to_be_visible()


def test_bad_upload_shows_a_message_and_the_session_survives(page: Page, server: str):
    goto(page, server, "data")
    chooser = page.locator('input[type="file"]')
    chooser.set_input_files(str(CORPUS / "unterminated_quote.csv"))
    expect(page.get_by_text("never closed")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    chooser.set_input_files(str(CORPUS / "pipe.csv"))
    expect(page.get_by_text("Preview (2 rows × 2 columns)")).to_be_visible()


def test_the_problem_page_first_opened_names_its_picked_question_in_the_sidebar(page: Page, server: str):
    # The sidebar is drawn before the page; on the first visit the page's radio picks the question,
    # and the sidebar said "not chosen yet" beside it until the next rerun.
    goto(page, server, "data")
    page.locator('input[type="file"]').set_input_files(str(SAMPLES / "retail_sales.csv"))
    expect(page.get_by_text("Preview (8,760 rows")).to_be_visible()
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Problem").click()
    expect(page.get_by_role("heading", name="Problem")).to_be_visible()
    wait_idle(page)
    picked = page.get_by_test_id("stRadio").first.locator("label:has(input:checked)").first
    title = picked.inner_text().splitlines()[0].strip()
    assert title, "the framing radio shows no pick"
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Question: {title}")
    expect(page.get_by_test_id("stSidebar")).not_to_contain_text("not chosen yet")


def test_a_new_file_shows_its_own_reading_options_not_the_last_files(page: Page, server: str):
    # A widget keeps what it showed under its key in the browser, and a new file's widgets reuse
    # the last file's keys: a box kept showing what was typed for the last file (the table shape
    # picked for it showed beside a sidebar naming the new file's) and would have sent it back at
    # the next click on the page. A number typed, not a list opened: a rerun landing while a
    # list is open closes it (the fresh-clone CI on 23314d8 and b708cf2).
    goto(page, server, "data")
    chooser = page.locator('input[type="file"]')
    chooser.set_input_files(str(SAMPLES / "retail_sales.csv"))
    expect(page.get_by_test_id("stSidebar")).to_contain_text("retail_sales.csv (8,760 rows, time series)")
    wait_idle(page)
    page.get_by_text("Reading options (change anything Payoff guessed wrong)").click()
    above = page.get_by_role("spinbutton", name="Lines above the header (-1 = detect)")
    expect(above).to_have_value("-1")
    above.fill("0")
    above.press("Enter")
    wait_idle(page)
    expect(above).to_have_value("0")
    chooser.set_input_files(str(SAMPLES / "churn_customers.csv"))
    expect(page.get_by_test_id("stSidebar")).to_contain_text("churn_customers.csv")
    wait_idle(page)
    expect(page.locator('input[aria-label="Lines above the header (-1 = detect)"]')).to_have_value("-1")
