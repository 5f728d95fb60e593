"""The bad-input corpus for where and within what a run computes: `--workers`, `--dask`, and the
server's PAYOFF_WORKERS and PAYOFF_MEMORY_BUDGET. Each case gives the options and environment,
and the words its one-line message must contain."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bad:
    name: str
    options: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    says: tuple[str, ...] = ()


CASES = [
    Bad("no_workers", ("--workers", "0"), says=("Workers must be 1 or more (got 0)",)),
    Bad("negative_workers", ("--workers", "-3"), says=("Workers must be 1 or more (got -3)",)),
    Bad("words_for_workers", ("--workers", "two"), says=("--workers", "invalid int value: 'two'")),
    Bad("no_scheduler", ("--dask", "tcp://127.0.0.1:9"), says=("No Dask scheduler answered at tcp://127.0.0.1:9",)),
    Bad("workers_env", environment={"PAYOFF_WORKERS": "many"}, says=("PAYOFF_WORKERS must be a whole number",)),
    Bad("budget_env", environment={"PAYOFF_MEMORY_BUDGET": "lots"}, says=("PAYOFF_MEMORY_BUDGET takes a size",)),
    Bad(
        "file_over_budget",
        environment={"PAYOFF_MEMORY_BUDGET": "100KB"},
        says=("needs about", "the limit is 0 MB (PAYOFF_MEMORY_BUDGET)", "Split the file"),
    ),
    Bad(
        "run_over_budget",
        environment={"PAYOFF_MEMORY_BUDGET": "300MB"},
        says=("A backtest of 12 series x 730 periods needs about 404 MB", "the limit is 300 MB (PAYOFF_MEMORY_BUDGET)"),
    ),
]
