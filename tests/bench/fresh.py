"""Fresh-stock benchmark: the quantity benchmark's 500 series x 730 days kept 5 days, delivered on
Mondays and Thursdays in cases of 6. Every plan is simulated with its ledger checked and each
model's order level is learned on the calibration window, so a what-if costs more than a
newsvendor's: the re-pricing of a cost change, the service-level table and the next deliveries
list are timed. Fresh process per repetition."""

from __future__ import annotations

import json
import time

from tests.bench.common import peak_rss_bytes
from tests.bench.quantity import DAYS, SERIES, fit_and_recost

SETTINGS = {"price": 4.0, "unit_cost": 1.5, "shelf_life": 5, "order_days": "Mon, Thu", "case_pack": 6}


def main() -> None:
    from payoff.analysis import next_decisions
    from payoff.evaluate import service
    from payoff.framings.base import QuantityFraming

    analysis, fitted, recost_ms, before = fit_and_recost(SETTINGS, 7)
    problem = analysis.problem
    framing = problem.framing
    assert isinstance(framing, QuantityFraming)
    tick = time.perf_counter()
    service.service_table(framing, dict(problem.values), analysis.predictions)  # type: ignore[arg-type]
    table_s = time.perf_counter() - tick
    tick = time.perf_counter()
    next_decisions(analysis)
    next_s = time.perf_counter() - tick
    print(
        json.dumps(
            {
                "cells": SERIES * DAYS,
                "backtest_s": fitted,
                "recost_median_ms": recost_ms,
                "service_table_s": table_s,
                "next_deliveries_s": next_s,
                "peak_memory_mb": (peak_rss_bytes() - before) / 1e6,
                "recommended": analysis.impact.recommended.model,
                "auto_gain": analysis.impact.recommended.gain,
            }
        )
    )


if __name__ == "__main__":
    main()
