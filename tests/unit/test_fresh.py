"""Fresh stock (issue 22, items 1, 2 and 7): shelf life first-in first-out, the supplier's order
constraints, and a ledger that accounts for every unit. Hand-worked cases and closed forms."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from payoff.cli.main import main
from payoff.framings import quantity
from payoff.framings.fresh import OrderRules, simulate_fresh
from payoff.framings.policy import Against, Plan, Stretch
from payoff.framings.rules import Newsvendor, ShelfLife
from tests.unit.test_realdata_quantity import path

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
PARAMS = {"price": 10.0, "unit_cost": 4.0, "salvage": 0.0, "goodwill": 0.0}


def against(demand: np.ndarray, **params: object) -> Against:
    values = {**PARAMS, **params}
    every = np.ones(demand.shape[1], dtype=bool)
    stretch = Stretch(every, np.zeros(demand.shape[0]))
    return Against(demand, ~np.isnan(demand), values, quantity.perishable_costs(values), (stretch,))


def test_a_life_of_one_period_is_the_newsvendor_exactly():
    rng = np.random.default_rng(4)
    demand = rng.poisson(6.0, (20, 50)).astype(float)
    level = rng.uniform(0, 12, demand.shape)
    plan = Plan(level, whole_units=True)
    rule, newsvendor = ShelfLife(quantity.perishable_costs), Newsvendor(quantity.perishable_costs)
    one, other = rule.price(plan, against(demand, shelf_life=1)), newsvendor.price(plan, against(demand))
    np.testing.assert_array_equal(one.decisions, other.decisions)
    for name in rule.components:
        np.testing.assert_array_equal(one.costs[name], other.costs[name])
    assert not rule.carries_stock({"shelf_life": 1}) and rule.carries_stock({"shelf_life": 3})
    assert rule.carries_stock({"shelf_life": 1, "order_days": 9})  # deliveries on Mon, Thu


def test_three_day_life_wastes_what_a_hand_count_says():
    """2 sold a day, the shelf opened each day with 9: day 0 orders 9 and keeps 7; every third
    day the oldest units reach their third day unsold: 3 written off on days 2 and 5."""
    demand = np.full((1, 6), 2.0)
    ledger = simulate_fresh(demand, np.full((1, 6), 9.0), 3, OrderRules())
    np.testing.assert_array_equal(ledger.orders[0], [9, 2, 2, 5, 2, 2])
    np.testing.assert_array_equal(ledger.waste[0], [0, 0, 3, 0, 0, 3])
    np.testing.assert_array_equal(ledger.closing[0], [7, 7, 4, 7, 7, 4])
    np.testing.assert_array_equal(ledger.sales[0], [2] * 6)
    assert ledger.unbalanced(demand) == []
    # priced: 6 waste x (unit cost 4 - salvage 0), no stockouts
    costed = ShelfLife(quantity.perishable_costs).price(
        Plan(np.full((1, 6), 9.0), whole_units=True), against(demand, shelf_life=3)
    )
    assert costed.costs["overstock"].sum() == 6 * 4.0 and costed.costs["stockouts"].sum() == 0.0


def test_the_oldest_units_are_sold_first():
    """5 kept from yesterday, 5 arriving, 6 sold: the 5 old ones go first, so nothing is left to
    expire tonight (a life of two days) and 4 of today's carry over."""
    ledger = simulate_fresh(np.array([[5.0, 6.0]]), np.array([[10.0, 10.0]]), 2, OrderRules())
    np.testing.assert_array_equal(ledger.waste[0], [0, 0])
    np.testing.assert_array_equal(ledger.orders[0], [10, 5])
    np.testing.assert_array_equal(ledger.closing[0], [5, 4])


@pytest.mark.parametrize(
    ("rules", "wanted", "taken"),
    [
        (OrderRules(case_pack=12), [0, 1, 12, 13], [0, 12, 12, 24]),
        (OrderRules(case_pack=12, minimum=30), [0, 5, 31], [0, 36, 36]),
        (OrderRules(case_pack=12, maximum=30), [13, 40], [24, 24]),
        (OrderRules(minimum=4, maximum=10), [0.5, 7, 20], [4, 7, 10]),
        (OrderRules(case_pack=12, maximum=8), [5, 30], [8, 8]),  # the shelf holds less than a case
    ],
)
def test_orders_round_as_the_supplier_takes_them(rules, wanted, taken):
    np.testing.assert_array_equal(rules.apply(np.array(wanted, dtype=float)), taken)


def test_constraints_round_the_backtest_and_the_orders_alike():
    rule = ShelfLife(quantity.perishable_costs)
    demand = np.full((1, 3), 10.0)
    costed = rule.price(Plan(np.array([[13.0, 1.0, 0.0]])), against(demand, case_pack=12))
    np.testing.assert_array_equal(costed.decisions[0], [24, 12, 0])


def test_the_ledger_balances_on_a_real_file():
    """yaz_restaurant's daily ingredients, ordered up to 1.2 times the last week's average, kept
    three days, in cases of 6: every unit is accounted for in every period."""
    frame = pd.read_csv(path("yaz_restaurant/yaz_ingredients_daily.csv"))
    demand = frame.pivot_table(index="ingredient", columns="date", values="demand", aggfunc="sum").to_numpy(float)
    level = 1.2 * pd.DataFrame(demand.T).rolling(7, min_periods=1).mean().shift(1).fillna(0).to_numpy().T
    ledger = simulate_fresh(demand, level, 3, OrderRules(case_pack=6))
    assert ledger.unbalanced(demand) == []
    assert ledger.waste.sum() > 0 and ledger.lost.sum() > 0  # both ways of losing money occur
    broken = simulate_fresh(demand, level, 3, OrderRules(case_pack=6))
    broken.waste[0, 5] += 1  # control: one unit unaccounted for is found
    assert broken.unbalanced(demand) == ["arrivals differ from sales + waste + the change in stock"]


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("shelf_life=0", "'shelf_life' must be at least 1, not 0"),
        ("case_pack=0", "'case_pack' must be at least 1, not 0"),
        ("min_order=-2", "'min_order' must be at least 0, not -2"),
        ("shelf_life=2.5", "'shelf_life' must be a whole number, not 2.5"),
    ],
)
def test_bad_settings_are_one_clear_line(setting, words, capsys):
    assert main(["analyze", str(SAMPLES / "retail_sales.csv"), "--framing", "perishable", "--set", setting]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_every_run_checks_its_ledger(monkeypatch):
    """The rule refuses to price a simulation whose units do not add up (a broken simulation is
    a bug, never money on a page)."""
    import payoff.framings.rules as rules

    def leaky(*args, **kwargs):
        ledger = simulate_fresh(*args, **kwargs)
        ledger.sales[0, 0] += 1
        return ledger

    monkeypatch.setattr(rules, "simulate_fresh", leaky)
    demand = np.full((1, 4), 2.0)
    with pytest.raises(AssertionError, match="does not balance"):
        ShelfLife(quantity.perishable_costs).price(Plan(np.full((1, 4), 5.0)), against(demand, shelf_life=2))
