"""Scale: the oracle workload at 5,000 and 20,000 series (14.6M rows), each in a fresh process
(time, peak memory, money against the oracle), the 20,000 with one and two processes for the
per-series models; then `payoff analyze` on the same 20,000 series as a CSV file (about 340 MB,
past the browser's 200 MB upload limit), timed with its peak memory. One run each: a run takes
minutes, so this benchmark is run on its own (`python -m tests.bench.scale`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.common import CACHE

ROOT = Path(__file__).resolve().parents[2]
CLI_SERIES = 20_000


def oracle_run(series: int, workers: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.oracle", "--series", str(series), "--workers", str(workers)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def big_csv() -> Path:
    from tests.bench.oracle import truth

    path = CACHE / f"oracle_{CLI_SERIES}.csv"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        frame, _ = truth(CLI_SERIES)
        frame.to_csv(path, index=False, date_format="%Y-%m-%d")
    return path


def cli_run(path: Path, workers: int) -> dict[str, float]:
    """`payoff analyze` in its own process: wall time and that process's own peak memory."""
    out = CACHE / "scale_cli.json"
    command = [
        str(Path(sys.executable).parent / "payoff"),
        "analyze",
        str(path),
        "--framing",
        "perishable",
        "--set",
        "price=10",
        "--set",
        "unit_cost=4",
        "--horizon",
        "28",
        "--workers",
        str(workers),
        "--json",
        str(out),
    ]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"payoff analyze failed:\n{stderr}")
    result = json.loads(out.read_text())
    return {
        "cli_file_mb": path.stat().st_size / 1e6,
        "cli_s": seconds,
        "cli_peak_memory_mb": usage.ru_maxrss / 1024,
        "cli_recommended": result["recommended"]["model"],
    }


def main() -> None:
    figures: dict[str, object] = {}
    for series, workers in ((5_000, 1), (20_000, 1), (20_000, 2)):
        run = oracle_run(series, workers)
        tag = f"{series}_w{workers}"
        figures[f"backtest_{tag}_s"] = run["backtest_s"]
        figures[f"peak_{tag}_mb"] = run["peak_memory_mb"]
        figures[f"auto_vs_oracle_{tag}"] = run["auto_vs_oracle"]
    figures["growth_5000_to_20000_vs_linear"] = figures["backtest_20000_w1_s"] / (4 * figures["backtest_5000_w1_s"])  # type: ignore[operator]
    figures.update(cli_run(big_csv(), workers=2))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
