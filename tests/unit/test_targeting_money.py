"""Targeting cells priced by hand (constant and per-row values), budgets, and honesty on noise."""

import numpy as np
import pandas as pd
import pytest

from payoff.data.roles import Role, RoleMap, Shape
from payoff.errors import PayoffError
from payoff.framings import catalogue, targeting
from payoff.framings.base import FromColumn, param_arrays
from payoff.statusquo import Everybody, Nobody
from tests.helpers import analyse


def cells(key, value=None, **params):
    framing = catalogue.get(key)
    if value is not None and np.ndim(value):
        params["value"] = FromColumn("value", framing.param("value").default)
        return framing.cells(param_arrays(framing.resolve(params), {"value": value}))
    if value is not None:
        params["value"] = value
    return framing.cells(param_arrays(framing.resolve(params), {}))


def test_churn_cells_by_hand():
    c = cells("churn", value=300, contact_cost=10, offer_cost=30, save_rate=0.3)
    # act & churner: -10 + 0.3 * -30 + 0.7 * -300 = -229; act & loyal: -40; pass & churner: -300
    assert (float(c.act_pos), float(c.act_neg), float(c.pass_pos), float(c.pass_neg)) == (-229.0, -40.0, -300.0, 0.0)
    # acting pays when p * 71 > (1 - p) * 40  ->  p > 40 / 111
    assert float(c.break_even()) == pytest.approx(40 / 111)


def test_churn_cells_with_per_row_values():
    c = cells("churn", value=np.array([100.0, 1000.0, np.nan]), contact_cost=10, offer_cost=30, save_rate=0.3)
    assert c.act_pos.tolist() == [-89.0, -719.0, -229.0]  # the blank value falls back to the constant 300
    assert c.pass_pos.tolist() == [-100.0, -1000.0, -300.0]


def test_fraud_leads_credit_custom_by_hand():
    f = cells("fraud", value=np.array([200.0]), review_cost=5, recovery_rate=0.8, false_alarm_cost=2)
    assert f.act_pos.tolist() == pytest.approx([-45.0])  # -5 - 0.2 * 200
    assert (float(f.act_neg), f.pass_pos.tolist(), float(f.pass_neg)) == (-7.0, [-200.0], 0.0)
    leads = cells("leads", value=500, contact_cost=25)
    assert (float(leads.act_pos), float(leads.act_neg), float(leads.pass_pos)) == (475.0, -25.0, 0.0)
    credit = cells("credit", value=np.array([10_000.0]), margin=0.08, loss_given_default=0.6)
    assert credit.act_pos.tolist() == [-6000.0] and credit.act_neg.tolist() == [800.0]
    custom = cells("custom-payoff", act_pos=5, act_neg=-1, pass_pos=-5, pass_neg=0)
    assert float(custom.break_even()) == pytest.approx(1 / 11)


def test_realised_money_confusion_matrix_priced_cell_by_cell():
    c = cells("leads", value=np.array([100.0, 200.0, 300.0, 400.0]), contact_cost=10)
    act = np.array([True, True, False, False])
    positive = np.array([True, False, True, False])
    parts = c.realised(act, positive)
    assert parts["act & event"].tolist() == [90.0, 0, 0, 0]
    assert parts["act & no event"].tolist() == [0, -10.0, 0, 0]
    assert sum(v.sum() for v in parts.values()) == 80.0


def test_budget_acts_on_the_top_n_positive_gains():
    gain = np.array([5.0, -1.0, 9.0, 3.0, 0.5])
    assert targeting.decide(gain, None).tolist() == [True, False, True, True, True]
    assert targeting.decide(gain, 2).tolist() == [True, False, True, False, False]
    assert targeting.decide(gain, 10).tolist() == [True, False, True, True, True]  # never a negative one


def entity_frame(n, rate, seed=0, informative=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    score = 2.5 * x[:, 0] if informative else np.zeros(n)
    low, high = -20.0, 20.0  # intercept giving the wanted overall event rate, by bisection
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if np.mean(1 / (1 + np.exp(-(middle + score)))) < rate else (low, middle)
    p = 1 / (1 + np.exp(-(low + score)))
    return pd.DataFrame(
        {
            **{f"x{i}": x[:, i] for i in range(4)},
            "segment": rng.choice(["a", "b", "c"], n),
            "outcome": np.where(rng.random(n) < p, "yes", "no"),
        }
    )


def roles_for(frame):
    roles = {c: Role.FEATURE for c in frame.columns}
    roles["outcome"] = Role.TARGET
    return RoleMap(roles, Shape.ENTITY, positive_class="yes")


def test_random_labels_show_no_gain_over_the_best_constant_policy():
    frame = entity_frame(3000, 0.3, seed=5)
    params = {"act_pos": 10, "act_neg": -4, "pass_pos": 0, "pass_neg": 0}  # break-even p = 4/14 ~ 0.29
    results = {}
    for status_quo in (Nobody(), Everybody()):
        results[status_quo.text] = analyse(
            frame, roles_for(frame), "custom-payoff", params=params, status_quo=status_quo
        ).impact
    best_constant = max(results["nobody"].model("status quo").money, results["everybody"].model("status quo").money)
    impact = results["nobody"]
    rows = impact.evaluation["rows"]
    noise = 3 * 14 * np.sqrt(rows * 0.3 * 0.7)  # three standard errors of the total
    for model in impact.models:
        if not model.is_status_quo:
            assert model.money - best_constant < noise, (model.name, model.money, best_constant)
    assert impact.auto.money - best_constant < noise


def test_imbalanced_one_percent_with_per_row_values_works():
    frame = entity_frame(10000, 0.01, seed=2, informative=True)
    frame["amount"] = np.random.default_rng(1).lognormal(4, 1, len(frame))
    roles = roles_for(frame).with_role("amount", Role.VALUE)
    analysis = analyse(
        frame, roles, "fraud", params={"review_cost": 2}, models=["logistic regression", "gradient boosting"]
    )
    impact = analysis.impact
    # a blank amount would be priced at the column's median, never at a sample's number
    assert analysis.problem.values["value"] == FromColumn("amount", float(frame["amount"].median()))
    assert impact.evaluation["events"] == int((frame["outcome"] == "yes").sum())
    assert 70 <= impact.evaluation["events"] <= 130  # about 1% of 10,000
    best = impact.model(impact.best_model)
    assert best.gain > 0 and best.accuracy["auc"] > 0.8


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (["yes"] * 100, "only one value"),
        (["a", "b", "c", "d"] * 25, "4 values"),
        (["yes"] * 10 + ["no"] * 90, "Only 10 rows"),
    ],
)
def test_unusable_outcomes_give_clear_messages(outcome, message):
    frame = pd.DataFrame({"x": np.arange(100.0), "outcome": outcome})
    roles = RoleMap({"x": Role.FEATURE, "outcome": Role.TARGET}, Shape.ENTITY, positive_class="yes")
    with pytest.raises(PayoffError, match=message):
        analyse(frame, roles, "churn")


def test_break_evens_in_both_directions_match_their_closed_forms():
    churn = cells("churn", value=300, contact_cost=10, offer_cost=30, save_rate=0.3)
    assert float(churn.break_even()) == pytest.approx(40 / 111) and bool(churn.acts_above())
    # approve pays when margin * (1 - p) > lgd * p, i.e. p < 0.15 / (0.15 + 0.8) = 0.1579
    credit = cells("credit", value=np.array([5_000.0, 20_000.0]), margin=0.15, loss_given_default=0.8)
    assert credit.break_even().tolist() == pytest.approx([0.15 / 0.95] * 2)
    assert credit.acts_above().tolist() == [False, False]
    framing = catalogue.get("credit")
    arrays = param_arrays(framing.resolve({"value": 10_000, "margin": 0.15, "loss_given_default": 0.8}), {})
    found = framing.typical_break_even(arrays)
    assert found.sentence("approve", "defaults") == "Approve when the chance that it defaults is below 15.8%."
    # leads: contact pays when p * 475 > (1 - p) * 25 -> p > 25 / 500 = 5%
    leads = cells("leads", value=500, contact_cost=25)
    assert float(leads.break_even()) == pytest.approx(0.05) and bool(leads.acts_above())
    # fraud: review pays when p * (200 - 5 - 40) > (1 - p) * 7 with 20% unrecovered -> p > 7 / 162
    fraud = cells("fraud", value=np.array([200.0]), review_cost=5, recovery_rate=0.8, false_alarm_cost=2)
    assert fraud.break_even().tolist() == pytest.approx([7 / 162]) and fraud.acts_above().tolist() == [True]
    # acting always pays (a positive payoff whatever happens), and never pays
    always = cells("custom-payoff", act_pos=5, act_neg=1, pass_pos=0, pass_neg=0)
    never = cells("custom-payoff", act_pos=-5, act_neg=-1, pass_pos=0, pass_neg=0)
    assert float(always.break_even()) == 0.0 and bool(always.acts_above())
    assert float(never.break_even()) == 1.0 and bool(never.acts_above())


def test_a_customer_worth_one_month_is_warned_about():
    framing = catalogue.get("churn")
    values = framing.resolve({"value": FromColumn("MonthlyCharges", 0.0), "contact_cost": 10, "offer_cost": 20})
    # Acting on a churner gains save * (value - offer) - contact; on a stayer it costs contact + offer.
    # A year's value (12 x 65 = 780): p * (0.3 * 760 - 10) > (1 - p) * 30 -> p > 30 / 248 = 12.1%.
    year = param_arrays(values, {"value": np.array([720.0, 780.0, 840.0])})
    assert framing.typical_break_even(year).probability == pytest.approx(30 / 248)
    assert framing.break_even_warning(values, year) is None
    # One month's value (65): p * (0.3 * 45 - 10) > (1 - p) * 30 -> p > 30 / 33.5 = 89.6%.
    month = param_arrays(values, {"value": np.array([60.0, 65.0, 70.0])})
    assert framing.typical_break_even(month).probability == pytest.approx(30 / 33.5)
    warning = framing.break_even_warning(values, month)
    assert warning is not None and "above 89.6%" in warning and "65.00 (the median of 'MonthlyCharges')" in warning
    assert "almost nobody is worth contacting" in warning
    # 25 a customer: acting on a churner loses money too, so it never pays.
    cheap = param_arrays(values, {"value": np.array([25.0])})
    never = framing.typical_break_even(cheap)
    assert (
        never.sentence("contact", "churns")
        == "At these numbers it never pays to contact, whatever the chance that it churns."
    )


def test_entities_in_time_order_say_the_earliest_only_train_the_models():
    """Folds + 1 blocks in time, the first never scored: 1,000 entities are priced over all but the
    earliest block (167 of 1,000 with 5 folds), and the sentence says where those went."""
    frame = entity_frame(1000, 0.3, seed=3, informative=True)
    frame["signup"] = pd.date_range("2020-01-01", periods=1000, freq="D")
    roles = roles_for(frame)
    roles = RoleMap({**roles.roles, "signup": Role.DATE}, Shape.ENTITY, positive_class="yes")
    params = {"act_pos": 10, "act_neg": -4, "pass_pos": 0, "pass_neg": 0}
    impact = analyse(frame, roles, "custom-payoff", params=params, status_quo=Nobody()).impact
    first = -(-1000 // (impact.evaluation["folds"] + 1))  # the first of folds + 1 blocks, rounded up
    assert impact.evaluation["rows"] == 1000 - first and impact.evaluation["time_ordered_folds"]
    said = f"your {1000 - first} most recent rows (the {first} earliest by 'signup' only train the models"
    assert said in impact.evaluation["period_text"]
