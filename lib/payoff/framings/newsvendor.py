"""The one-period newsvendor (stock for one period, leftovers lost or salvaged), and what the
other quantity rules share with it: the next decisions' column labels, the typical costs in
words, a simulated run priced, and the cell-by-cell yardstick of the explanations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from payoff import formatting
from payoff.framings.policy import Against, Ahead, Arrays, Column, Costed, Cover, Ledger, Plan, UnitCosts
from payoff.framings.quantity import newsvendor_cost, whole

# The next decisions' columns, as every download labels them.
STOCK, EXPECTED_COST, STAFF, LEVEL = "Quantity to stock", "Expected cost", "Staff to schedule", "Order up to"
CASES, EXPECTED_WASTE, EXPECTED_LOST = "Cases to order (expected)", "Expected waste", "Expected lost sales"
EXPECTED_ORDER = "Expected order"
SHORT = "Chance of running short"


def typical_costs(costs: UnitCosts) -> tuple[float, float, float]:
    """(under, over, critical ratio) of the typical row: the medians."""
    return float(np.median(costs.under)), float(np.median(costs.over)), float(np.median(costs.critical_ratio))


def unit_kind(whole_units: bool) -> str:
    return formatting.COUNT if whole_units else formatting.NUMBER


@dataclass(frozen=True)
class Newsvendor:
    """One period's stock, what is left over lost or salvaged: order the critical-ratio quantile
    of demand. `costs_from` turns the framing's parameters into the two unit costs (margin and
    waste for perishable stock, or the two costs typed as they are)."""

    costs_from: Callable[[Arrays], UnitCosts] = field(repr=False, compare=False)

    key: ClassVar[str] = "newsvendor"
    components: ClassVar[tuple[str, str]] = ("stockouts", "overstock")
    counts_demand: ClassVar[bool] = True
    decision_is_level: ClassVar[bool] = False
    next_step: ClassVar[str] = "the orders to place"
    totals: ClassVar[dict[str, str]] = {STOCK: "sum", EXPECTED_COST: "sum"}

    def unit_costs(self, params: Arrays) -> UnitCosts:
        return self.costs_from(params)

    def cover(self, params: Arrays) -> Cover | None:
        return None

    def carries_stock(self, params: Arrays) -> bool:
        return False

    def price(self, plan: Plan, against: Against) -> Costed:
        ordered = plan.decide(whole(plan.quantity) if plan.whole_units else plan.quantity)
        short, excess = newsvendor_cost(against.demand, ordered, against.costs)
        return Costed(ordered, against.masked(dict(zip(self.components, (short, excess), strict=True))))

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        return self.price(plan, against).total

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        stock = whole(ahead.quantity) if ahead.whole_units else ahead.quantity
        return (
            Column(STOCK, stock, unit_kind(ahead.whole_units)),
            Column(EXPECTED_COST, ahead.expected_cost(stock), formatting.MONEY),
        )

    def describe(self, costs: UnitCosts, per_row: bool, currency: str = "") -> str:
        under, over, ratio = typical_costs(costs)
        typical = "On a typical row, a" if per_row else "A"
        said = (
            f"{typical} missed sale costs {formatting.amount(under, currency)}, an unsold unit {formatting.amount(over, currency)}: the best "
            "order covers demand "
            f"{ratio:.0%} of the time."
        )
        return said + service_words(costs)


def service_words(costs: UnitCosts) -> str:
    """The service level, where it asks for more than the costs would give."""
    asked, alone = costs.least_ratio, float(np.median(costs.cost_ratio))
    if asked <= alone:
        return ""
    short, costs_alone = formatting.percent(1 - asked), formatting.percent(alone)
    return f" That is the service level you set (short at most {short} of periods); the costs alone: {costs_alone}."


def carried(
    components: tuple[str, str],
    against: Against,
    orders: np.ndarray,
    units: tuple[np.ndarray, np.ndarray],
    served: np.ndarray,
    stock: np.ndarray,
    ledger: Ledger | None = None,
) -> Costed:
    """A simulated run priced: the units short at `under`, the units too many (kept, or thrown
    away) at `over`."""
    (too_few, too_many), (short, excess) = components, units
    parts = {too_few: against.costs.under * short, too_many: against.costs.over * excess}
    return Costed(orders, against.masked(parts), served, short, stock, ledger)


def yardstick(unit_costs: Callable[[Arrays], UnitCosts], plan: Plan, against: Against) -> np.ndarray:
    """A rule that carries stock, priced cell by cell as one-period orders: a yardstick for the
    explanations, not a simulation."""
    return Newsvendor(unit_costs).cell_cost(plan, against)
