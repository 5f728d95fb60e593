"""The decision rules Payoff prices, and their registry: the newsvendor (stock for one period,
leftovers lost; payoff.framings.newsvendor), fresh stock kept a few periods and delivered on set
days (payoff.framings.shelf_life), the periodic-review order-up-to policy (stock carried over,
orders arriving after a lead time) and staffing (whole people, each handling so much work). See
:mod:`payoff.framings.policy` for what a rule must answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from payoff import formatting
from payoff.framings import quantity
from payoff.framings.lead import LeadTime, safety_stock
from payoff.framings.newsvendor import (
    CASES,
    EXPECTED_COST,
    EXPECTED_LOST,
    EXPECTED_ORDER,
    EXPECTED_WASTE,
    LEVEL,
    SHORT,
    STAFF,
    STOCK,
    Newsvendor,
    carried,
    service_words,
    typical_costs,
    unit_kind,
    yardstick,
)
from payoff.framings.policy import Against, Ahead, Arrays, Column, Costed, Cover, Plan, Policy, UnitCosts
from payoff.framings.quantity import simulate_order_up_to, staff_for, staffing_cost, whole
from payoff.framings.shelf_life import ShelfLife

__all__ = [
    "CASES",
    "EXPECTED_COST",
    "EXPECTED_LOST",
    "EXPECTED_ORDER",
    "EXPECTED_WASTE",
    "LEVEL",
    "POLICIES",
    "SHORT",
    "STAFF",
    "STOCK",
    "Newsvendor",
    "OrderUpTo",
    "ShelfLife",
    "Staffing",
    "summed_and_averaged",
]


@dataclass(frozen=True)
class OrderUpTo:
    """Periodic review with stock carried over: every review period, order up to the demand
    expected over lead time + review period plus safety stock; an order arrives lead_time + 1
    periods later, or, when the lead time varies (payoff.framings.lead), after its own draw.
    Priced by simulating the stock period by period."""

    key: ClassVar[str] = "order-up-to"
    components: ClassVar[tuple[str, str]] = ("lost sales", "holding")
    counts_demand: ClassVar[bool] = False
    decision_is_level: ClassVar[bool] = False
    next_step: ClassVar[str] = "the orders to place"
    totals: ClassVar[dict[str, str]] = {LEVEL: "mean"}

    def unit_costs(self, params: Arrays) -> UnitCosts:
        return quantity.inventory_costs(params)

    def cover(self, params: Arrays) -> Cover:
        """Lead time + review period: what an order must last until the next one is on the shelf
        (with the lead time's spread when it varies: "two days, sometimes four")."""
        return LeadTime.from_params(params).cover(int(params["review_period"]))

    def carries_stock(self, params: Arrays) -> bool:
        return True

    def price(self, plan: Plan, against: Against) -> Costed:
        # Levels already in whole units stay as they are: rounding up twice is rounding up once.
        level = whole(plan.quantity) if plan.whole_units else plan.quantity
        lead, review = int(against.params["lead_time"]), int(against.params["review_period"])
        drawn = LeadTime.from_params(against.params).draws(against.demand.shape)
        backorders = bool(against.params["backorders"])
        shape = against.demand.shape
        if not against.stretches:  # nothing simulated would price every cell at zero
            raise ValueError("order-up-to is priced over stretches of cells; none were given")
        lost, stock, orders, served = (np.zeros(shape) for _ in range(4))
        # Each stretch starts from the same shelf for every plan: recent demand x (L + R).
        for stretch in against.stretches:
            cells = stretch.cells
            run = simulate_order_up_to(
                against.demand[:, cells],
                level[:, cells],
                lead,
                review,
                backorders,
                stretch.recent_demand * self.cover(against.params).periods,
                None if plan.given is None else plan.given[:, cells],
                None if drawn is None else drawn[:, cells],
            )
            lost[:, cells], stock[:, cells] = run.lost, run.end_stock
            orders[:, cells], served[:, cells] = run.orders, run.served
        return carried(self.components, against, orders, (lost, stock), served, stock)

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        return yardstick(self.unit_costs, plan, against)

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        cover = self.cover(ahead.params)
        ratio = self.unit_costs(ahead.params).critical_ratio
        safety = safety_stock(np.sqrt(cover.periods) * ahead.offsets, ahead.forecast, ratio, cover.lead_spread)
        level = np.maximum(ahead.forecast * cover.periods + safety, 0.0)
        return (Column(LEVEL, whole(level) if ahead.whole_units else level, unit_kind(ahead.whole_units)),)

    def describe(self, costs: UnitCosts, per_row: bool, currency: str = "") -> str:
        under, over, ratio = typical_costs(costs)
        return (
            f"A missed sale costs {formatting.amount(under, currency)} and carrying a unit one more period {formatting.amount(over, currency)}: "
            "the best order-up-to "
            f"level covers demand over lead time and review period {ratio:.0%} of the time."
        ) + service_words(costs)


@dataclass(frozen=True)
class Staffing:
    """Whole people, each handling `units_per_staff` units of work a period: schedule enough for
    the critical-ratio quantile of the work; what they cannot handle goes unserved."""

    key: ClassVar[str] = "staffing"
    components: ClassVar[tuple[str, str]] = ("unserved work", "staff")
    counts_demand: ClassVar[bool] = False
    decision_is_level: ClassVar[bool] = True
    next_step: ClassVar[str] = "the staff to schedule"
    totals: ClassVar[dict[str, str]] = {STAFF: "sum"}

    def unit_costs(self, params: Arrays) -> UnitCosts:
        return quantity.staffing_costs(params)

    def cover(self, params: Arrays) -> Cover | None:
        return None

    def carries_stock(self, params: Arrays) -> bool:
        return False

    def price(self, plan: Plan, against: Against) -> Costed:
        staff = plan.decide(staff_for(plan.quantity, against.params))  # the business's own: people already
        unserved, paid = staffing_cost(against.demand, staff, against.params)
        return Costed(staff, against.masked(dict(zip(self.components, (unserved, paid), strict=True))))

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        return self.price(plan, against).total

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        staff = staff_for(ahead.quantity, ahead.params)
        if ahead.shut is not None:  # the fewest on shift are for open periods: a shut Sunday has nobody
            staff = np.where(ahead.shut, 0.0, staff)
        return (Column(STAFF, staff.astype(int), formatting.COUNT),)

    def describe(self, costs: UnitCosts, per_row: bool, currency: str = "") -> str:
        under, over, ratio = typical_costs(costs)
        return (
            f"An unserved unit costs {formatting.amount(under, currency)} and a person's idle capacity {formatting.amount(over, currency)} "
            "per unit: the best "
            f"schedule covers the work {ratio:.0%} of the time."
        )


# key -> rule. A new rule: its class above, and one entry here.
POLICIES: dict[str, type[Policy]] = {rule.key: rule for rule in (Newsvendor, ShelfLife, OrderUpTo, Staffing)}


def summed_and_averaged(labels: list[str]) -> tuple[list[str], list[str]]:
    """Of a next-decision list's columns, those the totals add up and those they average, in the
    rules' own order."""
    totals = {label: how for rule in POLICIES.values() for label, how in rule.totals.items()}
    summed = [label for label, how in totals.items() if how == "sum" and label in labels]
    averaged = [label for label, how in totals.items() if how == "mean" and label in labels]
    return summed, averaged
