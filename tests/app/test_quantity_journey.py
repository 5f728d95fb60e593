"""The quantity journey in AppTest: sample -> run -> headline -> what-if -> decisions."""

import pytest

from payoff.ui import state
from tests.app.conftest import open_app


@pytest.fixture(scope="module")
def ran():
    at = open_app()
    at.button(key="w.home.sample.retail_sales").click().run()  # click 1: lands on the Models page
    assert not at.exception
    at.button(key=state.RUN_MODELS).click().run(timeout=180)  # click 2: the money headline
    assert not at.exception
    return at


def test_two_clicks_from_home_to_a_money_headline(ran):
    metric = ran.metric[0]
    assert "gradient boosting" in metric.label and "units_ordered" in metric.label
    assert metric.value == "5,955"
    table = ran.dataframe[0].value
    assert table["model"].iloc[0] == "status quo: your 'units_ordered' column"
    assert table["model"].iloc[1] == "gradient boosting"  # sorted by gain
    assert {"stockouts", "overstock", "mae", "wape", "bias"} <= set(table.columns)


def test_impact_what_if_reprices_without_refit(ran):
    ran.switch_page("pages/impact.py").run()
    assert not ran.exception
    before = ran.metric[0].value
    analysis = ran.session_state[state.ANALYSIS]
    ran.number_input(key=state.WHATIF_PREFIX + "perishable.salvage").set_value(1.0).run()
    assert not ran.exception
    assert ran.metric[0].value != before
    assert ran.session_state[state.ANALYSIS] is analysis  # same fitted analysis: re-priced, not refitted


def test_decisions_page_offers_escaped_downloads(ran):
    ran.switch_page("pages/decisions.py").run(timeout=120)
    assert not ran.exception
    decisions = ran.dataframe[0].value
    assert {"store", "item", "period", "forecast", "quantity to stock"} <= set(decisions.columns)
    assert len(decisions) == 12 * 28  # 12 series, the next 28 days


def test_problem_page_consequence_and_status_quo_rule():
    at = open_app()
    at.button(key="w.home.sample.call_centre").click().run()
    at.switch_page("pages/problem.py").run()
    assert not at.exception
    assert "covers the work" in at.info[0].value
    at.radio(key=state.PARAM_PREFIX + "status_quo").set_value("moving-average").run()
    at.number_input(key=state.PARAM_PREFIX + "status_quo.n").set_value(14).run()
    assert at.session_state[state.SETTINGS]["status_quo"] == "moving-average:14:+10%"
    caption = " ".join(c.value for c in at.caption)
    assert "4 tests of 28 days each" in caption
    at.switch_page("pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception and not at.error
    assert "average of the last 14 periods +10%" in at.metric[0].label or at.metric[0].value == "no gain"


def test_save_from_impact_and_reopen_on_saved(ran, tmp_path, monkeypatch):
    monkeypatch.setenv("PAYOFF_DB", str(tmp_path / "saved.sqlite"))
    ran.switch_page("pages/impact.py").run()
    ran.text_input(key="w.impact.save_name").input("café, week 47")
    ran.button[-1].click().run()  # the form's submit button
    assert not ran.exception and any("Saved" in s.value for s in ran.success)
    ran.switch_page("pages/saved.py").run()
    assert not ran.exception
    assert ran.dataframe[0].value["name"].tolist() == ["café, week 47"]
    shown = " ".join(m.value for m in ran.markdown).replace("\\", "")
    assert "deciding with gradient boosting would have cost 5,955 less" in shown
