"""Fresh stock as a decision rule: a shelf life, delivery days and the supplier's order
constraints (the simulation and its ledger are in payoff.framings.fresh), and the next
deliveries' list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from payoff import formatting
from payoff.errors import BadParameter
from payoff.framings.fresh import (
    OrderRules,
    cover_levels,
    delivery_days,
    periods_to_next,
    schedule_problem,
    simulate_fresh,
)
from payoff.framings.newsvendor import (
    CASES,
    EXPECTED_COST,
    EXPECTED_LOST,
    EXPECTED_ORDER,
    EXPECTED_WASTE,
    SHORT,
    STOCK,
    Newsvendor,
    carried,
    unit_kind,
    yardstick,
)
from payoff.framings.policy import LEDGER, Against, Ahead, Arrays, Column, Costed, Cover, Ledger, Plan, UnitCosts
from payoff.framings.quantity import newsvendor_cost, whole


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
    counts_demand: ClassVar[bool] = True
    decision_is_level: ClassVar[bool] = False
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
        life = self._life(against.params)
        if not self.carries_stock(against.params):
            ordered = plan.decide(rules.apply(whole(plan.quantity) if plan.whole_units else plan.quantity))
            short, excess = newsvendor_cost(against.demand, ordered, against.costs)
            return Costed(ordered, against.masked(dict(zip(self.components, (short, excess), strict=True))))
        if not against.stretches:
            raise ValueError("stock kept over periods is priced over stretches of cells; none were given")
        mask = against.params.get("order_days")
        weekdays = _weekdays(mask, against.weekdays, against.demand.shape[1], against.seen)
        # A closed day sells nothing: no stock is laid in for it (closures are known in advance).
        wanted = np.where(against.seen, plan.quantity, 0.0)
        forecast = None if plan.forecast is None else np.where(against.seen, plan.forecast, 0.0)
        level = cover_levels(wanted, periods_to_next(weekdays, mask), against.windows, life, forecast)
        level = whole(level) if plan.whole_units else level
        expected = wanted if forecast is None else forecast  # what a day is expected to sell
        days = delivery_days(weekdays, mask)
        windows = against.windows
        parts = {name: np.zeros(against.demand.shape) for name in LEDGER}
        for stretch in against.stretches:
            cells = _contiguous(stretch.cells)
            given = None if plan.given is None else plan.given[:, cells]
            first = int(np.flatnonzero(stretch.cells)[0])
            ledger = simulate_fresh(
                against.demand[:, cells],
                level[:, cells],
                life,
                rules,
                given,
                days[cells],
                expected[:, cells],
                None if windows is None else windows[cells],
                opening(level[:, first], None if plan.given is None else plan.given[:, first]),
            )
            unbalanced = ledger.unbalanced(against.demand[:, cells])
            if unbalanced:  # checked on every run: money priced from units that do not add up is never shown
                raise AssertionError(f"the stock ledger does not balance: {'; '.join(unbalanced)}")
            for name in LEDGER:
                parts[name][:, cells] = getattr(ledger, name)
        ledger = Ledger(**parts)
        units = (ledger.lost, ledger.waste)
        costed = carried(self.components, against, ledger.orders, units, ledger.sales, ledger.closing, ledger)
        storage = float(against.params.get("storage_cost", 0.0) or 0.0)
        if storage:  # keeping a unit overnight costs (cold storage): on the stock kept, with the waste
            overstock = self.components[1]
            costed.costs[overstock] = (
                costed.costs[overstock] + against.masked({overstock: storage * ledger.closing})[overstock]
            )
        return costed

    def cell_cost(self, plan: Plan, against: Against) -> np.ndarray:
        return yardstick(self.unit_costs, plan, against)

    def next_columns(self, ahead: Ahead) -> tuple[Column, ...]:
        params = ahead.params
        rules = OrderRules.from_params(params)
        quantity = whole(ahead.quantity) if ahead.whole_units else ahead.quantity
        if not self.carries_stock(params):
            stock = rules.apply(quantity)
            return (
                Column(STOCK, stock, unit_kind(ahead.whole_units)),
                Column(EXPECTED_COST, ahead.expected_cost(stock), formatting.MONEY),
            )
        return fresh_order_list(ahead, self._life(params), rules, self.unit_costs(params))

    def describe(self, costs: UnitCosts, per_row: bool, currency: str = "") -> str:
        return Newsvendor(self.unit_costs).describe(costs, per_row, currency) + (
            " With stock kept over (a life of more than one period, or delivery days), how far above that each model "
            "orders is learned from the backtest's first window, before the tests."
        )


def _contiguous(cells: np.ndarray) -> slice | np.ndarray:
    """A stretch's cells as a slice when they run unbroken (as the backtest's do): a slice of a
    series x periods array is a view, where a mask copies it (a fresh-stock re-pricing of 500
    series reads and writes a dozen such arrays of 20,000 rows)."""
    where = np.flatnonzero(cells)
    if where.size and where[-1] - where[0] + 1 == where.size:
        return slice(int(where[0]), int(where[-1]) + 1)
    return cells


def opening(level: np.ndarray, given: np.ndarray | None) -> np.ndarray:
    """The shelf a stretch opens with: stocked to the plan's own level, as a running shop's is (no
    plan starts from nothing); empty where the business's own order decides the first day."""
    if given is None:
        return level
    stocked: np.ndarray = np.where(np.isnan(given), level, 0.0)
    return stocked


def fresh_order_list(ahead: Ahead, life: int, rules: OrderRules, costs: UnitCosts) -> tuple[Column, ...]:
    """The next deliveries of fresh stock: on each delivery day the stock to bring the shelf up
    to, the order that takes expected (that stock less what is still good on the shelf, as the
    supplier takes it: cases, a minimum, a most; in cases too), and what each day is expected to waste,
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
    expected = np.tile(forecast, (draws, 1))  # what a day is expected to sell, as in the backtest
    levels = np.tile(level, (draws, 1))
    ledger = simulate_fresh(demand, levels, life, rules, None, delivers, expected, None, levels[:, 0])

    def mean(values: np.ndarray) -> np.ndarray:
        out: np.ndarray = values.reshape(draws, n_series, -1)[:, :, 7:].mean(axis=0)
        return out

    stock = np.where(delivers[7:], level[:, 7:], np.nan)  # the rule's level: the supplier's rules bind the order
    lost, waste = mean(ledger.lost), mean(ledger.waste)
    ordered = np.where(delivers[7:], mean(ledger.arrivals), np.nan)  # the level less what is still good
    kind = unit_kind(ahead.whole_units)
    columns = [Column(STOCK, stock, kind), Column(EXPECTED_ORDER, ordered, kind)]
    if rules.case_pack > 1:
        columns.append(Column(CASES, ordered / rules.case_pack, kind))
    storage = float(ahead.params.get("storage_cost", 0.0) or 0.0) * mean(ledger.closing)
    cost = np.broadcast_to(costs.under, lost.shape) * lost + np.broadcast_to(costs.over, waste.shape) * waste + storage
    return (
        *columns,
        Column(EXPECTED_WASTE, waste, formatting.NUMBER),
        Column(EXPECTED_LOST, lost, formatting.NUMBER),
        Column(SHORT, mean((ledger.lost > 1e-9).astype(float)), formatting.PERCENT),
        Column(EXPECTED_COST, cost, formatting.MONEY),
    )


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
