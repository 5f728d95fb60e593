"""Fresh stock in the app (issue 22): a store manager sets how long it keeps, the delivery days,
the case size and a service level on the Problem page, sees the money, the cost of the service
level and one series' stock ledger on the Impact page, and downloads the next deliveries."""

import numpy as np
import pandas as pd
import pytest

from payoff.ui import state
from tests.app.conftest import open_app, shown, upload
from tests.corpus.cases import content
from tests.unit.test_lead_times import deliveries_file

PARAM = state.PARAM_PREFIX + "perishable."
WHATIF = state.WHATIF_PREFIX + "perishable."


@pytest.fixture(scope="module")
def ran():
    at = open_app()
    at.button(key="w.home.sample.retail_sales").click().run()
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception
    at.number_input(key=PARAM + "shelf_life").set_value(5).run()
    at.multiselect(key=PARAM + "order_days").set_value(["Mon", "Thu"]).run()
    at.number_input(key=PARAM + "case_pack").set_value(6).run()
    assert not at.exception
    params = dict(at.session_state[state.CHOICES].params)
    assert params["shelf_life"] == 5 and params["order_days"] == 9 and params["case_pack"] == 6
    # two models: every what-if simulates each model's plans (the full list's cost is benchmarked)
    at.multiselect(key=state.MODEL_PICK).set_value(["seasonal naive", "poisson regression"]).run()
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception and not at.error
    return at


def test_the_impact_page_shows_the_cost_of_a_service_level_and_a_ledger(ran):
    ran.switch_page("app_pages/impact.py").run()
    assert not ran.exception
    text = shown(ran)
    assert "What a service level costs" in text and "costs" in text and "a month more than 1 in 10" in text
    assert "The stock ledger of one series" in text
    ran.selectbox(key="impact.ledger.option").set_value("poisson regression").run()
    assert not ran.exception
    ledger = next(d.value for d in ran.dataframe if "Opening stock" in d.value.columns)
    numbers = {c: ledger[c].astype(str).str.replace(",", "").astype(float).to_numpy() for c in ledger.columns[2:]}
    change = numbers["Closing stock"] - numbers["Opening stock"]
    assert np.allclose(numbers["Delivered"], numbers["Sold"] + numbers["Written off"] + change)
    assert np.allclose(numbers["Demand"], numbers["Sold"] + numbers["Lost sales"])
    delivered = pd.to_datetime(ledger["Period"], format="%d %b %Y")[numbers["Delivered"] > 0]
    assert set(delivered.dt.day_name()) == {"Monday", "Thursday"}
    assert set(ledger.loc[numbers["Delivered"] > 0, "Day"]) == {"Mon", "Thu"}  # said in the table too
    assert (numbers["Delivered"] % 6 == 0).all()  # whole cases of 6
    ran.selectbox(key="impact.ledger").set_value(3).run()
    assert not ran.exception


def test_a_what_if_moves_the_delivery_days_and_the_service_level(ran):
    ran.switch_page("app_pages/impact.py").run()
    before = ran.metric[0].value
    ran.multiselect(key=WHATIF + "order_days").set_value(["Mon", "Wed", "Fri"]).run()
    assert not ran.exception and ran.metric[0].value != before
    ran.checkbox(key=WHATIF + "max_short.on").check().run()
    assert not ran.exception
    assert ran.session_state[state.WHATIF] == {"order_days": 1 + 4 + 16, "max_short": 0.05}
    ran.number_input(key=WHATIF + "max_short").set_value(10.0).run()  # typed as a percentage, as on the Problem page
    assert not ran.exception and ran.session_state[state.WHATIF]["max_short"] == 0.1


def test_the_next_deliveries_list_cases_on_delivery_days_only(ran):
    ran.switch_page("app_pages/decisions.py").run(timeout=120)
    assert not ran.exception
    lists = [d.value for d in ran.dataframe if {"Cases to order (expected)", "Period"} <= set(d.value.columns)]
    decisions, next_order = max(lists, key=len), min(lists, key=len)  # the whole list, and the next order day
    assert {
        "Expected order",
        "Expected waste",
        "Expected lost sales",
        "Chance of running short",
        "Expected cost",
    } <= set(decisions.columns)
    cases = decisions["Cases to order (expected)"].astype(str).str.replace(",", "")
    delivered = cases != ""
    assert 0 < delivered.mean() < 0.5  # two days a week have a delivery
    stock = decisions.loc[delivered, "Quantity to stock"].str.replace(",", "").astype(float)
    ordered = decisions.loc[delivered, "Expected order"].str.replace(",", "").astype(float)
    assert (stock > 0).all() and (ordered <= stock + 1e-9).all()  # the order tops up what is still good
    first = min(decisions.loc[delivered, "Period"], key=lambda p: pd.to_datetime(p, format="%d %b %Y"))
    assert any(e.label == f"The next order, {first}" for e in ran.expander)
    assert len(next_order) == 12 and set(next_order["Period"]) == {first}  # every series, that day


def test_a_lead_time_that_varies_is_set_in_words_and_checked():
    """Inventory on the sample: "Lead time 2, from 1 to 4" typed on the Problem page reaches the
    choices; a "from" above the lead time is refused there, in words, before anything runs."""
    at = open_app()
    at.button(key="w.home.sample.retail_sales").click().run()
    at.switch_page("app_pages/problem.py").run()
    at.radio(key=state.FRAMING_PICK).set_value("inventory").run()
    key = state.PARAM_PREFIX + "inventory."
    at.number_input(key=key + "lead_time").set_value(2).run()
    at.checkbox(key=key + "lead_time_min.on").check().run()
    at.number_input(key=key + "lead_time_min").set_value(1).run()
    at.checkbox(key=key + "lead_time_max.on").check().run()
    at.number_input(key=key + "lead_time_max").set_value(4).run()
    assert not at.exception
    params = dict(at.session_state[state.CHOICES].params)
    assert (params["lead_time"], params["lead_time_min"], params["lead_time_max"]) == (2, 1, 4)
    at.number_input(key=key + "lead_time_min").set_value(3).run()
    assert not at.exception
    assert "Lead time from (3) cannot be above the lead time (2)." in shown(at)


def test_delivery_days_the_file_never_has_are_refused_on_the_problem_page():
    """The shop shut on Sundays (the bad-input corpus), uploaded: deliveries on Sunday alone are
    refused in words on the Problem page, and the session keeps the file and the other settings."""
    at = open_app("app_pages/data.py")
    upload(at, "shut_sundays.csv", content("shut_sundays.csv"))
    at.switch_page("app_pages/problem.py").run()
    at.radio(key=state.FRAMING_PICK).set_value("perishable").run()
    at.number_input(key=PARAM + "shelf_life").set_value(3).run()
    at.multiselect(key=PARAM + "order_days").set_value(["Sun"]).run()
    assert not at.exception
    assert "No delivery would ever come: the file has no Sun. Choose days the file has (Mon, Tue, Wed" in shown(at)
    assert dict(at.session_state[state.CHOICES].params)["shelf_life"] == 3
    assert at.session_state[state.PREPARED].frame.shape[0] == 192


def test_past_deliveries_set_the_lead_times_on_the_problem_page(tmp_path):
    """A column of past lead times chosen on the Problem page: its range is said in words and the
    three lead-time inputs give way to it."""
    deliveries_file(tmp_path / "flour.csv", ([1] * 10 + [2] * 60 + [3] * 20 + [4] * 10) * 2)
    at = open_app("app_pages/data.py")
    upload(at, "flour.csv", (tmp_path / "flour.csv").read_bytes())
    at.switch_page("app_pages/problem.py").run()
    at.radio(key=state.FRAMING_PICK).set_value("inventory").run()
    at.selectbox(key=state.PARAM_PREFIX + "inventory.lead_column").set_value("lead_days").run()
    assert not at.exception
    assert "From 'lead_days', every row pooled: most often 2, from 1 to 4 periods" in shown(at)
    assert dict(at.session_state[state.CHOICES].columns)["lead_time"] == "lead_days"
    assert not [n for n in at.number_input if n.key == state.PARAM_PREFIX + "inventory.lead_time"]


def test_the_next_deliveries_follow_the_what_if_settings(ran):
    """Delivery days moved on the Impact page (a what-if, not saved) reach the Decisions page:
    the list delivers on the days on screen and says it follows them."""
    ran.switch_page("app_pages/impact.py").run()
    ran.multiselect(key=WHATIF + "order_days").set_value(["Tue", "Fri"]).run()
    ran.switch_page("app_pages/decisions.py").run(timeout=120)
    assert not ran.exception
    assert "At the what-if settings of the Impact page (delivered on" in shown(ran)
    lists = [d.value for d in ran.dataframe if {"Expected order", "Period"} <= set(d.value.columns)]
    decisions = max(lists, key=len)
    delivered = decisions["Quantity to stock"].astype(str) != ""
    days = set(pd.to_datetime(decisions.loc[delivered, "Period"], format="%d %b %Y").dt.day_name())
    assert days == {"Tuesday", "Friday"}
