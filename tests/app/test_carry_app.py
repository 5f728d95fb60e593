"""Carrying an analysis away in the app: autosave and the URL that names it (a reload reopens it),
?analysis=ID links, the Saved page (reopen, rename, delete, compare), a damaged database, and the
Decisions page's downloads and scoring of current entities."""

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from payoff import formatting
from payoff.carry.store import Store
from payoff.runtime import samples
from payoff.ui import state
from tests.app.conftest import APP, open_app, shown
from tests.corpus.carry_cases import LINK_CASES, current_file_cases

IMPACT = "app_pages/impact.py"
SAVED = "app_pages/saved.py"
DECISIONS = "app_pages/decisions.py"


def run_sample(sample: str) -> AppTest:
    at = open_app()
    at.button(key=f"w.home.sample.{sample}").click().run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    return at


def reload(query: dict[str, str], page: str | None = None) -> AppTest:
    """A new browser session on a URL: what a reload, a bookmark or a shared link does."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    if page:
        at.switch_page(page)
    return at.run()


def test_a_run_is_autosaved_and_a_reload_of_the_impact_page_shows_the_same_headline():
    at = run_sample("retail_sales")
    opened = at.session_state[state.OPENED]
    assert opened.autosave and at.query_params[state.QUERY_ANALYSIS] == opened.token == Store().get(opened.id).token
    at.switch_page(IMPACT).run()
    headline = at.metric[0].value
    again = reload({state.QUERY_ANALYSIS: opened.token}, IMPACT)
    assert not again.exception and again.metric[0].value == headline
    assert "reopened, as saved" in " ".join(c.value for c in again.sidebar.caption).replace("\\", "")
    assert Store().list() == []  # an autosave is not listed on the Saved page
    at.switch_page(SAVED).run()  # and the page says why, beside a sidebar saying "Autosaved"
    assert "Every run is kept on its own (a reload or its page's address reopens it)" in shown(at)


def test_a_reload_of_the_models_page_shows_the_reopened_results():
    at = run_sample("retail_sales")
    headline = at.metric[0].value
    again = reload({state.QUERY_ANALYSIS: at.session_state[state.OPENED].token}, "app_pages/models.py")
    assert not again.exception and again.title[0].value == "Models"
    assert again.metric[0].value == headline  # the run's results, not "Load data first"
    assert "reopened as it was saved" in shown(again) and "Load data first" not in shown(again)


def test_a_link_to_the_home_page_lands_on_the_impact_page_of_that_analysis():
    at = run_sample("churn_customers")
    token = at.session_state[state.OPENED].token
    gain = at.session_state[state.ANALYSIS].impact.recommended.gain
    linked = reload({state.QUERY_ANALYSIS: token})
    assert not linked.exception
    assert linked.title[0].value == "Impact" and linked.session_state[state.ANALYSIS].impact.recommended.gain == gain
    linked.number_input(key=state.WHATIF_PREFIX + "churn.contact_cost").set_value(40.0).run()
    assert not linked.exception and linked.metric[0].value != formatting.money(gain)  # what-ifs work on it
    linked.switch_page(DECISIONS).run()  # the other pages work on a reopened analysis
    assert not linked.exception and len(linked.dataframe[0].value) == 6000


@pytest.mark.parametrize(("value", "message"), LINK_CASES)
def test_a_bad_link_says_so_and_the_app_works(value, message):
    at = reload({state.QUERY_ANALYSIS: value})
    assert not at.exception and message in shown(at)
    assert state.QUERY_ANALYSIS not in at.query_params
    at.button(key="w.home.sample.retail_sales").click().run()
    assert not at.exception


def test_save_with_what_if_costs_then_reopen_rename_compare_and_delete():
    at = run_sample("churn_customers")
    at.switch_page(IMPACT).run()
    base = at.metric[0].value
    at.text_input(key=state.SAVE_NAME).input("churn at list costs")
    at.button[-1].click().run()  # the form's submit button
    assert "Saved as 'churn at list costs'" in shown(at)
    at.number_input(key=state.WHATIF_PREFIX + "churn.contact_cost").set_value(40.0).run()
    dearer = at.metric[0].value
    assert dearer != base
    at.text_input(key=state.SAVE_NAME).input("churn, calls at 40")
    at.button[-1].click().run()
    first, second = sorted(s.id for s in Store().list())
    assert Store().open(second).values["contact_cost"] == 40.0  # the what-if became its own cost

    at.switch_page(SAVED).run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert listed["Name"].tolist() == ["churn, calls at 40", "churn at list costs"]
    sentence = next(m.value for m in at.markdown if "Payoff's choice gains" in m.value).replace("\\", "")
    gain_a, gain_b = (Store().get(i).summary["recommended"]["gain"] for i in (second, first))  # A: the newest
    expected = (
        f"Payoff's choice gains {formatting.money(gain_a)} in A and {formatting.money(gain_b)} in B: "
        f"B is {formatting.money(abs(gain_b - gain_a))} {'more' if gain_b >= gain_a else 'less'}."
    )
    assert sentence == expected
    comparison = at.dataframe[1].value
    contact = comparison[comparison[""] == "Cost of a contact"].iloc[0].tolist()
    assert contact[1:] == ["40", "10"]

    at.selectbox(key=state.SAVED_PICK).set_value(first).run()
    at.button(key="w.saved.open").click().run()
    assert not at.exception and at.title[0].value == "Impact" and at.metric[0].value == base

    at.switch_page(SAVED).run()
    at.selectbox(key=state.SAVED_PICK).set_value(first).run()
    at.text_input(key=f"{state.SAVED_RENAME}.{first}").input("renamed")
    at.button[-1].click().run()
    assert "renamed" in at.dataframe[0].value["Name"].tolist()
    at.selectbox(key=state.SAVED_PICK).set_value(second).run()
    at.button(key="w.saved.delete").click().run()
    assert [s.name for s in Store().list()] == ["renamed"]


def test_a_damaged_database_is_reported_and_the_app_keeps_working(tmp_path, monkeypatch):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database" * 500)
    monkeypatch.setenv("PAYOFF_DB", str(damaged))
    at = open_app(SAVED)
    assert not at.exception and "damaged or not a Payoff database" in shown(at)
    at = run_sample("retail_sales")  # the run still lands; only the autosave is missing, and it says so
    assert "Not autosaved" in shown(at) and at.session_state[state.OPENED] is None
    at.switch_page(IMPACT).run()
    assert not at.exception and at.metric


def current_customers(rows: int = 150) -> bytes:
    history = pd.read_csv(io.BytesIO(samples.sample_bytes("churn_customers")))
    return history.drop(columns=["churned"]).head(rows).to_csv(index=False).encode()


def test_decisions_rank_an_uploaded_file_of_current_customers():
    at = run_sample("churn_customers")
    at.switch_page(DECISIONS).run()
    uploader = at.get("file_uploader")[0]
    uploader.set_value(("current.csv", current_customers(), "text/csv")).run()
    assert not at.exception
    ranked = at.dataframe[0].value
    assert len(ranked) == 150 and ranked["Rank"].tolist() == [str(i) for i in range(1, 151)]
    assert "Ignored (not used by the model): contacted." in shown(at)
    gain = at.session_state[state.ANALYSIS].impact.recommended.gain
    for case in current_file_cases():  # the bad-input corpus for this upload: a message, the session kept
        at.get("file_uploader")[0].set_value((case.name, case.content, "text/csv")).run()
        assert not at.exception, case.name
        for words in case.says:
            assert words in shown(at), (case.name, words)
        assert at.session_state[state.ANALYSIS].impact.recommended.gain == gain


@pytest.fixture()
def downloads(monkeypatch):
    """The bytes each download button hands the browser, by file name."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return real(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


def test_next_quantities_download_as_csv_and_a_four_sheet_workbook(downloads):
    at = run_sample("retail_sales")
    at.switch_page(DECISIONS).run()
    table = max((d.value for d in at.dataframe if "Likely low (10%)" in d.value.columns), key=len)  # the whole list
    assert {"Likely low (10%)", "Likely high (90%)", "Expected cost"} <= set(table.columns)
    content = downloads["payoff-next-decisions.csv"]
    assert content.startswith(b"\xef\xbb\xbf") and len(content.decode("utf-8-sig").splitlines()) == len(table) + 1
    book = openpyxl.load_workbook(io.BytesIO(downloads["payoff-next-decisions.xlsx"]))
    assert book.sheetnames == ["decisions", "next order", "assumptions", "model comparison"]
    assert book["next order"].max_row == 12 + 1  # every series on the first day: delivered every day
    assert book["decisions"].max_row == len(table) + 1
