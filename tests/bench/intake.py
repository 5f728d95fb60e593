"""Intake benchmark: load + roles + quality on a generated 1,000,000-row, 8-column sales CSV.

Run by tests/bench/run.py in a fresh process per repetition, so peak memory is this run's own."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd

from tests.bench.common import CACHE, peak_rss_bytes, rss_bytes

ROWS = 1_000_000


def sales_csv() -> bytes:
    path = CACHE / "sales_1m.csv"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        rng = np.random.default_rng(7)
        days = pd.date_range("2023-01-01", periods=730).strftime("%Y-%m-%d").to_numpy()
        series = -(-ROWS // len(days))
        frame = pd.DataFrame(
            {
                "date": np.tile(days, series)[:ROWS],
                "store": np.repeat([f"S{i % 50:02d}" for i in range(series)], len(days))[:ROWS],
                "item": np.repeat([f"SKU{i:05d}" for i in range(series)], len(days))[:ROWS],
                "units_sold": rng.poisson(8, ROWS),
                "price": np.round(rng.uniform(1, 20, ROWS), 2),
                "promo": rng.integers(0, 2, ROWS),
                "unit_cost": np.round(rng.uniform(0.5, 10, ROWS), 2),
                "units_ordered": rng.poisson(9, ROWS),
            }
        )
        frame.to_csv(path, index=False)
    return path.read_bytes()


def main() -> None:
    from payoff.data import quality
    from payoff.data.load import read_table
    from payoff.data.roles import suggest_roles

    content = sales_csv()
    # Warm-up on the first 2,000 lines: loads the libraries' code, so the baseline below holds
    # code and the file's bytes, and the peak above it is the data the pipeline builds.
    small = b"\n".join(content.split(b"\n", 2000)[:2000]) + b"\n"
    warm = read_table(small, "warm.csv")
    quality.check(warm.frame, suggest_roles(warm.frame))
    del warm
    before = rss_bytes()
    start = time.perf_counter()
    table = read_table(content, "sales.csv")
    loaded = time.perf_counter()
    roles = suggest_roles(table.frame)
    suggested = time.perf_counter()
    findings = quality.check(table.frame, roles)
    done = time.perf_counter()
    peak = peak_rss_bytes() - before
    del table
    plain_start = time.perf_counter()
    pd.read_csv(CACHE / "sales_1m.csv")
    plain = time.perf_counter() - plain_start
    print(
        json.dumps(
            {
                "file_mb": len(content) / 1e6,
                "load_s": loaded - start,
                "roles_s": suggested - loaded,
                "quality_s": done - suggested,
                "total_s": done - start,
                "peak_memory_mb": peak / 1e6,
                "peak_memory_x_file": peak / len(content),
                "pandas_read_csv_s": plain,
                "shape": roles.shape.value,
                "findings": len(findings),
            }
        )
    )


if __name__ == "__main__":
    main()
