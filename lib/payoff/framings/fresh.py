"""Fresh stock that keeps for a few periods: the order constraints a supplier sets (cases, a
minimum, a most) and a first-in first-out simulation that keeps an audited ledger.

Order of events in period t (lead time 0, an order every period, as the one-period newsvendor):
  1. the order is placed and arrives before the period opens: what raises the units still good
     to the stock level, under the supplier's constraints;
  2. demand is served from the oldest units first; what cannot be served is lost;
  3. at the close, units whose life ends today are written off as waste; the rest age a period.
With a life of one period nothing is carried over: it is the newsvendor exactly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from payoff.framings.policy import Arrays

EPSILON = 1e-9


@dataclass(frozen=True)
class OrderRules:
    """What a supplier accepts: multiples of a case, at least a minimum, at most a maximum (shelf
    or storage space). An order of nothing stays nothing."""

    case_pack: int = 1
    minimum: float = 0.0
    maximum: float | None = None

    @classmethod
    def from_params(cls, params: Arrays) -> OrderRules:
        maximum = params.get("max_order")
        return cls(
            int(params.get("case_pack", 1) or 1),
            float(params.get("min_order", 0) or 0),
            None if maximum is None else float(maximum),
        )

    @property
    def free(self) -> bool:
        return self.case_pack == 1 and self.minimum == 0 and self.maximum is None

    def apply(self, order: np.ndarray) -> np.ndarray:
        """An order as the supplier takes it: raised to the minimum, rounded up to whole cases,
        then cut to the most that fits (in whole cases when a case fits)."""
        order = np.asarray(order, dtype="float64")
        if self.free:
            return order
        wanted = order > EPSILON
        out = np.where(wanted, np.maximum(order, self.minimum), 0.0)
        case = float(self.case_pack)
        out = np.ceil(out / case - EPSILON) * case
        if self.maximum is not None:
            cap = np.floor(self.maximum / case + EPSILON) * case if self.maximum >= case else self.maximum
            out = np.minimum(out, cap)
        result: np.ndarray = out
        return result


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


def simulate_fresh(
    demand: np.ndarray, level: np.ndarray, life: int, rules: OrderRules, given: np.ndarray | None = None
) -> Ledger:
    """Stock kept `life` periods, sold first-in first-out, for every series at once. `level` is
    the stock to open each period with (series x periods); `given`, where not NaN, is the
    business's own order instead. The shelf starts empty: the first order fills it."""
    demand = np.where(np.isnan(demand), 0.0, np.maximum(demand, 0.0))
    n_series, n = demand.shape
    batches = np.zeros((n_series, life))  # batches[:, k]: units with k + 1 periods of life left today
    ledger = {name: np.zeros((n_series, n)) for name in ("opening", "arrivals", "sales", "lost", "waste", "closing")}
    for t in range(n):
        opening = batches.sum(axis=1)
        order = rules.apply(np.maximum(np.nan_to_num(level[:, t]) - opening, 0.0))
        if given is not None:
            order = np.where(np.isnan(given[:, t]), order, np.maximum(given[:, t], 0.0))
        batches[:, life - 1] += order
        left = demand[:, t].copy()
        for k in range(life):  # the oldest first
            taken = np.minimum(batches[:, k], left)
            batches[:, k] -= taken
            left -= taken
        waste = batches[:, 0].copy()  # its last day
        batches = np.concatenate([batches[:, 1:], np.zeros((n_series, 1))], axis=1)
        for name, values in (
            ("opening", opening),
            ("arrivals", order),
            ("sales", demand[:, t] - left),
            ("lost", left),
            ("waste", waste),
            ("closing", batches.sum(axis=1)),
        ):
            ledger[name][:, t] = values
    return Ledger(**ledger, orders=ledger["arrivals"].copy())
