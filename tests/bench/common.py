"""Shared pieces of the benchmarks: a cache folder for generated inputs and memory readings."""

from __future__ import annotations

import resource
from pathlib import Path

CACHE = Path(__file__).resolve().parents[2] / ".bench-cache"


def rss_bytes() -> int:
    """Current resident memory of this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def peak_rss_bytes() -> int:
    """Highest resident memory this process has reached (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def trust_seconds(analysis: object, params: dict[str, float], repeats: int = 3) -> tuple[float, int]:
    """Median seconds of 1,000 bootstrap replicates for every entry (a re-pricing with intervals)
    plus the full sensitivity sweep, and how many sweep points that was."""
    import statistics
    import time

    from payoff.analysis import recost
    from payoff.carry.sensitivity import sensitivity

    timings, points = [], 0
    for _ in range(repeats):
        # Sweeps are kept with the predictions once worked out (carry.sensitivity): every
        # repetition times working them out, not reading the first one's back.
        analysis.predictions.__dict__.pop("_sweeps", None)  # type: ignore[attr-defined]
        tick = time.perf_counter()
        recost(analysis, params)  # type: ignore[arg-type]
        sweeps = sensitivity(analysis)  # type: ignore[arg-type]
        timings.append(time.perf_counter() - tick)
        points = sum(len(s.values) for s in sweeps)
    return statistics.median(timings), points
