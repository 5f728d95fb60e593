"""Fresh stock (issue 22, items 1, 2 and 7): shelf life first-in first-out, the supplier's order
constraints, and a ledger that accounts for every unit. Hand-worked cases and closed forms."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from payoff.cli.main import main
from payoff.framings import quantity
from payoff.framings.fresh import OrderRules, simulate_fresh
from payoff.framings.policy import Against, Plan, Stretch
from payoff.framings.rules import Newsvendor, ShelfLife
from tests.realdata import needs_realdata, path

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
    # kept overnight at 0.10 a unit: the closing stock 7 + 7 + 4 + 7 + 7 + 4 = 36 units, 3.60 on top
    stored = ShelfLife(quantity.perishable_costs).price(
        Plan(np.full((1, 6), 9.0), whole_units=True), against(demand, shelf_life=3, storage_cost=0.1)
    )
    assert stored.costs["overstock"].sum() == pytest.approx(6 * 4.0 + 0.1 * 36)


def test_a_stretch_with_a_gap_runs_its_own_cells_only():
    """Cells outside a stretch are not simulated: the hand count above on the four cells of a
    stretch that skips two days (opened with the level's 9 on the shelf, as a running shop is, so
    the first order is 0, not 9), and nothing in the two skipped."""
    demand = np.full((1, 6), 2.0)
    cells = np.array([True, True, False, False, True, True])
    gapped = Against(
        demand, cells, {**PARAMS, "shelf_life": 3}, quantity.perishable_costs(PARAMS), (Stretch(cells, np.zeros(1)),)
    )
    costed = ShelfLife(quantity.perishable_costs).price(Plan(np.full((1, 6), 9.0), whole_units=True), gapped)
    assert costed.ledger is not None
    np.testing.assert_array_equal(costed.ledger.orders[0], [0, 2, 0, 0, 2, 5])
    np.testing.assert_array_equal(costed.ledger.waste[0], [0, 0, 0, 0, 3, 0])


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
    """Knowing the cases of 12, the rule orders the nearer case (13 -> 12, 19 -> 24, 5 -> none);
    with a service level it rounds up, as the supplier rounds an order placed without them."""
    rule = ShelfLife(quantity.perishable_costs)
    demand = np.full((1, 4), 10.0)
    wanted = Plan(np.array([[13.0, 19.0, 5.0, 0.0]]))
    np.testing.assert_array_equal(rule.price(wanted, against(demand, case_pack=12)).decisions[0], [12, 24, 0, 0])
    served = rule.price(wanted, against(demand, case_pack=12, max_short=0.05))
    np.testing.assert_array_equal(served.decisions[0], [24, 24, 12, 0])


@needs_realdata
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
        ("min_order=200,max_order=100", "Minimum order (200) cannot be above the most you can take (100)."),
    ],
)
def test_bad_settings_are_one_clear_line(setting, words, capsys):
    settings = [part for one in setting.split(",") for part in ("--set", one)]
    assert main(["analyze", str(SAMPLES / "retail_sales.csv"), "--framing", "perishable", *settings]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_every_run_checks_its_ledger(monkeypatch):
    """The rule refuses to price a simulation whose units do not add up (a broken simulation is
    a bug, never money on a page)."""
    import payoff.framings.shelf_life as rules

    def leaky(*args, **kwargs):
        ledger = simulate_fresh(*args, **kwargs)
        ledger.sales[0, 0] += 1
        return ledger

    monkeypatch.setattr(rules, "simulate_fresh", leaky)
    demand = np.full((1, 4), 2.0)
    with pytest.raises(AssertionError, match="does not balance"):
        ShelfLife(quantity.perishable_costs).price(Plan(np.full((1, 4), 5.0)), against(demand, shelf_life=2))


def test_todays_orders_priced_as_placed_are_said(tmp_path, capsys):
    """The sample's own orders came every day in any amount: with deliveries on Mon and Thu in
    cases of 6 set, the run says those settings bind Payoff's orders only."""
    out = tmp_path / "run.json"
    args = ["analyze", str(SAMPLES / "retail_sales.csv"), "--framing", "perishable", "--models", "seasonal naive"]
    for setting in ("order_days=Mon,Thu", "case_pack=6", "shelf_life=5"):
        args += ["--set", setting]
    assert main([*args, "--json", str(out)]) == 0, capsys.readouterr().err
    warnings = json.loads(out.read_text())["evaluation"]["warnings"]
    assert warnings == [
        "Today's orders are priced as you placed them (your 'units_ordered' column), on the days you placed them: "
        "the case size and delivery days you set apply to Payoff's orders only."
    ]


@needs_realdata
@pytest.mark.parametrize(("case", "aware", "unaware"), [(5, 97_884, 102_224), (10, 112_794, 126_334)])
def test_on_yaz_ordering_in_the_nearer_case_beats_rounding_up(case, aware, unaware):
    """yaz_restaurant's ingredients, one day's life, in cases. The same forecasts (each weekday's
    mean over the 4 weeks before, plus the 60% quantile of the errors of the half year before the
    test) ordered by the rule, which knows the cases and takes the nearer one, and without it, the
    supplier rounding the order up; both priced by the same ledger over the last 529 days.
    Measured: 97,884 against 102,224 in cases of 5, 112,794 against 126,334 in cases of 10."""
    frame = pd.read_csv(path("yaz_restaurant/yaz_ingredients_daily.csv"))
    demand = frame.pivot_table(index="ingredient", columns="date", values="demand", aggfunc="sum").to_numpy(float)
    forecast = np.full(demand.shape, np.nan)
    for t in range(28, demand.shape[1]):
        forecast[:, t] = demand[:, [t - 7, t - 14, t - 21, t - 28]].mean(axis=1)
    start = 28 + 180
    params = {**PARAMS, "case_pack": case}  # margin 6, waste 4: the 60% quantile
    costs = quantity.perishable_costs(params)
    errors = (demand - forecast)[:, 28:start]
    wanted = np.maximum(forecast + np.nanquantile(errors, float(costs.critical_ratio), axis=1)[:, None], 0.0)
    wanted, sold = wanted[:, start:], demand[:, start:]
    ours = ShelfLife(quantity.perishable_costs).price(Plan(wanted), against(sold, case_pack=case))
    ledger = simulate_fresh(sold, OrderRules(case).apply(wanted), 1, OrderRules())
    assert ledger.unbalanced(sold) == []
    rounded_up = float((costs.under * ledger.lost + costs.over * ledger.waste).sum())
    assert round(float(ours.total.sum())) == aware and round(rounded_up) == unaware
    assert (ours.decisions % case == 0).all()


@needs_realdata
@pytest.mark.parametrize(
    ("file", "settings"),
    [
        ("yaz_restaurant/yaz_ingredients_daily.csv", ("shelf_life=3", "order_days=Mon,Thu", "case_pack=6")),
        ("walmart_weekly/Walmart.csv", ("shelf_life=2", "min_order=100000")),
    ],
)
def test_every_real_file_runs_with_its_ledger_checked(file, settings, tmp_path, capsys):
    """The whole run on real files with stock kept over: every plan of every window is simulated
    and its ledger checked before it is priced (an unbalanced one stops the run), and the money
    comes out."""
    out = tmp_path / "run.json"
    args = ["analyze", str(path(file)), "--framing", "perishable", "--assume-defaults"]
    args += ["--models", "seasonal naive,poisson regression"]
    for setting in settings:
        args += ["--set", setting]
    assert main([*args, "--json", str(out)]) == 0, capsys.readouterr().err
    result = json.loads(out.read_text())
    auto = next(m for m in result["models"] if m["name"] == "auto")
    assert auto["money"] > 0 and set(auto["components"]) == {"stockouts", "overstock"}
