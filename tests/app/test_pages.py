"""Every page renders from an empty session and from a loaded sample, without an exception."""

import pytest
from streamlit.testing.v1 import AppTest

from payoff.data.roles import Role
from payoff.runtime import samples
from payoff.ui import state
from tests.app.conftest import APP, PAGES, load_sample, no_html, open_app


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_from_empty_session(page):
    at = open_app(page)
    assert not at.exception
    no_html(at)
    if page != "app_pages/home.py":
        assert at.info or at.title  # says what comes first


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_a_loaded_sample(page):
    at = load_sample(open_app(), "retail_sales")
    at.switch_page(page).run()
    assert not at.exception
    assert at.session_state[state.DATASET].name == "retail_sales.csv"  # the session survived


def test_sidebar_shows_the_analysis_status():
    # AppTest drops the sidebar after switch_page, so the status is checked on the entry page
    # with the session a sample load leaves behind.
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.DATASET] = state.DatasetState("retail_sales.csv", samples.sample_bytes("retail_sales"))
    at.session_state[state.CHOICES] = state.Choices(framing="perishable")
    at.run()
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "retail\\_sales\\.csv" in sidebar and "perishable" in sidebar and "none yet" in sidebar


def test_home_explains_and_offers_every_sample():
    at = open_app()
    text = " ".join(m.value for m in at.markdown)
    assert "money" in text and "against what you do today" in text
    keys = {b.key for b in at.button}
    assert {f"w.home.sample.{s.name}" for s in samples.SAMPLES} <= keys


def test_home_sample_button_loads_the_data_and_framing():
    at = open_app()
    at.button(key="w.home.sample.call_centre").click().run()
    assert not at.exception
    assert at.session_state[state.DATASET].name == "call_centre.csv"
    assert at.session_state[state.CHOICES].framing == "staffing"


def test_data_page_shows_detection_roles_and_findings():
    at = load_sample(open_app(), "retail_sales")
    assert not at.exception
    detected = at.dataframe[0].value
    assert dict(zip(detected["What"], detected["Detected"], strict=True))["Separator"] == "comma"
    prepared = at.session_state[state.PREPARED]
    assert prepared.roles.one(Role.TARGET) == "units_sold"
    assert prepared.roles.columns(Role.SERIES_KEY) == ["store", "item"]
    assert len(at.dataframe) == 5  # detection, types, preview, role editor, the outlier rows
    findings = [e.label for e in at.expander]
    assert any("far above the usual range" in label for label in findings)
