"""Decision rules as objects (issue 20, item 2): each rule prices a plan as worked out by hand,
the framings hold registered rules under the keys saved analyses know, and a new rule is one
class: registered, it is priced by the backtest and lists its next decisions with no other
module touched."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from payoff import formatting
from payoff.analysis import next_decisions
from payoff.data.roles import Role, RoleMap, Shape
from payoff.engines.quantity import QuantityEngine
from payoff.evaluate.quantity_money import price_entries
from payoff.framings import catalogue
from payoff.framings.base import QuantityFraming, param_arrays
from payoff.framings.policy import Against, Ahead, Arrays, Column, Costed, Cover, Plan, Stretch, UnitCosts
from payoff.framings.rules import (
    LEVEL,
    POLICIES,
    STAFF,
    STOCK,
    Newsvendor,
    OrderUpTo,
    ShelfLife,
    Staffing,
    summed_and_averaged,
)
from payoff.models.catalogue import AUTO
from tests.helpers import analyse


def framing_and_params(key: str, **values: object) -> tuple[QuantityFraming, dict[str, object]]:
    framing = catalogue.get(key)
    assert isinstance(framing, QuantityFraming)
    return framing, param_arrays(framing.resolve(values), {})


def test_newsvendor_prices_whole_orders_against_demand_by_hand():
    framing, params = framing_and_params("perishable", price=5, unit_cost=2, salvage=0.5, goodwill=1)
    costs = framing.unit_costs(params)
    assert (float(costs.under), float(costs.over)) == (4.0, 1.5)  # 5 - 2 + 1 a missed sale, 2 - 0.5 a leftover
    demand = np.array([[10.0, 4.0, 7.0, 9.0]])
    seen = np.array([[True, True, True, False]])  # the last period is closed: nothing is priced there
    against = Against(demand, seen, params, costs)
    priced = framing.policy.price(Plan(np.array([[8.4, 6.0, 7.0, 1.0]]), whole_units=True), against)
    assert priced.decisions.tolist() == [[9.0, 6.0, 7.0, 1.0]]  # 8.4 rounds up to 9 whole units
    assert priced.costs["stockouts"].tolist() == [[4.0, 0.0, 0.0, 0.0]]  # 1 unit short x 4
    assert priced.costs["overstock"].tolist() == [[0.0, 3.0, 0.0, 0.0]]  # 2 left over x 1.5
    # The business's own order replaces the rule's where it gave one, unrounded.
    given = framing.policy.price(
        Plan(np.array([[8.4, 6.0, 7.0, 1.0]]), np.array([[np.nan, 4.5, np.nan, np.nan]]), True), against
    )
    assert given.decisions.tolist() == [[9.0, 4.5, 7.0, 1.0]]
    assert given.costs["overstock"].tolist() == [[0.0, 0.75, 0.0, 0.0]]  # 0.5 left over x 1.5
    assert float(framing.policy.cell_cost(Plan(np.array([[8.4, 6.0, 7.0, 1.0]]), whole_units=True), against).sum()) == 7


def test_order_up_to_carries_stock_between_periods_by_hand():
    """Level 10, lead time 1 (an order placed at the end of t is on the shelf at the start of
    t + 2), review every period, lost sales. The first stretch starts with recent demand 3 x
    (1 + 1) = 6 on the shelf:
        t  shelf  demand  served lost  end  on order  order
        0  6      4       4      0     2    0         8
        1  2      5       2      3     0    8         2
        2  0+8    3       3      0     5    2         3
        3  5+2    6       6      0     1    3         6
        4  1+3    2       2      0     2    6         2
    The second stretch starts again from its own shelf (recent demand 0: empty), not from the
    first's leftovers: both its units are lost."""
    framing, params = framing_and_params(
        "inventory", price=5, unit_cost=2, holding_cost=0.5, lead_time=1, review_period=1
    )
    costs = framing.unit_costs(params)
    demand = np.array([[4.0, 5.0, 3.0, 6.0, 2.0, 1.0, 1.0]])
    first = np.array([True] * 5 + [False] * 2)
    stretches = (Stretch(first, np.array([3.0])), Stretch(~first, np.array([0.0])))
    against = Against(demand, np.ones_like(demand, dtype=bool), params, costs, stretches)
    priced = framing.policy.price(Plan(np.full((1, 7), 10.0)), against)
    assert priced.decisions.tolist() == [[8.0, 2.0, 3.0, 6.0, 2.0, 10.0, 0.0]]
    assert priced.stock is not None and priced.lost is not None and priced.served is not None
    assert priced.stock.tolist() == [[2.0, 0.0, 5.0, 1.0, 2.0, 0.0, 0.0]]
    assert priced.lost.tolist() == [[0.0, 3.0, 0.0, 0.0, 0.0, 1.0, 1.0]]
    assert priced.served.tolist() == [[4.0, 2.0, 3.0, 6.0, 2.0, 0.0, 0.0]]
    assert float(priced.costs["lost sales"].sum()) == 5 * 3.0  # 5 units lost x margin 3
    assert float(priced.costs["holding"].sum()) == 10 * 0.5  # 10 unit-periods on the shelf x 0.5
    assert framing.policy.cover(params).periods == 2  # a level covers lead time + review period


def test_staffing_prices_whole_people_by_hand():
    framing, params = framing_and_params("staffing", units_per_staff=45, staff_cost=160, unserved_cost=6)
    costs = framing.unit_costs(params)
    assert float(costs.under) == 6.0 and float(costs.over) == pytest.approx(160 / 45)
    demand = np.array([[150.0, 30.0, 10.0]])
    against = Against(demand, np.ones_like(demand, dtype=bool), params, costs)
    priced = framing.policy.price(Plan(np.array([[100.0, 45.0, 0.0]])), against)
    assert priced.decisions.tolist() == [[3.0, 1.0, 0.0]]  # ceil(100 / 45), 45 / 45, nobody
    assert priced.costs["unserved work"].tolist() == [[90.0, 0.0, 60.0]]  # (150 - 135) x 6, none, 10 x 6
    assert priced.costs["staff"].tolist() == [[480.0, 160.0, 0.0]]  # 3, 1 and 0 people x 160
    assert framing.policy.describe(costs, False) == (
        "An unserved unit costs 6.00 and a person's idle capacity 3.56 per unit: the best schedule covers the "
        "work 63% of the time."  # 6 / (6 + 160 / 45) = 0.628
    )


def test_the_fewest_people_on_shift_staff_a_quiet_period_and_are_paid():
    """Two people at least: the quiet period (10 units, planned for nobody) has 2, who serve its
    10 units; the busy ones keep ceil(100 / 45) = 3 and 45 / 45 = 1 -> 2. The business's own rota
    (a decision column: 1 person in the last period) is priced as it is."""
    framing, params = framing_and_params("staffing", units_per_staff=45, staff_cost=160, unserved_cost=6, min_staff=2)
    demand = np.array([[150.0, 30.0, 10.0]])
    against = Against(demand, np.ones_like(demand, dtype=bool), params, framing.unit_costs(params))
    priced = framing.policy.price(Plan(np.array([[100.0, 45.0, 0.0]])), against)
    assert priced.decisions.tolist() == [[3.0, 2.0, 2.0]]
    assert priced.costs["unserved work"].tolist() == [[90.0, 0.0, 0.0]]
    assert priced.costs["staff"].tolist() == [[480.0, 320.0, 320.0]]
    own = framing.policy.price(Plan(np.array([[100.0, 45.0, 0.0]]), given=np.array([[np.nan, np.nan, 1.0]])), against)
    assert own.decisions.tolist() == [[3.0, 2.0, 1.0]]


def test_every_quantity_framing_holds_a_registered_rule_under_its_saved_key():
    rules = {key: type(f.policy) for key, f in catalogue.FRAMINGS.items() if isinstance(f, QuantityFraming)}
    assert rules == {
        "perishable": ShelfLife,
        "inventory": OrderUpTo,
        "staffing": Staffing,
        "custom-quantity": Newsvendor,
    }
    assert {key: rule.key for key, rule in POLICIES.items()} == {
        "newsvendor": "newsvendor",
        "shelf-life": "shelf-life",
        "order-up-to": "order-up-to",
        "staffing": "staffing",
    }
    assert [POLICIES[key].components for key in POLICIES] == [
        ("stockouts", "overstock"),
        ("stockouts", "overstock"),
        ("lost sales", "holding"),
        ("unserved work", "staff"),
    ]
    assert summed_and_averaged(["Period", LEVEL, STAFF, STOCK]) == ([STOCK, STAFF], [LEVEL])


@dataclasses.dataclass(frozen=True)
class CasePack:
    """A toy rule: orders come in cases of 6, what is left over is wasted."""

    key: ClassVar[str] = "case-pack"
    components: ClassVar[tuple[str, str]] = ("missed", "wasted")
    counts_demand: ClassVar[bool] = False
    next_step: ClassVar[str] = "the cases to order"
    totals: ClassVar[dict[str, str]] = {"Cases to order": "sum"}

    def unit_costs(self, params: Arrays) -> UnitCosts:
        return UnitCosts(np.asarray(float(params["under"])), np.asarray(float(params["over"])))

    def cover(self, params: Arrays) -> Cover | None:
        return None

    def carries_stock(self, params: Arrays) -> bool:
        return False

    def price(self, plan: Plan, against: Against) -> Costed:
        ordered = plan.decide(6.0 * np.ceil(plan.quantity / 6.0))
        missed = against.costs.under * np.maximum(against.demand - ordered, 0.0)
        wasted = against.costs.over * np.maximum(ordered - against.demand, 0.0)
        return Costed(ordered, against.masked({"missed": missed, "wasted": wasted}))

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        return sum(self.price(plan, against).costs.values())  # type: ignore[return-value]

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        return (Column("Cases to order", np.ceil(ahead.quantity / 6.0), formatting.COUNT),)

    def describe(self, costs: UnitCosts, per_row: bool) -> str:
        return "Orders come in cases of 6."


def test_a_new_rule_is_one_class_and_one_registry_line(monkeypatch):
    rng = np.random.default_rng(5)
    days = 160
    frame = pd.DataFrame(
        {
            "date": np.tile(pd.date_range("2025-01-01", periods=days), 2),
            "item": np.repeat(["a", "b"], days),
            "units": rng.poisson(20, 2 * days).astype(float),
        }
    )
    roles = RoleMap({"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET}, Shape.TIME_SERIES)
    analysis = analyse(
        frame, roles, "custom-quantity", params={"under": 3, "over": 1}, models=["moving average", "naive"], horizon=14
    )
    monkeypatch.setitem(POLICIES, CasePack.key, CasePack)
    framing = dataclasses.replace(analysis.problem.framing, policy=CasePack())
    problem = dataclasses.replace(analysis.problem, framing=framing)
    predictions = analysis.predictions

    entries, auto, _, _ = price_entries(framing, problem.values, predictions)
    seen = ~np.isnan(predictions.actual)
    demand = np.where(seen, predictions.actual, 0.0)
    for priced in [*entries, auto]:
        assert set(priced.costs) == {"missed", "wasted"}
        assert np.all(priced.decisions % 6 == 0)  # whole cases, from the toy rule
        by_hand = np.where(
            seen, 3 * np.maximum(demand - priced.decisions, 0) + np.maximum(priced.decisions - demand, 0), 0
        )
        assert priced.total == pytest.approx(by_hand)
    assert auto.name == AUTO

    impact = QuantityEngine().price(problem, predictions, problem.values, uncertainty=False)
    model = impact.model("moving average")
    assert set(model.components) == {"missed", "wasted"}
    assert model.money == pytest.approx(sum(model.components.values()))
    decisions = next_decisions(dataclasses.replace(analysis, problem=problem, impact=impact))
    assert "Cases to order" in decisions and "Quantity to stock" not in decisions
    assert summed_and_averaged(list(decisions.columns)) == (["Cases to order"], [])


def test_the_fewest_on_shift_are_never_scheduled_on_a_shut_day():
    framing, params = framing_and_params("staffing", units_per_staff=15, staff_cost=18, unserved_cost=4, min_staff=2)
    quantity = np.array([[0.0, 0.0, 30.0]])
    shut = np.array([[False, True, False]])
    ahead = Ahead(quantity, np.zeros_like(quantity), quantity, True, params, lambda q: q * 0, shut=shut)
    (staff,) = framing.policy.next_columns(ahead)
    assert staff.values.tolist() == [[2, 0, 2]]  # an open quiet day keeps 2; the shut one has nobody
