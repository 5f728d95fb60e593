"""The decision rules Payoff prices, and their registry: the newsvendor (stock for one period,
leftovers lost), the periodic-review order-up-to policy (stock carried over, orders arriving
after a lead time) and staffing (whole people, each handling so much work). See
:mod:`payoff.framings.policy` for what a rule must answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from payoff import formatting
from payoff.errors import BadParameter
from payoff.framings import quantity
from payoff.framings.fresh import (
    OrderRules,
    cover_levels,
    delivery_days,
    periods_to_next,
    schedule_problem,
    simulate_fresh,
)
from payoff.framings.lead import LeadTime, safety_stock
from payoff.framings.policy import (
    LEDGER,
    Against,
    Ahead,
    Arrays,
    Column,
    Costed,
    Cover,
    Ledger,
    Plan,
    Policy,
    UnitCosts,
)
from payoff.framings.quantity import newsvendor_cost, simulate_order_up_to, staff_for, staffing_cost, whole

# The next decisions' columns, as every download labels them.
STOCK, EXPECTED_COST, STAFF, LEVEL = "Quantity to stock", "Expected cost", "Staff to schedule", "Order up to"
CASES, EXPECTED_WASTE, EXPECTED_LOST = "Cases to order (expected)", "Expected waste", "Expected lost sales"
EXPECTED_ORDER = "Expected order"
SHORT = "Chance of running short"


def _typical(costs: UnitCosts) -> tuple[float, float, float]:
    """(under, over, critical ratio) of the typical row: the medians."""
    return float(np.median(costs.under)), float(np.median(costs.over)), float(np.median(costs.critical_ratio))


def _counted(whole_units: bool) -> str:
    return formatting.COUNT if whole_units else formatting.NUMBER


@dataclass(frozen=True)
class Newsvendor:
    """One period's stock, what is left over lost or salvaged: order the critical-ratio quantile
    of demand. `costs_from` turns the framing's parameters into the two unit costs (margin and
    waste for perishable stock, or the two costs typed as they are)."""

    costs_from: Callable[[Arrays], UnitCosts] = field(repr=False, compare=False)

    key: ClassVar[str] = "newsvendor"
    components: ClassVar[tuple[str, str]] = ("stockouts", "overstock")
    counts_slow_movers: ClassVar[bool] = True
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
            Column(STOCK, stock, _counted(ahead.whole_units)),
            Column(EXPECTED_COST, ahead.expected_cost(stock), formatting.MONEY),
        )

    def describe(self, costs: UnitCosts, per_row: bool) -> str:
        under, over, ratio = _typical(costs)
        typical = "On a typical row, a" if per_row else "A"
        said = (
            f"{typical} missed sale costs {under:,.2f}, an unsold unit {over:,.2f}: the best order covers demand "
            f"{ratio:.0%} of the time."
        )
        return said + _service_words(costs)


def _service_words(costs: UnitCosts) -> str:
    """The service level, where it asks for more than the costs would give."""
    asked, alone = costs.least_ratio, float(np.median(costs.cost_ratio))
    if asked <= alone:
        return ""
    return (
        f" That is the service level you set (short at most {1 - asked:.0%} of periods); the costs alone: {alone:.0%}."
    )


def _carried(
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


def _weekdays(mask: int | None, weekdays: np.ndarray | None, n: int, seen: np.ndarray) -> np.ndarray:
    """The cells' weekdays for a delivery schedule, checked as the Problem page checks it."""
    if mask is None:
        return np.zeros(n, dtype="int64")
    open_days = np.asarray(weekdays)[seen.any(axis=0)] if weekdays is not None else np.zeros(0)
    problem = schedule_problem(mask, weekdays is not None, open_days)
    if problem is not None:
        raise BadParameter(problem)
    assert weekdays is not None  # a daily file has them
    return np.asarray(weekdays, dtype="int64")


def _yardstick(unit_costs: Callable[[Arrays], UnitCosts], plan: Plan, against: Against) -> np.ndarray:
    """A rule that carries stock, priced cell by cell as one-period orders: a yardstick for the
    explanations, not a simulation."""
    return Newsvendor(unit_costs).cell_cost(plan, against)


@dataclass(frozen=True)
class ShelfLife:
    """Fresh stock that keeps `shelf_life` periods, delivered every period or on the supplier's
    weekdays (`order_days`), under its constraints (cases, a minimum, a most:
    payoff.framings.fresh.OrderRules). With a life of one period and a delivery every period each
    order is the newsvendor's, constrained. Otherwise the plan's per-period demand quantiles are
    added up until the next delivery (no further than the life) and the stock is simulated first
    in, first out: what passes its life is written off at the waste cost, and every run's ledger
    must balance before it is priced."""

    costs_from: Callable[[Arrays], UnitCosts] = field(repr=False, compare=False)

    key: ClassVar[str] = "shelf-life"
    components: ClassVar[tuple[str, str]] = ("stockouts", "overstock")  # overstock: the units written off
    counts_slow_movers: ClassVar[bool] = True
    next_step: ClassVar[str] = "the orders to place"
    totals: ClassVar[dict[str, str]] = {
        STOCK: "sum",
        EXPECTED_ORDER: "sum",
        CASES: "sum",
        EXPECTED_WASTE: "sum",
        EXPECTED_LOST: "sum",
        EXPECTED_COST: "sum",
    }

    def unit_costs(self, params: Arrays) -> UnitCosts:
        return self.costs_from(params)

    @staticmethod
    def _life(params: Arrays) -> int:
        return int(params.get("shelf_life", 1) or 1)

    def cover(self, params: Arrays) -> Cover | None:
        return None  # it works from each period's demand quantile, added up to the next delivery

    def carries_stock(self, params: Arrays) -> bool:
        return self._life(params) > 1 or params.get("order_days") is not None

    def price(self, plan: Plan, against: Against) -> Costed:
        rules = OrderRules.from_params(against.params)
        quantity = whole(plan.quantity) if plan.whole_units else plan.quantity
        life = self._life(against.params)
        if not self.carries_stock(against.params):
            ordered = plan.decide(rules.apply(quantity))
            short, excess = newsvendor_cost(against.demand, ordered, against.costs)
            return Costed(ordered, against.masked(dict(zip(self.components, (short, excess), strict=True))))
        if not against.stretches:
            raise ValueError("stock kept over periods is priced over stretches of cells; none were given")
        mask = against.params.get("order_days")
        weekdays = _weekdays(mask, against.weekdays, against.demand.shape[1], against.seen)
        level = cover_levels(plan.quantity, periods_to_next(weekdays, mask), against.windows, life, plan.forecast)
        level = whole(level) if plan.whole_units else level
        expected = quantity if plan.forecast is None else plan.forecast  # what a day is expected to sell
        days = delivery_days(weekdays, mask)
        parts = {name: np.zeros(against.demand.shape) for name in LEDGER}
        for stretch in against.stretches:
            cells = stretch.cells
            given = None if plan.given is None else plan.given[:, cells]
            ledger = simulate_fresh(
                against.demand[:, cells], level[:, cells], life, rules, given, days[cells], expected[:, cells]
            )
            unbalanced = ledger.unbalanced(against.demand[:, cells])
            if unbalanced:  # checked on every run: money priced from units that do not add up is never shown
                raise AssertionError(f"the stock ledger does not balance: {'; '.join(unbalanced)}")
            for name in LEDGER:
                parts[name][:, cells] = getattr(ledger, name)
        ledger = Ledger(**parts)
        units = (ledger.lost, ledger.waste)
        return _carried(self.components, against, ledger.orders, units, ledger.sales, ledger.closing, ledger)

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        return _yardstick(self.unit_costs, plan, against)

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        params = ahead.params
        rules = OrderRules.from_params(params)
        quantity = whole(ahead.quantity) if ahead.whole_units else ahead.quantity
        if not self.carries_stock(params):
            stock = rules.apply(quantity)
            return (
                Column(STOCK, stock, _counted(ahead.whole_units)),
                Column(EXPECTED_COST, ahead.expected_cost(stock), formatting.MONEY),
            )
        return fresh_order_list(ahead, self._life(params), rules, self.unit_costs(params))

    def describe(self, costs: UnitCosts, per_row: bool) -> str:
        return Newsvendor(self.unit_costs).describe(costs, per_row) + (
            " With stock kept over (a life of more than one period, or delivery days), how far above that each model "
            "orders is learned from the backtest's first window, before the tests."
        )


def fresh_order_list(ahead: Ahead, life: int, rules: OrderRules, costs: UnitCosts) -> tuple[Column, ...]:
    """The next deliveries of fresh stock: on each delivery day the stock to bring the shelf up
    to (in whole cases when the supplier sells cases), the order that takes expected (that stock
    less what is still good on the shelf, in cases too), and what each day is expected to waste,
    lose and cost, simulated over the demand paths the model's errors allow. The simulation
    starts a week earlier, on the same schedule, so the first days open with the stock a running
    shelf has: the expected order is a plan, the stock level is the rule."""
    mask = ahead.params.get("order_days")
    n_series, horizon = ahead.quantity.shape
    weekdays = np.zeros(horizon, dtype="int64") if ahead.weekdays is None else np.asarray(ahead.weekdays, "int64")
    warm = np.arange(7) % horizon  # a week before, standing in for itself
    days = np.concatenate([(weekdays[0] - 7 + np.arange(7)) % 7, weekdays])
    quantity = np.concatenate([ahead.quantity[:, warm], ahead.quantity], axis=1)
    forecast = np.concatenate([ahead.forecast[:, warm], ahead.forecast], axis=1)
    level = cover_levels(quantity, periods_to_next(days, mask), None, life, forecast)
    level = whole(level) if ahead.whole_units else level
    paths = ahead.paths if ahead.paths is not None else ahead.forecast[None]
    draws = paths.shape[0]
    demand = np.concatenate([paths[:, :, warm], paths], axis=2).reshape(draws * n_series, -1)
    delivers = delivery_days(days, mask)
    ledger = simulate_fresh(
        demand, np.tile(level, (draws, 1)), life, rules, None, delivers, np.tile(quantity, (draws, 1))
    )

    def mean(values: np.ndarray) -> np.ndarray:
        out: np.ndarray = values.reshape(draws, n_series, -1)[:, :, 7:].mean(axis=0)
        return out

    stock = np.where(delivers[7:], rules.apply(level[:, 7:]), np.nan)
    lost, waste = mean(ledger.lost), mean(ledger.waste)
    ordered = np.where(delivers[7:], mean(ledger.arrivals), np.nan)  # the level less what is still good
    counted = _counted(ahead.whole_units)
    columns = [Column(STOCK, stock, counted), Column(EXPECTED_ORDER, ordered, formatting.NUMBER)]
    if rules.case_pack > 1:
        columns.append(Column(CASES, ordered / rules.case_pack, formatting.NUMBER))
    cost = np.broadcast_to(costs.under, lost.shape) * lost + np.broadcast_to(costs.over, waste.shape) * waste
    return (
        *columns,
        Column(EXPECTED_WASTE, waste, formatting.NUMBER),
        Column(EXPECTED_LOST, lost, formatting.NUMBER),
        Column(SHORT, mean((ledger.lost > 1e-9).astype(float)), formatting.PERCENT),
        Column(EXPECTED_COST, cost, formatting.MONEY),
    )


@dataclass(frozen=True)
class OrderUpTo:
    """Periodic review with stock carried over: every review period, order up to the demand
    expected over lead time + review period plus safety stock; an order arrives lead_time + 1
    periods later, or, when the lead time varies (payoff.framings.lead), after its own draw.
    Priced by simulating the stock period by period."""

    key: ClassVar[str] = "order-up-to"
    components: ClassVar[tuple[str, str]] = ("lost sales", "holding")
    counts_slow_movers: ClassVar[bool] = False
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
        return _carried(self.components, against, orders, (lost, stock), served, stock)

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        return _yardstick(self.unit_costs, plan, against)

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        cover = self.cover(ahead.params)
        ratio = self.unit_costs(ahead.params).critical_ratio
        safety = safety_stock(np.sqrt(cover.periods) * ahead.offsets, ahead.forecast, ratio, cover.lead_spread)
        level = np.maximum(ahead.forecast * cover.periods + safety, 0.0)
        return (Column(LEVEL, whole(level) if ahead.whole_units else level, _counted(ahead.whole_units)),)

    def describe(self, costs: UnitCosts, per_row: bool) -> str:
        under, over, ratio = _typical(costs)
        return (
            f"A missed sale costs {under:,.2f} and carrying a unit one more period {over:,.2f}: the best order-up-to "
            f"level covers demand over lead time and review period {ratio:.0%} of the time."
        ) + _service_words(costs)


@dataclass(frozen=True)
class Staffing:
    """Whole people, each handling `units_per_staff` units of work a period: schedule enough for
    the critical-ratio quantile of the work; what they cannot handle goes unserved."""

    key: ClassVar[str] = "staffing"
    components: ClassVar[tuple[str, str]] = ("unserved work", "staff")
    counts_slow_movers: ClassVar[bool] = False
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
        return (Column(STAFF, staff_for(ahead.quantity, ahead.params).astype(int), formatting.COUNT),)

    def describe(self, costs: UnitCosts, per_row: bool) -> str:
        under, over, ratio = _typical(costs)
        return (
            f"An unserved unit costs {under:,.2f} and a person's idle capacity {over:,.2f} per unit: the best "
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
