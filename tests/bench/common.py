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
