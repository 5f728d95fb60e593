"""Where the per-series work runs: in this process, in N local processes (joblib), or on an
existing Dask cluster (the ``payoff[dask]`` extra).

The per-series forecasters see one series at a time, so a partition's result does not depend on
which other series share it: the numbers are the same whatever the split and wherever it runs.
Partitions are contiguous blocks of series, put back in order."""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar
from urllib.parse import urlsplit

import numpy as np

from payoff.errors import ComputeError
from payoff.runtime.settings import Settings

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Compute:
    workers: int = 1  # local processes; 1 runs everything in this process
    dask: str | None = None  # a Dask scheduler's address, e.g. tcp://10.0.0.5:8786
    # The models over every series shared with a forked copy of this process when a core is free
    # (payoff.runtime.side_by_side): the same numbers, sooner.
    side_by_side: bool = True

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ComputeError(f"Workers must be 1 or more (got {self.workers}).")

    @property
    def describe(self) -> str:
        if self.dask:
            return f"Dask cluster at {self.dask}"
        return "this process" if self.workers == 1 else f"{self.workers} local processes"

    def partitions(self, n_series: int) -> list[slice]:
        """Contiguous blocks of series, one per worker (several per worker on a cluster so a
        slow partition does not hold the rest), never an empty one."""
        parts = self.workers * (4 if self.dask else 1)
        bounds = np.linspace(0, n_series, min(max(parts, 1), max(n_series, 1)) + 1).round().astype(int)
        return [slice(int(a), int(b)) for a, b in pairwise(bounds) if b > a]

    def map(self, function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
        """`function` over `items`, results in the items' order."""
        if not self.dask and (self.workers == 1 or len(items) <= 1):
            return [function(item) for item in items]
        if not self.dask:
            from joblib import Parallel, delayed, parallel_config

            # One OpenMP thread in each worker (joblib would give each cores / workers, waiting
            # passively in the app: the tenfold slowdown payoff.jobs avoids); the workers are the
            # parallelism.
            with parallel_config(backend="loky", inner_max_num_threads=1):
                return list(Parallel(n_jobs=self.workers)(delayed(function)(item) for item in items))
        try:
            from dask.distributed import Client
        except ImportError as error:
            raise ComputeError("Running on a Dask cluster needs the dask extra: pip install 'payoff[dask]'.") from error
        try:
            _reachable(self.dask)
            client = Client(self.dask, timeout="15s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise ComputeError(
                f"No Dask scheduler answered at {self.dask} ({error}). Check the address (--dask, or PAYOFF_DASK on "
                "a server), or leave it out to run on this machine."
            ) from error
        with client:  # the same partitions as joblib's, as tasks on the cluster
            return list(client.gather(client.map(function, items, pure=False)))


def _reachable(address: str) -> None:
    """A refused or unresolvable tcp:// address is said at once: the Dask client would retry it
    for its whole timeout before giving up. An address this cannot read is left to the client."""
    text = address.strip()
    parsed = urlsplit(text if "://" in text else f"tcp://{text}")
    try:
        port = parsed.port
    except ValueError:
        return
    if parsed.scheme == "tcp" and parsed.hostname and port:
        with socket.create_connection((parsed.hostname, port), timeout=5):
            pass


def from_environment() -> Compute:
    """The server's default, from PAYOFF_WORKERS and PAYOFF_DASK (unset: this process)."""
    settings = Settings.from_env()
    return Compute(workers=settings.workers, dask=settings.dask)
