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


def test_a_role_changed_in_the_table_shows_set_by_you_at_once(page: Page, server: str, tmp_path: Path):
    """The roles table is a grid drawn in Chromium: a role picked in it redraws the table, so
    the reason beside it reads 'set by you' at once, never Payoff's reason for the old role."""
    rows = "".join(f"2025-01-{day:02d},north,{10 + day},3\n" for day in range(1, 29))
    file = tmp_path / "shop.csv"
    file.write_text("date,store,units,staff_scheduled\n" + rows)
    goto(page, server, "data")
    page.locator('input[type="file"]').set_input_files(str(file))
    expect(page.get_by_text("Preview (28 rows × 4 columns)")).to_be_visible()
    wait_idle(page)
    roles = page.get_by_test_id("stDataFrame").last
    expect(roles.get_by_text("constant or empty")).to_have_count(2)  # the store, and today's constant rota
    roles.scroll_into_view_if_needed()
    expect(roles).to_be_in_viewport(ratio=1)
    box = roles.bounding_box()
    assert box is not None
    # header and rows are 35 pixels high: the fourth row (staff_scheduled), in the Role column
    page.mouse.dblclick(box["x"] + box["width"] * 0.45, box["y"] + 35 * 4 + 17)
    page.get_by_role("option", name="feature", exact=True).click()  # the role's drop-down, open
    expect(roles.get_by_text("feature", exact=True)).to_have_count(1)  # the grid holds the new role
    page.keyboard.press("Escape")
    page.mouse.click(box["x"] + 700, box["y"] - 40)  # away from the grid: the edit is sent
    wait_idle(page)
    expect(roles.get_by_text("set by you")).to_have_count(1, timeout=120_000)
    expect(roles.get_by_text("constant or empty")).to_have_count(1)
