"""A lead time that varies: the shortest, the most likely and the longest delivery, as a store
manager knows them ("two days, sometimes four"), read as a triangular distribution. The level
an order-up-to policy orders to covers the lead time this distribution gives at the critical
ratio; the backtest draws each order's own lead time from it, the same draws for every plan."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from payoff.framings.policy import Arrays, Cover

SEED = 20  # every plan of a run meets the same deliveries: their costs differ by the plan alone


@dataclass(frozen=True)
class LeadTime:
    shortest: int
    likely: int
    longest: int

    @classmethod
    def from_params(cls, params: Arrays) -> LeadTime:
        likely = int(params["lead_time"])
        shortest, longest = params.get("lead_time_min"), params.get("lead_time_max")
        return cls(
            likely if shortest is None else int(shortest),
            likely,
            likely if longest is None else int(longest),
        )

    @property
    def varies(self) -> bool:
        return self.longest > self.shortest

    @property
    def mean(self) -> float:
        return (self.shortest + self.likely + self.longest) / 3

    @property
    def spread(self) -> float:
        """The standard deviation of a triangular distribution, in periods."""
        a, c, b = self.shortest, self.likely, self.longest
        return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)

    def cover(self, review: int) -> Cover:
        """Lead time + review period, the lead time at its mean (whole periods), and its spread."""
        return Cover(round(self.mean) + review, self.spread)

    def draws(self, shape: tuple[int, int]) -> np.ndarray | None:
        """Each order's lead time (series x periods), in whole periods; None when it never varies."""
        if not self.varies:
            return None
        rng = np.random.default_rng(SEED)
        drawn: np.ndarray = np.rint(rng.triangular(self.shortest, self.likely, self.longest, shape)).astype("int64")
        return drawn


def safety_stock(demand_safety: np.ndarray, rate: np.ndarray, ratio: np.ndarray, lead_spread: float) -> np.ndarray:
    """Safety stock over a lead time that varies: the demand's own (its errors over the periods
    covered) and a late delivery's (demand at its forecast `rate` times the lead time's spread, at
    the normal quantile of the critical ratio), combined as independent variations are
    (sqrt(a^2 + b^2) in size). Without a spread it is the demand's own, unchanged."""
    if lead_spread <= 0:
        return demand_safety
    late = stats.norm.ppf(np.clip(ratio, 1e-6, 1 - 1e-6)) * np.maximum(rate, 0.0) * lead_spread
    # Only the late delivery's increment is added, with its own sign: the demand's own safety (and
    # any bias correction in it) stays whole, at a ratio of one half as anywhere else.
    combined: np.ndarray = demand_safety + np.sign(late) * (np.hypot(demand_safety, late) - np.abs(demand_safety))
    return combined
