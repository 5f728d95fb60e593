"""The memory budget: a file or a run that would need more memory than the limit is refused
before the work starts, with the limit and what to do, instead of the machine swapping or the
process being killed half-way.

The limit is PAYOFF_MEMORY_BUDGET ("8GB", "1500MB"), else three quarters of this machine's
memory. The needs are estimated from peaks measured on the benchmarks (docs/benchmarks.md):
they are the whole process's peak, so the table already loaded is counted."""

from __future__ import annotations

import os

from payoff.errors import PayoffError
from payoff.runtime.settings import MEMORY_BUDGET as BUDGET_ENV
from payoff.runtime.settings import Settings

# Measured peaks (tests/bench/oracle.py, tests/bench/targeting.py), with a margin of a fifth.
PROCESS_BASE = 400 * 2**20  # Python, pandas, scikit-learn and the table's own columns
# quantity: per (series, period) cell: 287 then 301 measured from 5,000 to 20,000 series; 385 at
# 20,000 since issue 21 (four more features, the local GLMs' blocks, the order model)
BYTES_PER_CELL = 460
BYTES_PER_VALUE = 120  # targeting: per (entity, column) value
FILE_FACTOR = 6  # reading a file: its size times this (intake measures under 5x)


class OverBudget(PayoffError):
    """The work would need more memory than the budget allows."""


def machine_memory() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # not a POSIX system: assume a small laptop
        return 8 * 2**30


def limit() -> int:
    given = Settings.from_env().memory_budget
    return given if given is not None else machine_memory() * 3 // 4


def size_text(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:,.1f} GB" if n_bytes >= 2**30 else f"{n_bytes / 2**20:,.0f} MB"


def _limit_text(budget: int) -> str:
    source = (
        BUDGET_ENV
        if Settings.from_env().memory_budget is not None
        else f"three quarters of this machine's memory; set {BUDGET_ENV} to change it"
    )
    return f"{size_text(budget)} ({source})"


def _check(needed: int, what: str, advice: str) -> None:
    budget = limit()
    if needed > budget:
        raise OverBudget(
            f"{what} needs about {size_text(needed)} of memory; the limit is {_limit_text(budget)}. {advice}"
        )


def check_file(size: int, name: str) -> None:
    """Refuse a file whose reading alone would pass the budget."""
    _check(
        size * FILE_FACTOR,
        f"Reading '{name}' ({size_text(size)})",
        "Split the file (by store, region or year) or drop columns you do not need, or run Payoff on a machine "
        "with more memory.",
    )


def check_quantity(n_series: int, n_periods: int) -> None:
    _check(
        PROCESS_BASE + BYTES_PER_CELL * n_series * n_periods,
        f"A backtest of {n_series:,} series x {n_periods:,} periods",
        "Analyse fewer series at once (filter the file by store or category), aggregate to weeks or months, or "
        "raise the limit on a machine with more memory.",
    )


# Cells (series x periods) up to which work is shared with a forked copy of the process: its fits
# and re-pricings hold their own arrays. 500 series of two daily years is 365,000.
SHARED_CELLS = 1_000_000


def room_for_two(n_series: int, n_periods: int) -> bool:
    """Whether a second process may share the work on a file of this size: up to SHARED_CELLS,
    and when two processes' needs fit the budget (on 500 series x 730 days the copy's peak was
    360 MB beside the first's 570 MB, counting the pages they share)."""
    cells = n_series * n_periods
    return cells <= SHARED_CELLS and 2 * (PROCESS_BASE + BYTES_PER_CELL * cells) <= limit()


def check_targeting(n_rows: int, n_columns: int) -> None:
    _check(
        PROCESS_BASE + BYTES_PER_VALUE * n_rows * max(n_columns, 1),
        f"Fitting {n_rows:,} rows x {n_columns:,} columns",
        "Use a random sample of the rows (a few hundred thousand are plenty to rank), drop columns the models do "
        "not need, or raise the limit on a machine with more memory.",
    )
