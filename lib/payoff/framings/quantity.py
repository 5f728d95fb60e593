"""Money for quantity decisions: each framing's cost of one unit too few and one unit too many,
the realised cost of a decision, and the order-up-to policy simulated period by period. See
DESIGN.md, "Framing catalogue"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from payoff.errors import BadParameter
from payoff.framings.policy import Arrays, UnitCosts


def _margin(p: Arrays) -> np.ndarray:
    under: np.ndarray = np.asarray(p["price"], dtype="float64") - np.asarray(p["unit_cost"], dtype="float64")
    under = under + float(p.get("goodwill", 0.0))
    if np.any(under < 0):
        prices = np.asarray(p["price"], dtype="float64")
        cost = np.asarray(p["unit_cost"], dtype="float64")
        if prices.ndim and cost.ndim == 0:  # each row its own price, one cost for all: the cheap rows sell at a loss
            raise BadParameter(
                f"The price is below the unit cost for some rows (one unit cost of {float(cost):.4g} against a "
                f"lowest price of {float(np.nanmin(prices)):.4g}), so those sales lose money. Give a gross margin "
                "instead (each row's unit cost is then its price less the margin), or a cost column."
            )
        raise BadParameter("The price is below the unit cost for some rows, so a sale loses money; check both.")
    return under


def service_ratio(p: Arrays) -> float:
    """The least share of periods to cover: 1 - the most periods allowed short ("short at most 5%
    of days": 0.95); 0 without a service level."""
    short = p.get("max_short")
    return 0.0 if short is None else 1.0 - float(short)


def perishable_costs(p: Arrays) -> UnitCosts:
    """under = price - unit_cost + goodwill; over = unit_cost - salvage."""
    over = np.asarray(p["unit_cost"], dtype="float64") - float(p["salvage"])
    return UnitCosts(_margin(p), np.maximum(over, 0.0), service_ratio(p))


def inventory_costs(p: Arrays) -> UnitCosts:
    """under = the lost margin (price - unit_cost + goodwill); over = holding one unit one period."""
    return UnitCosts(_margin(p), np.asarray(p["holding_cost"], dtype="float64"), service_ratio(p))


def staffing_costs(p: Arrays) -> UnitCosts:
    """under = an unserved unit; over = a person's idle capacity, per unit of work."""
    return UnitCosts(
        np.asarray(float(p["unserved_cost"])), np.asarray(float(p["staff_cost"]) / float(p["units_per_staff"]))
    )


def custom_costs(p: Arrays) -> UnitCosts:
    return UnitCosts(np.asarray(float(p["under"])), np.asarray(float(p["over"])))


def newsvendor_cost(demand: np.ndarray, decision: np.ndarray, costs: UnitCosts) -> tuple[np.ndarray, np.ndarray]:
    """(shortage cost, excess cost) per cell: under*max(y-q,0) and over*max(q-y,0)."""
    demand = np.maximum(demand, 0.0)  # returns are not demand
    short = np.maximum(demand - decision, 0.0)
    excess = np.maximum(decision - demand, 0.0)
    return costs.under * short, costs.over * excess


def staff_for(quantity: np.ndarray, p: Arrays) -> np.ndarray:
    """People needed to cover `quantity` units of work: ceil(q / units_per_staff), and never fewer
    than the fewest on shift (min_staff): a quiet hour still needs someone to open up."""
    people: np.ndarray = np.ceil(np.maximum(quantity, 0.0) / float(p["units_per_staff"]) - 1e-9)
    fewest = float(p.get("min_staff") or 0)
    return np.maximum(people, fewest) if fewest > 0 else people


def staffing_cost(demand: np.ndarray, staff: np.ndarray, p: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """(unserved cost, staff cost) per cell: unserved_cost*max(y - staff*capacity, 0) and staff*staff_cost."""
    capacity = staff * float(p["units_per_staff"])
    unserved = np.maximum(np.maximum(demand, 0.0) - capacity, 0.0)
    return float(p["unserved_cost"]) * unserved, staff * float(p["staff_cost"])


def whole(quantity: np.ndarray) -> np.ndarray:
    """A decision in whole units, rounded up (the same rounding in the backtest and the next
    decisions, so the money shown prices what would be ordered)."""
    return np.ceil(np.asarray(quantity) - 1e-9)


@dataclass(frozen=True)
class InventoryResult:
    lost: np.ndarray  # series x periods: demand not served (lost or back-ordered) in the period
    end_stock: np.ndarray  # series x periods: on-hand stock at the end of the period (>= 0)
    orders: np.ndarray  # series x periods: units ordered at the end of the period
    served: np.ndarray


def simulate_order_up_to(
    demand: np.ndarray,
    level: np.ndarray,
    lead_time: int,
    review_period: int,
    backorders: bool,
    initial_stock: np.ndarray | None = None,
    fixed_orders: np.ndarray | None = None,
    lead_times: np.ndarray | None = None,
) -> InventoryResult:
    """Periodic-review order-up-to policy, simulated period by period for all series at once.

    Order of events in period t (the README documents the same):
      1. the order placed at the end of period t - lead_time - 1 arrives and is shelved;
      2. demand y_t is served from stock; what cannot be served is lost (or, with back-orders,
         waits as negative stock and is served first when stock arrives);
      3. end-of-period stock is counted: holding cost is paid on it;
      4. on a review period (t = 0, R, 2R, ...) an order raises the inventory position
         (stock on hand + on order - back-orders) to the order-up-to level S_t; it arrives
         lead_time + 1 periods later, at the start of period t + lead_time + 1.
    `level` is S_t per series and period; `fixed_orders`, where given (not NaN), replaces the policy
    with the quantities the business actually ordered. `lead_times` (series x periods), where
    given, is each order's own lead time instead of `lead_time` (a delivery that sometimes takes
    longer; orders may overtake each other). Missing demand (closed periods) counts as zero."""
    demand = np.where(np.isnan(demand), 0.0, np.maximum(demand, 0.0))
    n_series, n = demand.shape
    stock = np.array(initial_stock if initial_stock is not None else level[:, 0], dtype="float64")
    longest = lead_time if lead_times is None else max(lead_time, int(np.max(lead_times, initial=0)))
    pipeline = np.zeros((n_series, n + longest + 2))
    rows = np.arange(n_series)
    lost = np.zeros_like(demand)
    served = np.zeros_like(demand)
    end_stock = np.zeros_like(demand)
    orders = np.zeros_like(demand)
    for t in range(n):
        stock = stock + pipeline[:, t]
        available = np.maximum(stock, 0.0)
        served[:, t] = np.minimum(available, demand[:, t])
        lost[:, t] = np.maximum(demand[:, t] - available, 0.0)
        stock = stock - demand[:, t] if backorders else np.maximum(stock - demand[:, t], 0.0)
        end_stock[:, t] = np.maximum(stock, 0.0)
        if t % review_period == 0:
            on_order = pipeline[:, t + 1 :].sum(axis=1)
            order = np.maximum(np.nan_to_num(level[:, t]) - (stock + on_order), 0.0)
        else:
            order = np.zeros(n_series)
        if fixed_orders is not None:
            given = fixed_orders[:, t]
            order = np.where(np.isnan(given), order, np.maximum(given, 0.0))
        orders[:, t] = order
        arrival = t + 1 + (lead_time if lead_times is None else lead_times[:, t].astype("int64"))
        pipeline[rows, arrival] += order
    return InventoryResult(lost, end_stock, orders, served)
