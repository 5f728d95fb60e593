"""A decision rule as an object: what turns a demand forecast into an order, a stock level or a
schedule, and what that decision cost against what happened. A quantity framing holds one
(:mod:`payoff.framings.rules` has them and their registry); the backtest, the next decisions,
the explanations and the pages call its methods and never ask which rule it is.

The rule sits with the framings, below evaluate/ and engines/, so everything that prices a
quantity can reach it; it may not import models/ or evaluate/, so what it needs from them (the
level of demand before a stretch, a quantity's expected cost) arrives in the value objects below."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np

Arrays = Mapping[str, Any]  # a parameter as a number, or as an array of per-row values


def summed(parts: Mapping[str, np.ndarray]) -> np.ndarray:
    """Cost components added up cell by cell (a zero where there are none)."""
    total: np.ndarray = sum(parts.values(), np.zeros(()))
    return total


@dataclass(frozen=True)
class UnitCosts:
    """Per cell (series x period) costs of one unit too few and one unit too many, and the least
    share of periods to cover whatever they say (a service level: "short at most 5% of days" is
    0.95; 0 when only the costs decide)."""

    under: np.ndarray
    over: np.ndarray
    least_ratio: float = 0.0

    @property
    def cost_ratio(self) -> np.ndarray:
        """under / (under + over): the demand quantile that minimises the expected cost."""
        total = self.under + self.over
        ratio: np.ndarray = np.divide(
            self.under, total, out=np.full(np.broadcast(self.under, total).shape, 0.5), where=total > 0
        )
        return ratio

    @property
    def critical_ratio(self) -> np.ndarray:
        """The demand quantile to order: the cost ratio, raised to the service level where it is
        lower (the least cost that meets the target, the expected cost being convex in the order)."""
        ratio: np.ndarray = np.maximum(self.cost_ratio, self.least_ratio)
        return ratio


@dataclass(frozen=True)
class Cover:
    """What one order-up-to level must cover: `periods` of demand (lead time + review period, the
    lead time at its mean when it varies) and `lead_spread`, the lead time's standard deviation in
    periods (0 when it never varies): demand at its forecast rate over a late delivery, which adds
    safety stock."""

    periods: int
    lead_spread: float = 0.0


@dataclass(frozen=True, eq=False)
class Plan:
    """A set of decisions to price, series x cells. `quantity` is what the rule works from (a
    demand quantile, or an order-up-to level); `given` holds the business's own decisions, which
    replace the rule's wherever they are not NaN (None: the rule decides every cell)."""

    quantity: np.ndarray
    given: np.ndarray | None = None
    whole_units: bool = False  # the demand is counted: orders and levels are whole units, rounded up
    # the mean forecast behind `quantity`, where the rule adds periods up: demand over k periods is
    # k forecasts plus sqrt(k) times one period's margin above it, not k quantiles
    forecast: np.ndarray | None = None

    def decide(self, ruled: np.ndarray) -> np.ndarray:
        """The rule's decisions, with the business's own wherever it gave one."""
        if self.given is None:
            return ruled
        return np.where(np.isnan(self.given), ruled, self.given)


@dataclass(frozen=True, eq=False)
class Stretch:
    """Cells simulated as one run, stock carried from period to period, from a starting shelf
    sized on `recent_demand` (each series' mean demand per period before the stretch)."""

    cells: np.ndarray  # boolean, over the cells
    recent_demand: np.ndarray  # per series


@dataclass(frozen=True, eq=False)
class Against:
    """What a plan is priced against: the demand that happened (0 where unseen), which cells were
    seen, the framing's parameters (numbers or per-cell arrays), their unit costs, and the
    stretches a rule that carries stock simulates."""

    demand: np.ndarray
    seen: np.ndarray
    params: Arrays
    costs: UnitCosts
    stretches: tuple[Stretch, ...] = ()
    weekdays: np.ndarray | None = None  # per cell: its day of the week (Monday 0), on a daily file
    windows: np.ndarray | None = None  # per cell: the backtest window whose forecast it holds

    def masked(self, parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Each component per cell, zero where demand was not seen (a closed or missing period)."""
        return {k: np.where(self.seen, np.broadcast_to(v, self.demand.shape), 0.0) for k, v in parts.items()}


LEDGER = ("opening", "arrivals", "sales", "lost", "waste", "closing", "orders")  # the ledger's columns


@dataclass(frozen=True, eq=False)
class Ledger:
    """Every unit accounted for, per series and period."""

    opening: np.ndarray
    arrivals: np.ndarray
    sales: np.ndarray
    lost: np.ndarray
    waste: np.ndarray
    closing: np.ndarray
    orders: np.ndarray

    def unbalanced(self, demand: np.ndarray, tolerance: float = 1e-6) -> list[str]:
        """The identities that fail, in words: arrivals = sales + waste + change in stock, and
        demand = sales + lost sales. Empty when every unit is accounted for."""
        out = []
        stock = self.arrivals - (self.sales + self.waste + self.closing - self.opening)
        if np.abs(stock).max(initial=0.0) > tolerance:
            out.append("arrivals differ from sales + waste + the change in stock")
        served = np.where(np.isnan(demand), 0.0, np.maximum(demand, 0.0)) - (self.sales + self.lost)
        if np.abs(served).max(initial=0.0) > tolerance:
            out.append("demand differs from sales + lost sales")
        return out


@dataclass(frozen=True, eq=False)
class Costed:
    """A plan priced: the decisions actually taken per cell (orders, people) and each cost
    component per cell; a rule that carries stock also says what was served, lost and kept."""

    decisions: np.ndarray
    costs: dict[str, np.ndarray]
    served: np.ndarray | None = None
    lost: np.ndarray | None = None
    stock: np.ndarray | None = None
    ledger: Ledger | None = None  # a rule that keeps one: every unit, per series and period

    @property
    def total(self) -> np.ndarray:
        return summed(self.costs)


@dataclass(frozen=True, eq=False)
class Ahead:
    """The next periods, for the next-decision columns: the refitted forecast, the residual
    quantile added to it at the critical ratio, their sum (never negative), and what a quantity
    is expected to cost against the model's backtest errors."""

    forecast: np.ndarray
    offsets: np.ndarray
    quantity: np.ndarray
    whole_units: bool
    params: Arrays
    expected_cost: Callable[[np.ndarray], np.ndarray]
    weekdays: np.ndarray | None = None  # per period ahead: its day of the week, on a daily file
    # demand paths the next periods may take (draws x series x periods): the forecast plus errors
    # drawn from the model's backtest, for a rule that simulates its next orders
    paths: np.ndarray | None = None
    shut: np.ndarray | None = None  # series x periods: the business is shut then, nothing is decided


@dataclass(frozen=True, eq=False)
class Column:
    """One next-decision column: its label (as every download shows it), its values (series x
    periods) and the kind of its cells (payoff.formatting). How the totals above the list combine
    it is the rule's `totals`."""

    label: str
    values: np.ndarray
    kind: str


class Policy(Protocol):
    """A decision rule. A new rule is one class in payoff.framings.rules and one line of its
    registry; a framing that uses it names an instance."""

    key: ClassVar[str]  # its name, as "newsvendor" (never shown; tests and saved analyses use framing keys)
    components: ClassVar[tuple[str, str]]  # cost labels, too few first: ("stockouts", "overstock")
    counts_demand: ClassVar[bool]  # whole-unit demand is decided from its count quantiles
    # today's decision column is a level held through the period (people on shift), not a flow
    # placed in it (orders): rows finer than the period are averaged, not added up
    decision_is_level: ClassVar[bool]
    next_step: ClassVar[str]  # what the next decisions are, after "Next: ": "the orders to place"
    totals: ClassVar[dict[str, str]]  # next-decision label -> "sum" or "mean", for the totals above the list

    def unit_costs(self, params: Arrays) -> UnitCosts:
        """One unit too few and one unit too many, from the framing's parameters."""
        ...

    def cover(self, params: Arrays) -> Cover | None:
        """What one level must cover when it is set on demand over several periods (the
        order-up-to level covers lead time + review period), or None when the rule works from each
        period's own demand quantile."""
        ...

    def carries_stock(self, params: Arrays) -> bool:
        """Whether stock carries from one period to the next, so the plan is simulated over
        stretches of periods rather than priced cell by cell."""
        ...

    def price(self, plan: Plan, against: Against) -> Costed:
        """The plan's decisions and their cost per cell against what happened."""
        ...

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        """Each cell's cost priced alone, stock never carried over: the yardstick of the
        explanations, which shuffle a feature within one window."""
        ...

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        """The decision columns of the next periods' list."""
        ...

    def describe(self, costs: UnitCosts, per_row: bool, currency: str = "") -> str:
        """The consequence of the costs in words, before anything is fitted (a typical row when
        `per_row`, the costs varying by row)."""
        ...
