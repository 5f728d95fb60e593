"""Money for quantity decisions: each framing's cost of one unit too few and one unit too many,
and the realised cost of a decision. See DESIGN.md, "Framing catalogue"."""

from __future__ import annotations

import numpy as np

from payoff.errors import BadParameter
from payoff.framings.base import Arrays, UnitCosts


def _margin(p: Arrays) -> np.ndarray:
    under = np.asarray(p["price"], dtype="float64") - np.asarray(p["unit_cost"], dtype="float64")
    under = under + float(p.get("goodwill", 0.0))
    if np.any(under < 0):
        raise BadParameter("The price is below the unit cost for some rows, so a sale loses money; check both.")
    return under


def perishable_costs(p: Arrays) -> UnitCosts:
    """under = price - unit_cost + goodwill; over = unit_cost - salvage."""
    over = np.asarray(p["unit_cost"], dtype="float64") - float(p["salvage"])
    return UnitCosts(_margin(p), np.maximum(over, 0.0))


def inventory_costs(p: Arrays) -> UnitCosts:
    """under = the lost margin (price - unit_cost + goodwill); over = holding one unit one period."""
    return UnitCosts(_margin(p), np.asarray(float(p["holding_cost"])))


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
    """People needed to cover `quantity` units of work: ceil(q / units_per_staff)."""
    return np.ceil(np.maximum(quantity, 0.0) / float(p["units_per_staff"]) - 1e-9)


def staffing_cost(demand: np.ndarray, staff: np.ndarray, p: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """(unserved cost, staff cost) per cell: unserved_cost*max(y - staff*capacity, 0) and staff*staff_cost."""
    capacity = staff * float(p["units_per_staff"])
    unserved = np.maximum(np.maximum(demand, 0.0) - capacity, 0.0)
    return float(p["unserved_cost"]) * unserved, staff * float(p["staff_cost"])


def whole(quantity: np.ndarray) -> np.ndarray:
    """A decision in whole units, rounded up (the same rounding in the backtest and the next
    decisions, so the money shown prices what would be ordered)."""
    return np.ceil(np.asarray(quantity) - 1e-9)


def describe_ratio(policy: str, costs: UnitCosts, per_row: bool) -> str:
    """The consequence of the costs in words, before anything is fitted (the typical row when
    costs vary by row)."""
    under, over = float(np.median(costs.under)), float(np.median(costs.over))
    ratio = float(np.median(costs.critical_ratio))
    if policy == "staffing":
        return (
            f"An unserved unit costs {under:,.2f} and a person's idle capacity {over:,.2f} per unit: the best "
            f"schedule covers the work {ratio:.0%} of the time."
        )
    if policy == "order-up-to":
        return (
            f"A missed sale costs {under:,.2f} and carrying a unit one more period {over:,.2f}: the best order-up-to "
            f"level covers demand over lead time and review period {ratio:.0%} of the time."
        )
    typical = "On a typical row, a" if per_row else "A"
    return (
        f"{typical} missed sale costs {under:,.2f}, an unsold unit {over:,.2f}: the best order covers demand "
        f"{ratio:.0%} of the time."
    )
