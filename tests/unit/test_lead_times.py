"""Uncertain lead times (issue 22, item 4): "two days, sometimes four" as a shortest, a most
likely and a longest delivery. Hand-worked arrivals, the closed-form quantile of a triangular
distribution, and a simulated line where covering the distribution beats covering the most
likely lead time."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from payoff.cli.main import main
from payoff.framings import quantity
from payoff.framings.catalogue import INVENTORY
from payoff.framings.lead import LeadTime, safety_stock
from payoff.framings.policy import Against, Cover, Plan, Stretch
from payoff.framings.quantity import simulate_order_up_to
from payoff.framings.rules import OrderUpTo
from tests.unit.test_fresh import SAMPLES

PARAMS = {"price": 10.0, "unit_cost": 6.0, "holding_cost": 0.1, "goodwill": 0.0, "review_period": 1}


def test_each_order_arrives_after_its_own_lead_time():
    """Orders placed at the end of periods 0 and 1 with lead times 3 and 0 arrive at the start of
    periods 4 and 2: the second overtakes the first. Demand 1 a period, level 5, 5 on the shelf."""
    demand = np.ones((1, 6))
    leads = np.array([[3, 0, 9, 9, 9, 9]])  # orders after period 1 would land past the end
    run = simulate_order_up_to(demand, np.full((1, 6), 5.0), 1, 1, False, np.array([5.0]), None, leads)
    # period 0: 5 - 1 = 4 on hand, order 1 (to 5), arrives at 4. period 1: 3 on hand + 1 on order, order 1, at 2.
    np.testing.assert_array_equal(run.orders[0, :2], [1, 1])
    np.testing.assert_array_equal(run.end_stock[0], [4, 3, 3, 2, 2, 1])  # +1 at the start of 2, +1 at 4


def test_a_lead_time_that_never_varies_is_todays_rule_exactly():
    rng = np.random.default_rng(2)
    demand = rng.poisson(8.0, (5, 60)).astype(float)
    plan = Plan(np.full(demand.shape, 30.0))
    stretch = (Stretch(np.ones(60, dtype=bool), np.full(5, 8.0)),)
    fixed = {**PARAMS, "lead_time": 2, "backorders": False}
    same = {**fixed, "lead_time_min": 2, "lead_time_max": 2}
    costs = quantity.inventory_costs(fixed)
    seen = np.ones(demand.shape, bool)
    one = OrderUpTo().price(plan, Against(demand, seen, fixed, costs, stretch))
    other = OrderUpTo().price(plan, Against(demand, seen, same, costs, stretch))
    for name in OrderUpTo.components:
        np.testing.assert_array_equal(one.costs[name], other.costs[name])
    assert OrderUpTo().cover(fixed) == OrderUpTo().cover(same) == Cover(3, 0.0)


def test_lead_time_draws_follow_the_triangular_distribution():
    """1 to 5, most likely 2: the mean is (1 + 2 + 5) / 3 and the spread sqrt((1 + 4 + 25 - 2 - 5 -
    10) / 18) = sqrt(13 / 18); draws rounded to whole periods stay in 1..5 with that mean."""
    lead = LeadTime(1, 2, 5)
    assert lead.mean == 8 / 3 and lead.spread == pytest.approx(np.sqrt(13 / 18))
    assert lead.spread == pytest.approx(stats.triang.std(0.25, loc=1, scale=4))
    drawn = lead.draws((200, 500))
    assert drawn is not None and drawn.min() == 1 and drawn.max() == 5
    assert abs(drawn.mean() - 8 / 3) < 0.02
    assert LeadTime(2, 2, 2).draws((3, 3)) is None  # a lead time that never varies is not drawn


def test_a_late_deliverys_safety_adds_to_the_demands_own():
    """Demand safety 3 and a late delivery's 4 (z = 2 at 97.7%, rate 10, spread 0.2): 5 in all.
    At a ratio of one half the late delivery adds nothing and the demand's own (a bias
    correction, here) stays whole."""
    ratio = np.array(stats.norm.cdf(2.0))
    assert float(safety_stock(np.array(3.0), np.array(10.0), ratio, 0.2)) == pytest.approx(5.0)
    assert float(safety_stock(np.array(5.0), np.array(10.0), np.array(0.5), 1.0)) == 5.0
    below = float(safety_stock(np.array(-1.0), np.array(10.0), np.array(stats.norm.cdf(-1.0)), 0.3))
    assert below == pytest.approx(-1.0 - (np.hypot(1.0, 3.0) - 1.0))  # further below, never flipped


def test_covering_the_lead_time_distribution_beats_covering_the_most_likely():
    """Poisson demand of 10 a period, reviewed every period, a lead time of 2 that is sometimes 1
    and up to 6 (mean 3, standard deviation sqrt(21 / 18) = 1.08). The level covers the mean lead
    time + review (4 periods) with the demand's safety and a late delivery's added in quadrature;
    the level that trusts the most likely lead time covers 3 periods with the demand's safety
    alone. Both priced by the same simulation with the same drawn deliveries."""
    params = {**PARAMS, "lead_time": 2, "lead_time_min": 1, "lead_time_max": 6, "backorders": False}
    costs = quantity.inventory_costs(params)
    ratio = costs.critical_ratio
    cover = OrderUpTo().cover(params)
    assert cover == Cover(4, pytest.approx(np.sqrt(21 / 18)))
    z = stats.norm.ppf(ratio)
    demand = np.random.default_rng(5).poisson(10.0, (40, 400)).astype(float)

    def cost(level: float) -> float:
        stretch = (Stretch(np.ones(400, dtype=bool), np.full(40, 10.0)),)
        plan = Plan(np.full(demand.shape, level))
        return float(
            OrderUpTo().price(plan, Against(demand, np.ones(demand.shape, bool), params, costs, stretch)).total.sum()
        )

    varied = 40 + safety_stock(z * np.sqrt(10 * 4), np.array(10.0), ratio, cover.lead_spread)
    assert float(varied) == pytest.approx(40 + np.sqrt(10 * 4 + (10 * 1.0801) ** 2) * z, rel=1e-3)
    trusted = 30 + z * np.sqrt(10 * 3)
    assert cost(float(varied)) < 0.6 * cost(trusted)


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (("lead_time=2", "lead_time_min=3"), "Lead time from (3) cannot be above the lead time (2)."),
        (("lead_time=2", "lead_time_max=1"), "Lead time to (1) cannot be below the lead time (2)."),
        (("lead_time_min=-1",), "'lead_time_min' must be at least 0, not -1"),
        (("lead_time=-2",), "'lead_time' must be at least 0, not -2"),
    ],
)
def test_lead_times_out_of_order_are_one_clear_line(settings, words, capsys):
    args = ["analyze", str(SAMPLES / "retail_sales.csv"), "--framing", "inventory", "--assume-defaults"]
    assert main([*args, *(part for setting in settings for part in ("--set", setting))]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_a_what_if_out_of_order_is_refused_in_words():
    with pytest.raises(Exception, match="cannot be above the lead time"):
        INVENTORY.resolve({"lead_time": 1, "lead_time_min": 2})


def deliveries_file(path, leads) -> None:
    """A daily file of one item whose rows also record the lead time of that day's delivery."""
    days = len(leads)
    dates = pd.date_range("2025-01-01", periods=days, freq="D")
    units = 10 + (np.arange(days) * 7) % 5
    pd.DataFrame({"date": dates, "item": "flour", "units": units, "lead_days": leads}).to_csv(path, index=False)


def test_past_deliveries_set_the_lead_time_and_its_range(tmp_path, capsys):
    """100 deliveries (then again): 10 took 1 day, 60 took 2, 20 took 3 and 10 took 4. The shortest
    is 1, the median 2, and the 95th percentile falls among the 4s (positions 94 and 95 of 0..99)."""
    leads = ([1] * 10 + [2] * 60 + [3] * 20 + [4] * 10) * 2
    deliveries_file(tmp_path / "flour.csv", leads)
    out = tmp_path / "run.json"
    args = ["analyze", str(tmp_path / "flour.csv"), "--framing", "inventory", "--assume-defaults"]
    args += ["--lead-time-col", "lead_days", "--models", "seasonal naive", "--json", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    result = json.loads(out.read_text())
    params, sources = result["params"], result["param_sources"]
    assert (params["lead_time_min"], params["lead_time"], params["lead_time_max"]) == (1, 2, 4)
    assert sources["lead_time"] == sources["lead_time_min"] == sources["lead_time_max"] == "column"
    left_out = {entry["column"] for entry in result["columns"]["left_out"]}
    assert "lead_days" in left_out and "lead_days" not in result["columns"]["features"]  # not a demand feature


@pytest.mark.parametrize(
    ("leads", "words"),
    [
        ([2, -1, 3] * 40, "'lead_days' holds lead times below zero (-1); a delivery cannot come early."),
        (["soon"] * 120, "'lead_days' holds 0 lead time(s); past deliveries need at least 3 numbers."),
    ],
)
def test_a_column_of_impossible_lead_times_is_one_clear_line(leads, words, tmp_path, capsys):
    deliveries_file(tmp_path / "flour.csv", leads)
    args = ["analyze", str(tmp_path / "flour.csv"), "--framing", "inventory", "--assume-defaults"]
    assert main([*args, "--lead-time-col", "lead_days"]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err, err
