"""Every setting of whoever runs Payoff, from the environment, in one place: each PAYOFF_*
variable's name, default, meaning and parsing, and the message a bad value gets.

`Settings.from_env()` takes a snapshot of the environment; each setting is parsed when it is
asked for, so a bad PAYOFF_WORKERS is said where workers are chosen (and one process used) and
does not stop `payoff saved` or the memory check. `problems()` lists every bad value at once.
Read when used, never at import: tests and the fit processes lay settings over the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from payoff.errors import ComputeError, PayoffError
from payoff.runtime.owners import clean_user

DATABASE = "PAYOFF_DB"
SAMPLES = "PAYOFF_SAMPLES"
WORKERS = "PAYOFF_WORKERS"
DASK = "PAYOFF_DASK"
FIT_SECONDS = "PAYOFF_FIT_SECONDS"
MEMORY_BUDGET = "PAYOFF_MEMORY_BUDGET"
CLI_USER = "PAYOFF_USER"
USER_HEADER = "PAYOFF_USER_HEADER"

# name: what it sets (unset: the default), as docs/operations.md says it
VARIABLES = {
    DATABASE: "the saved analyses' SQLite file (unset: ~/.payoff/analyses.sqlite)",
    SAMPLES: "the folder of the sample CSVs (unset: sample_data/ in the checkout)",
    WORKERS: "processes for the per-series models by default (unset: 1)",
    DASK: "a Dask scheduler's address for the per-series models (unset: this machine)",
    FIT_SECONDS: "the longest a fit may run before it is stopped (unset: 1800)",
    MEMORY_BUDGET: "the memory a file or a run may need, like 8GB (unset: three quarters of the machine's)",
    CLI_USER: "the user the command line acts as (unset: whoever runs Payoff, every analysis)",
    USER_HEADER: "the request header a sign-in proxy names the user in (unset: no proxy)",
}
DEFAULT_FIT_SECONDS = 1800.0
_UNITS = {"": 1, "B": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}


def parse_size(text: str) -> int:
    """ "8GB", "1500MB", "1.5 GB" -> bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?B?)\s*", text.upper())
    if not match:
        raise PayoffError(f"{MEMORY_BUDGET} takes a size like 8GB or 1500MB, not '{text}'.")
    unit = match.group(2) if match.group(2).endswith("B") or not match.group(2) else match.group(2) + "B"
    return int(float(match.group(1)) * _UNITS[unit])


@dataclass(frozen=True)
class Settings:
    """The PAYOFF_* variables of one moment (only those: nothing else of the environment)."""

    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if environ is None else environ
        return cls({k: v for k, v in source.items() if k.startswith("PAYOFF_")})

    def _text(self, name: str) -> str:
        return self.environ.get(name, "").strip()

    @property
    def database(self) -> Path:
        text = self.environ.get(DATABASE)
        return Path(text) if text else Path.home() / ".payoff" / "analyses.sqlite"

    @property
    def samples(self) -> Path:
        text = self.environ.get(SAMPLES)
        return Path(text) if text else Path(__file__).resolve().parents[3] / "sample_data"

    @property
    def workers(self) -> int:
        text = self._text(WORKERS) or "1"
        try:
            return int(text)
        except ValueError as error:
            raise ComputeError(f"{WORKERS} must be a whole number of processes, not '{text}'.") from error

    @property
    def dask(self) -> str | None:
        return self.environ.get(DASK) or None

    @property
    def fit_seconds(self) -> float:
        text = self._text(FIT_SECONDS)
        if not text:
            return DEFAULT_FIT_SECONDS
        try:
            seconds = float(text)
        except ValueError as error:
            raise PayoffError(f"{FIT_SECONDS} must be a number of seconds, not '{text}'.") from error
        if seconds <= 0:
            raise PayoffError(f"{FIT_SECONDS} must be more than 0 seconds, not {text}.")
        return seconds

    @property
    def memory_budget(self) -> int | None:
        """The budget in bytes, or None when unset (the machine's share applies)."""
        text = self._text(MEMORY_BUDGET)
        return parse_size(text) if text else None

    @property
    def cli_user(self) -> str | None:
        return clean_user(self.environ.get(CLI_USER), CLI_USER)

    @property
    def user_header(self) -> str | None:
        return self._text(USER_HEADER) or None

    def problems(self) -> list[str]:
        """Every bad value, each in its own words."""
        found = []
        for name in ("workers", "fit_seconds", "memory_budget", "cli_user"):
            try:
                getattr(self, name)
            except PayoffError as error:
                found.append(str(error))
        return found
