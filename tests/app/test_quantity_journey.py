"""The quantity journey in AppTest: sample -> run -> headline -> what-if -> decisions -> save."""

import numpy as np
import pytest

from payoff import formatting
from payoff.models.catalogue import business_name
from payoff.ui import state
from tests.app.conftest import open_app, shown


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
    label = metric.label.replace("\\", "")
    impact = ran.session_state[state.ANALYSIS].impact
    assert f"Payoff's choice (now: {business_name(impact.recommended.model)})" in label and "units_ordered" in label
    assert metric.value == formatting.money(impact.recommended.gain)  # the headline is auto's own gain
    table = ran.dataframe[0].value
    assert table["Option"].iloc[0] == "Today: your 'units_ordered' column"
    assert table["Option"].iloc[1] == "Payoff's choice"
    assert list(table.columns) == [
        "Option",
        "Cost",
        "Gain",
        "90% range: from",
        "to",
        "Chance of a gain",
        "Note",
    ]
    assert table["Gain"].iloc[0] == ""  # blank for today, never "None"


def test_impact_what_if_reprices_without_refit(ran):
    ran.switch_page("app_pages/impact.py").run()
    assert not ran.exception
    before = ran.metric[0].value
    analysis = ran.session_state[state.ANALYSIS]
    ran.number_input(key=state.WHATIF_PREFIX + "perishable.salvage").set_value(1.0).run()
    assert not ran.exception
    assert ran.metric[0].value != before
    assert ran.session_state[state.ANALYSIS] is analysis  # same fitted analysis: re-priced, not refitted


def test_every_run_tells_the_screen_each_what_if_value(ran):
    """The browser shows a widget's value only when the server sets it in that run: set in a run a
    click cut short, it was drawn at the next run at its lowest (a money file's price showed 0.00
    beside a headline priced at 1.00, and the next click priced the 0.00). So every run sets them."""
    ran.switch_page("app_pages/impact.py").run()
    ran.run()  # a second run of the page, nothing changed
    values = ran.session_state[state.ANALYSIS].values
    tried = ran.session_state[state.WHATIF] or {}  # the what-ifs earlier tests left
    for name in ("price", "unit_cost", "salvage"):
        widget = ran.number_input(key=state.WHATIF_PREFIX + "perishable." + name)
        assert widget.proto.set_value, name
        own = tried.get(name, values[name])
        assert widget.proto.value == pytest.approx(getattr(own, "scale", own))  # a column's: its multiplier


def test_a_refused_what_if_says_so_beside_the_headline_not_only_in_its_popover(ran):
    ran.switch_page("app_pages/impact.py").run()
    before = ran.metric[0].value
    key = state.WHATIF_PREFIX + "perishable.unit_cost"
    own = ran.number_input(key=key).value
    ran.number_input(key=key).set_value(1_000.0).run()  # dearer than the selling price: cannot be priced
    assert not ran.exception
    said = [e.value.replace("\\", "") for e in ran.error if "not applied" in e.value]
    assert len(said) == 1 and "money above is the run's own" in said[0] and "below the unit cost" in said[0]
    own_money = formatting.money(ran.session_state[state.ANALYSIS].impact.recommended.gain)
    assert ran.metric[0].value == own_money and "Unsaved what-if" not in shown(ran)  # as the message says
    ran.number_input(key=key).set_value(own).run()  # back: priced again, nothing refused
    assert not [e for e in ran.error if "not applied" in e.value]
    assert ran.metric[0].value == before


def test_decisions_page_rounds_like_the_backtest(ran):
    ran.switch_page("app_pages/decisions.py").run(timeout=120)
    assert not ran.exception
    decisions = next(d.value for d in ran.dataframe if len(d.value) == 12 * 28)  # 12 series, the next 28 days
    assert {"store", "item", "Period", "Forecast", "Quantity to stock"} <= set(decisions.columns)
    assert decisions["Period"].iloc[0] == "01 Oct 2026"  # the file's own calendar, no time of day
    stock = decisions["Quantity to stock"].str.replace(",", "").astype(float).to_numpy()
    assert any(m.label == "Quantity to stock, all series" for m in ran.metric)  # the summary above the list
    assert np.array_equal(stock, np.round(stock))  # whole units, as priced in the backtest
    backtest = ran.session_state[state.ANALYSIS].impact.decisions["poisson regression"]
    assert np.array_equal(backtest, np.round(backtest))


def test_problem_page_consequence_and_status_quo_rule():
    at = open_app()
    at.button(key="w.home.sample.call_centre").click().run()
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception
    assert "covers the work" in at.info[0].value
    at.radio(key=state.STATUS_QUO_PREFIX + "kind").set_value("moving-average").run()
    at.number_input(key=state.STATUS_QUO_PREFIX + "n").set_value(14).run()
    assert at.session_state[state.CHOICES].status_quo.text == "moving-average:14:+10%"
    assert "4 tests of 28 days each" in shown(at)
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception and not at.error
    assert "the average of the last 14 days +10%" in at.metric[0].label.replace("\\", "")


def test_save_from_impact_and_reopen_on_saved(ran, tmp_path, monkeypatch):
    monkeypatch.setenv("PAYOFF_DB", str(tmp_path / "saved.sqlite"))
    ran.switch_page("app_pages/impact.py").run()
    ran.text_input(key=state.SAVE_NAME).input("café, week 47")
    ran.button[-1].click().run()  # the form's submit button
    assert not ran.exception and any("Saved" in s.value for s in ran.success)
    ran.switch_page("app_pages/saved.py").run()
    assert not ran.exception
    assert ran.dataframe[0].value["Name"].tolist() == ["café, week 47"]
    saved = ran.session_state[state.ANALYSIS]
    # the what-if salvage of an earlier test was kept across the pages in between, and is saved
    assert saved.values["salvage"] == 1.0
    narrative = saved.impact.narrative
    assert f"Payoff's choice (now: {business_name(saved.impact.recommended.model)}) would have cost" in narrative
    assert narrative in shown(ran)


def test_impact_page_answers_what_if_our_costs_are_wrong(ran):
    ran.switch_page("app_pages/impact.py").run(timeout=120)
    assert not ran.exception
    text = shown(ran)
    assert "Which assumption matters most" in [h.value for h in ran.subheader]
    for label in ("Selling price", "Unit cost", "Salvage value", "Goodwill loss"):
        assert f"{label}: Pays off" in text or f"{label}: Does not pay off" in text
    assert "promo = 1 (vs 0): +" in text and "95% CI" in text  # the GLM's effects in the user's units
    assert "Payoff's choice now is " in text  # which model the Why tab's drivers are of, said first
    assert ran.selectbox(key="w.file.whatif.segment").value == "store"
    assert "Payoff's choice gains in every store (2 groups)." in text
    ran.number_input(key="w.file.whatif.sweep.high").set_value(50).run(timeout=120)
    assert not ran.exception
    detail = next(d.value for d in ran.dataframe if "Multiplier of the column" in d.value.columns)
    assert detail["Multiplier of the column"].astype(float).max() == pytest.approx(1.5)  # up to +50% of the column


def test_the_quantity_kind_s_page_sections(ran):
    """ui.kinds.SECTIONS for quantities: which series drive the gain on Impact, the backtest in
    the analyst's details, and each series' forecasts on both pages."""
    ran.switch_page("app_pages/impact.py").run(timeout=120)
    assert not ran.exception
    text = shown(ran)
    assert "Which series drive the gain of Payoff's choice" in text
    assert "Backtest: tested on " in text and "only chose among the models" in text and "critical ratio" in text
    assert "Calibration: predicted chance" not in text
    assert len(ran.selectbox(key="impact.series").options) == 12  # the series chart: 6 items x 2 shops
    ran.switch_page("app_pages/models.py").run(timeout=120)
    assert "Forecasts and decisions per series" in [e.label for e in ran.expander]
