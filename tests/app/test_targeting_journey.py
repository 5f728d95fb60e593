"""The targeting journey in AppTest on the churn sample: run, headline, threshold and cost
what-ifs, leakage guard, decisions."""

import pandas as pd
import pytest

from payoff import formatting
from payoff.data.roles import Role
from payoff.ui import state
from tests.app.conftest import open_app, shown, type_asked, upload


@pytest.fixture(scope="module")
def ran():
    at = open_app()
    at.button(key="w.home.sample.churn_customers").click().run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    return at


def test_churn_headline(ran):
    label = ran.metric[0].label.replace("\\", "")
    assert label == "Payoff's choice (now: Scoring model (regression)): money gained vs your 'contacted' column"
    impact = ran.session_state[state.ANALYSIS].impact
    assert ran.metric[0].value == formatting.money(impact.recommended.gain)
    table = ran.dataframe[0].value
    assert table["Option"].tolist()[:2] == ["Today: your 'contacted' column", "Payoff's choice"]
    assert "Value rule (no model)" in table["Option"].tolist()
    base, auto = impact.model("base rate").gain, impact.recommended.gain
    assert f"No model is needed for {formatting.money(base)} of it" in shown(ran)
    assert f"the models add {formatting.money(auto - base)}" in shown(ran)


def test_the_run_ends_explained_and_saved(ran):
    """The headline shows as soon as the money is priced; the same page run then waits at its
    foot for the explanations, keeps the whole analysis (autosaved) and lets the job go."""
    assert ran.session_state[state.ANALYSIS].predictions.explanations
    assert ran.session_state[state.OPENED] is not None and ran.session_state[state.OPENED].autosave
    assert state.JOB not in ran.session_state


def test_threshold_and_cost_change_the_money(ran):
    ran.switch_page("app_pages/impact.py").run(timeout=120)
    assert not ran.exception
    start = ran.metric[0].value
    ran.radio(key=state.WHATIF_PREFIX + "rule").set_value("probability threshold").run()
    ran.slider(key=state.WHATIF_PREFIX + "threshold").set_value(0.8).run()
    assert not ran.exception and ran.metric[0].value != start
    ran.radio(key=state.WHATIF_PREFIX + "rule").set_value("expected value").run()
    assert ran.metric[0].value == start
    ran.number_input(key=state.WHATIF_PREFIX + "churn.contact_cost").set_value(40.0).run()
    assert ran.metric[0].value != start
    confusion = next(d.value for d in ran.dataframe if "Decision" in d.value.columns)
    assert list(confusion["Decision"]) == ["Contact", "Do not contact"]
    counted = confusion[["It churns: how many", "It stays: how many"]].apply(
        lambda c: c.str.replace(",", "").astype(int)
    )
    assert counted.to_numpy().sum() == 6000


def test_decisions_list_uses_the_customer_ids(ran):
    ran.switch_page("app_pages/decisions.py").run()
    decisions = ran.dataframe[0].value
    assert decisions["customer_id"].str.startswith("C").all() and "Contact?" in decisions.columns
    assert "example on your history's customers" in shown(ran)  # said before any upload
    gains = decisions["Expected gain of contacting"].str.replace(",", "").astype(float).to_numpy()
    assert (gains[:-1] >= gains[1:]).all()


def test_leakage_guard_flags_and_excludes_in_one_click():
    rows = 400
    frame = pd.DataFrame({"tenure": range(rows), "churned": ["yes", "no"] * (rows // 2)})
    frame["cancel_reason_code"] = (frame["churned"] == "yes").astype(int)  # only known after churning
    at = type_asked(upload(open_app("app_pages/data.py"), "leaky.csv", frame.to_csv(index=False).encode()))
    assert any("cancel_reason_code" in w.value.replace("\\", "") for w in at.warning)
    at.button(key=state.PARAM_PREFIX + "exclude.cancel_reason_code").click().run()
    assert not at.exception
    assert at.session_state[state.PREPARED].roles.roles["cancel_reason_code"].value == "ignore"
    assert not any("cancel" in w.value for w in at.warning)


def test_models_page_warns_about_leaky_features_after_a_run():
    rows = 400
    frame = pd.DataFrame({"tenure": range(rows), "churned": ["yes", "no"] * (rows // 2)})
    frame["call_duration"] = (frame["churned"] == "yes") * 100 + frame["tenure"] % 7
    at = upload(open_app("app_pages/data.py"), "calls.csv", frame.to_csv(index=False).encode())
    type_asked(at).switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=120)
    assert not at.exception
    said = [w.value.replace("\\", "") for w in at.warning if "call_duration" in w.value.replace("\\", "")]
    # it tells the outcomes apart every time: said once, beside the headline a manager copies
    assert said == [
        "This money may not be real: 'call_duration' on its own tells the two outcomes apart 100% of the time "
        "(AUC 1.00, where a coin toss is 0.50). If it is only known after the outcome, exclude it on the "
        "Problem page and run again."
    ]


def test_event_log_asks_for_aggregation_before_forecasting():
    log = b"date,time,agent\n2026-01-05,09:10:00,a\n2026-01-05,09:50:00,b\n2026-01-06,10:05:00,a\n"
    at = upload(open_app("app_pages/data.py"), "calls.csv", log)
    at.switch_page("app_pages/models.py").run()
    assert not at.exception
    assert "aggregate it" in at.error[0].value  # said before anything runs
    assert "Mark the quantity" not in at.error[0].value  # the count is the quantity, once aggregated
    assert "--" not in at.error[0].value  # the command line's options are not the page's words
    assert at.button(key=state.RUN_MODELS).disabled


def test_impact_page_explains_and_breaks_the_gain_down(ran):
    ran.switch_page("app_pages/impact.py").run(timeout=120)
    assert not ran.exception
    text = shown(ran)
    assert "odds that it churns x" in text and "95% CI" in text  # the logistic model's odds ratios
    assert "Pays off" in text
    ran.selectbox(key="w.file.whatif.segment").set_value("contract").run(timeout=120)
    assert not ran.exception
    table = next(d.value for d in ran.dataframe if "contract" in d.value.columns)
    assert set(table["contract"]) == {"month-to-month", "one year", "two year"}
    assert table["entities"].str.replace(",", "").astype(int).sum() == 6000


def test_the_targeting_kind_s_page_sections(ran):
    """ui.kinds.SECTIONS for targeting: the profit curve and calibration on Impact, no per-series
    charts anywhere."""
    ran.switch_page("app_pages/impact.py").run(timeout=120)
    assert not ran.exception
    text = shown(ran)
    assert "Money as more customers are acted on" in text
    assert (
        "Calibration: predicted chance against what happened" in text
        and "was scored by a model that never saw it" in text
    )
    assert "Backtest: " not in text and "Service and stock" not in text
    ran.switch_page("app_pages/models.py").run(timeout=120)
    assert "Forecasts and decisions per series" not in [e.label for e in ran.expander]


def test_a_leak_is_flagged_where_the_models_also_learn_from_an_appointments_hour():
    """A salon's appointments, stamped with their time: the models learn the hour and weekday too
    (not columns of the file), and the guard checks the file's own columns without failing."""
    rows = 400
    stamps = pd.date_range("2025-01-06 09:00", periods=rows, freq="7h")
    frame = pd.DataFrame(
        {"appointment_at": stamps.strftime("%Y-%m-%d %H:%M"), "customer": [f"C{i}" for i in range(rows)]}
    )
    frame["booked_days_ahead"] = [i % 17 for i in range(rows)]
    frame["no_show"] = ["yes" if i % 5 == 0 else "no" for i in range(rows)]
    frame["status"] = frame["no_show"].map({"yes": "No-show", "no": "Completed"})  # written once the day came
    at = type_asked(upload(open_app("app_pages/data.py"), "salon.csv", frame.to_csv(index=False).encode()))
    assert not at.exception
    problem = at.session_state[state.PREPARED]
    assert problem.roles.one(Role.TARGET) == "no_show"
    assert any("'status'" in w.value.replace("\\", "") for w in at.warning)
    at.button(key=state.PARAM_PREFIX + "exclude.status").click().run()
    assert not at.exception and at.session_state[state.PREPARED].roles.roles["status"].value == "ignore"
