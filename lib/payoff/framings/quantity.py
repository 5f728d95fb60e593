"""Money for quantity decisions: the per-row costs of one unit too few and one unit too many,
the critical ratio, and the realised cost of a decision. See DESIGN.md, "Framing catalogue"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from payoff.errors import BadParameter


@dataclass(frozen=True)
class UnitCosts:
    """Per cell (series x period) costs; arrays broadcast against demand."""

    under: np.ndarray  # cost of one unit of demand not met
    over: np.ndarray  # cost of one unit too many (waste, idle capacity)

    @property
    def critical_ratio(self) -> np.ndarray:
        total = self.under + self.over
        return np.divide(self.under, total, out=np.full(np.broadcast(self.under, total).shape, 0.5), where=total > 0)


def _value(params: dict[str, Any], key: str, columns: dict[str, np.ndarray]) -> np.ndarray:
    """A parameter as an array: the mapped column's values where given, else the constant."""
    if key in columns:
        values = np.asarray(columns[key], dtype="float64")
        fallback = float(params[key])
        return np.where(np.isfinite(values), values, fallback)
    return np.asarray(float(params[key]))


def unit_costs(framing: str, params: dict[str, Any], columns: dict[str, np.ndarray] | None = None) -> UnitCosts:
    """`columns` maps a parameter key (price, unit_cost) to per-cell values from the data."""
    columns = columns or {}
    if framing in ("perishable", "inventory"):
        price = _value(params, "price", columns)
        cost = _value(params, "unit_cost", columns)
        under = price - cost + float(params.get("goodwill", 0.0))
        if framing == "perishable":
            over = cost - float(params["salvage"])
        else:
            over = np.asarray(float(params["holding_cost"]))  # one more unit carried one more period
        if np.any(under < 0):
            raise BadParameter("The price is below the unit cost for some rows, so a sale loses money; check both.")
        return UnitCosts(np.asarray(under, dtype="float64"), np.asarray(np.maximum(over, 0.0), dtype="float64"))
    if framing == "staffing":
        per_staff = float(params["units_per_staff"])
        return UnitCosts(
            np.asarray(float(params["unserved_cost"])), np.asarray(float(params["staff_cost"]) / per_staff)
        )
    if framing == "custom-quantity":
        return UnitCosts(np.asarray(float(params["under"])), np.asarray(float(params["over"])))
    raise BadParameter(f"'{framing}' is not a quantity framing.")


def newsvendor_cost(demand: np.ndarray, decision: np.ndarray, costs: UnitCosts) -> tuple[np.ndarray, np.ndarray]:
    """(shortage cost, excess cost) per cell: under*max(y-q,0) and over*max(q-y,0)."""
    demand = np.maximum(demand, 0.0)  # returns are not demand
    short = np.maximum(demand - decision, 0.0)
    excess = np.maximum(decision - demand, 0.0)
    return costs.under * short, costs.over * excess


def staffing_cost(demand: np.ndarray, staff: np.ndarray, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """(unserved cost, staff cost) per cell: staff*staff_cost and unserved*max(y - staff*capacity, 0)."""
    capacity = staff * float(params["units_per_staff"])
    unserved = np.maximum(np.maximum(demand, 0.0) - capacity, 0.0)
    return float(params["unserved_cost"]) * unserved, staff * float(params["staff_cost"])


def staff_for(quantity: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    return np.ceil(np.maximum(quantity, 0.0) / float(params["units_per_staff"]) - 1e-9)


def describe_ratio(framing: str, params: dict[str, Any], columns: dict[str, np.ndarray] | None = None) -> str:
    """The consequence in words, before anything is fitted (typical row when costs vary by row)."""
    costs = unit_costs(framing, params, columns)
    under, over = float(np.median(costs.under)), float(np.median(costs.over))
    ratio = float(np.median(costs.critical_ratio))
    if framing == "staffing":
        return (
            f"An unserved unit costs {under:,.2f} and a person's idle capacity {over:,.2f} per unit: the best "
            f"schedule covers the work {ratio:.0%} of the time."
        )
    if framing == "inventory":
        return (
            f"A missed sale costs {under:,.2f} and carrying a unit one more period {over:,.2f}: the best order-up-to "
            f"level covers demand over lead time and review period {ratio:.0%} of the time."
        )
    typical = "On a typical row, a" if columns else "A"
    return (
        f"{typical} missed sale costs {under:,.2f}, an unsold unit {over:,.2f}: the best order covers demand "
        f"{ratio:.0%} of the time."
    )
