"""`make bench`: every benchmark, each repetition in a fresh process; medians printed and
written to bench-results.json. These report figures; they are not pass/fail tests."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from payoff.runtime import samples

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_NAMES = [s.name for s in samples.SAMPLES]
BENCHES = {
    "intake": (
        "tests.bench.intake --shape sorted",
        "load + roles + quality, 1,000,000 rows x 8 columns, one date block per series",
        {"total_s": 2.0, "peak_memory_x_file": 5.0},
    ),
    "intake_unsorted": (
        "tests.bench.intake --shape unsorted",
        "load + roles + quality, 1,000,000 rows x 8 columns: dates in random order, 200 stores x 500 items, a "
        "price, a cost, a 0/1 promo, a mostly-empty text column",
        {"total_s": 2.0, "peak_memory_x_file": 5.0},
    ),
    "intake_customers": (
        "tests.bench.intake --shape customers",
        "load + roles + quality, 1,000,000 customers x 8 columns: unique ids, free-text notes, categories, numbers",
        {"total_s": 2.0, "peak_memory_x_file": 5.0},
    ),
    "intake_5m": (
        "tests.bench.intake --shape unsorted_5m",
        "load + roles + quality, 5,000,000 rows x 8 columns in 196 MB (the unsorted shape, 50 days): the largest "
        "upload the browser takes, against the memory budget's allowance of 6x the file",
        {"peak_memory_x_file": 6.0},
    ),
    "quantity": (
        "tests.bench.quantity",
        "500 series x 730 days: 9 models, 4 tests, horizon 28; a cost change re-priced; 1,000 bootstrap "
        "replicates and the full sensitivity sweep",
        {"backtest_s": 20.0, "recost_median_ms": 50.0, "peak_memory_mb": 1500.0, "bootstrap_and_sensitivity_s": 3.0},
    ),
    "fresh": (
        "tests.bench.fresh",
        "the quantity workload (500 series x 730 days) kept 5 days, delivered Mon and Thu in cases of 6: every plan "
        "simulated with its ledger checked, each model's level learned on the calibration window; a cost change "
        "re-priced, the service-level table and the next deliveries",
        {"recost_median_ms": 2000.0},
    ),
    "oracle": (
        "tests.bench.oracle",
        "500 series x 730 days (weekly and yearly seasonality, promotions known in advance, Poisson noise), "
        "perishable at price 10 and unit cost 4, 4 tests of 28 days: each model's and auto's cost as a ratio to "
        "the oracle that knows the true demand distribution",
        {"auto_vs_oracle": 1.15},
    ),
    "oracle_own_shape": (
        "tests.bench.oracle --workload own-shape --direct",
        "500 series x 730 days, each with its own weekly profile (peak day, amplitude), yearly timing and "
        "amplitude, trend and promotion lift; sizes 1 to 100 a day: each model's and auto's cost over the oracle's, "
        "and a direct quantile gradient-boosting peer's on the same features and windows",
        {"auto_vs_oracle": 1.08, "auto_vs_direct_quantile": 1.0},
    ),
    "oracle_hourly": (
        "tests.bench.oracle --workload hourly --direct",
        "200 series x 16 weeks of hours, each with its own daily peaks and its own weekend, horizon 48 hours: "
        "each model's and auto's cost over the oracle's, and the direct quantile peer's",
        {"auto_vs_oracle": 1.10, "auto_vs_direct_quantile": 1.0},
    ),
    "oracle_weekly": (
        "tests.bench.oracle --workload weekly --direct",
        "300 series x 156 weeks, each with its own yearly season, holiday peaks, trend and markdown lift, "
        "horizon 8 weeks: each model's and auto's cost over the oracle's, and the direct quantile peer's",
        {"auto_vs_oracle": 1.10, "auto_vs_direct_quantile": 1.0},
    ),
    "slow_movers": (
        "tests.bench.slow_movers",
        "500 Poisson slow movers x 730 days (means 0.1 to 2 a day, weekly pattern), perishable at price 10 and "
        "unit cost 4: each model's and auto's cost as a ratio to the oracle that knows the true mean",
        {"best_vs_oracle": 1.10, "auto_vs_oracle": 1.10},
    ),
    "scale": (
        "tests.bench.scale",
        "the oracle workload at 5,000 and 20,000 series (one and two processes), and payoff analyze on a 340 MB "
        "CSV of 20,000 series",
        {"peak_20000_w1_mb": 8192.0, "growth_5000_to_20000_vs_linear": 1.0},
    ),
    "browser_recost": (
        "tests.bench.browser_recost",
        "a unit cost typed on the Impact page of a 500-series analysis in headless Chromium: seconds until the "
        "new headline shows (median of 20 changes)",
        {"headline_median_s": 1.0},
    ),
    "headline_seconds": (
        "tests.bench.headline_seconds",
        "every sample in headless Chromium against serve.py (warmed by one untimed run): seconds from clicking "
        "Run models to the money headline on screen",
        {f"{s}_s": 5.0 for s in SAMPLE_NAMES},
    ),
    "targeting": (
        "tests.bench.targeting",
        "100,000 entities x 25 features: 3 models out of fold + decisions; a cost change re-priced; 1,000 "
        "bootstrap replicates and the full sensitivity sweep; TunedThresholdClassifierCV on gradient boosting "
        "for comparison",
        {"all_models_s": 30.0, "recost_median_ms": 50.0, "bootstrap_and_sensitivity_s": 3.0},
    ),
}


def run_once(module: str, *args: str, python: str = sys.executable) -> dict[str, object]:
    done = subprocess.run([python, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{module} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict[str, object]]) -> dict[str, object]:
    summary: dict[str, object] = {}
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            values = [float(r[key]) for r in runs]  # type: ignore[arg-type]
            summary[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
        else:
            summary[key] = value
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(name for name in BENCHES if name != "scale"))
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false", help="for runs of minutes (scale)")
    parser.add_argument("--out", default=str(ROOT / "bench-results.json"))
    args = parser.parse_args()
    results: dict[str, object] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "repetitions": args.reps,
        "benchmarks": {},
    }
    previous = Path(args.out)
    if previous.exists():  # keep figures of benchmarks not run this time
        results["benchmarks"] = json.loads(previous.read_text()).get("benchmarks", {})
    for name in args.only.split(","):
        module, what, targets = BENCHES[name]
        if args.warm_up:
            run_once(*module.split())  # generates inputs, fills OS caches
        runs = [run_once(*module.split()) for _ in range(args.reps)]
        summary = summarise(runs)
        results["benchmarks"][name] = {"what": what, "targets": targets, "median_of": args.reps, "figures": summary}  # type: ignore[index]
        print(f"\n{name}: {what} (median of {args.reps} runs)")
        for key, value in summary.items():
            if isinstance(value, dict):
                target = f"   target < {targets[key]}" if key in targets else ""
                print(f"  {key:<28} {value['median']:>10.3f}  (min {value['min']:.3f}, max {value['max']:.3f}){target}")
            else:
                print(f"  {key:<28} {value}")
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
