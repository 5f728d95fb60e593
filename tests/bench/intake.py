"""Intake benchmark: load + roles + quality on generated 1,000,000-row CSVs of several shapes
(`--shape`; and the unsorted shape at 5,000,000 rows, the large upload of issue 11): sorted sales (one date block per series), the issue's unsorted file (dates in random
order, 200 stores x 500 items, a price, a cost, a 0/1 promo and a mostly-empty text column), and a
customer table with text (unique ids, free-text notes, categories, numbers, a yes/no outcome).

Run by tests/bench/run.py in a fresh process per repetition, so peak memory is this run's own."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from tests.bench.common import CACHE, peak_rss_bytes, rss_bytes

ROWS = 1_000_000


def cached(name: str, build: Callable[[], pd.DataFrame]) -> Path:
    path = CACHE / name
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        build().to_csv(path, index=False)
    return path


def sorted_sales() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    days = pd.date_range("2023-01-01", periods=730).strftime("%Y-%m-%d").to_numpy()
    series = -(-ROWS // len(days))
    return pd.DataFrame(
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


def unsorted_sales(n_days: int = 10, store: str = "store ", item: str = "item ") -> pd.DataFrame:
    """The issue's file: 200 stores x 500 items x 10 days, rows shuffled (50 days and shorter
    names: 5M rows in just under 200 MB, a large upload that the browser still accepts)."""
    rng = np.random.default_rng(8)
    rows = 200 * 500 * n_days
    days = pd.date_range("2024-03-01", periods=n_days).strftime("%Y-%m-%d").to_numpy()
    stores = np.repeat([f"{store}{i:03d}" for i in range(200)], 500 * n_days)
    items = np.tile(np.repeat([f"{item}{i:03d}" for i in range(500)], n_days), 200)
    note = np.where(rng.random(rows) < 0.02, "damaged on arrival", "")
    frame = pd.DataFrame(
        {
            "date": np.tile(days, 200 * 500),
            "store": stores,
            "item": items,
            "units": rng.poisson(6, rows),
            "price": np.round(rng.uniform(1, 30, rows), 2),
            "cost": np.round(rng.uniform(0.5, 15, rows), 2),
            "promo": (rng.random(rows) < 0.1).astype(int),
            "note": note,
        }
    )
    return frame.iloc[rng.permutation(rows)]


def customers() -> pd.DataFrame:
    rng = np.random.default_rng(9)
    words = np.array(["called twice", "asked about price", "happy", "moving abroad", "complained", ""])
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:07d}" for i in range(ROWS)],
            "plan": rng.choice(["basic", "plus", "family", "business"], ROWS),
            "region": rng.choice([f"region {i}" for i in range(30)], ROWS),
            "tenure_months": rng.integers(1, 120, ROWS),
            "monthly_charge": np.round(rng.uniform(10, 120, ROWS), 2),
            "support_calls": rng.poisson(1.5, ROWS),
            "notes": rng.choice(words, ROWS, p=[0.05, 0.05, 0.05, 0.05, 0.05, 0.75]),
            "churned": rng.choice(["yes", "no"], ROWS, p=[0.2, 0.8]),
        }
    )


SHAPES = {
    "sorted": ("sales_1m.csv", sorted_sales),
    "unsorted": ("sales_unsorted_1m.csv", unsorted_sales),
    "customers": ("customers_1m.csv", customers),
    "unsorted_5m": ("sales_unsorted_5m.csv", lambda: unsorted_sales(50, "st", "it")),  # issue 11
}


def main() -> None:
    from payoff.data import quality
    from payoff.data.load import read_table
    from payoff.data.roles import suggest_roles

    shape = sys.argv[sys.argv.index("--shape") + 1] if "--shape" in sys.argv else "sorted"
    path = cached(*SHAPES[shape])
    content = path.read_bytes()
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
    pd.read_csv(path)
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
