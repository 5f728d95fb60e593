"""Every page renders from an empty session and from a loaded sample, without an exception."""

import pandas as pd
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


def test_a_rotas_total_is_said_in_person_days_not_as_a_headcount():
    at = open_app()
    at.button(key="w.home.sample.call_centre").click().run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    at.switch_page("app_pages/decisions.py").run(timeout=120)
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[0] == "Staff to schedule, all series (person-days)", labels


def test_a_rule_for_stock_that_carries_over_is_said_to_order_up_to_its_forecast_without_safety_stock():
    at = load_sample(open_app(), "retail_sales").switch_page("app_pages/problem.py").run()
    carried = "today's rule is priced as ordering up to its forecast over the lead time"
    at.radio(key=state.FRAMING_PICK).set_value("inventory").run()
    at.radio(key=state.STATUS_QUO_PREFIX + "kind").set_value("moving-average").run()
    assert not at.exception
    assert any(carried in c.value for c in at.caption)
    at.radio(key=state.FRAMING_PICK).set_value("perishable").run()
    assert not any(carried in c.value for c in at.caption)  # nothing carries over: nothing to say


def test_a_weekly_files_moving_average_starts_at_four_weeks():
    from tests.app.conftest import upload

    weeks = pd.date_range("2023-01-02", periods=80, freq="W-MON")
    frame = pd.DataFrame({"week": weeks, "cases": range(80)})
    at = upload(open_app("app_pages/data.py"), "weekly.csv", frame.to_csv(index=False).encode())
    at.switch_page("app_pages/problem.py").run()
    at.radio(key=state.FRAMING_PICK).set_value("inventory").run()
    at.radio(key=state.STATUS_QUO_PREFIX + "kind").set_value("moving-average").run()
    assert not at.exception
    window = at.number_input(key=state.STATUS_QUO_PREFIX + "n")
    assert (window.label, window.value) == ("Weeks averaged", 4)
