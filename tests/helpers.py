"""Small builders shared by the library tests: a problem from a frame and its roles, run once."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from payoff.analysis import Analysis, run_analysis
from payoff.data.load import read_table
from payoff.data.roles import RoleMap, suggest_roles
from payoff.models import classifiers
from payoff.problem import Problem, make_problem
from payoff.runtime import samples

FOREST_FAILURE = "the forest could not be grown"


def problem(frame: pd.DataFrame, roles: RoleMap, framing: str, **choices: Any) -> Problem:
    return make_problem(frame, roles, framing, **choices)


def analyse(frame: pd.DataFrame, roles: RoleMap, framing: str, **choices: Any) -> Analysis:
    return run_analysis(make_problem(frame, roles, framing, **choices))


def break_the_random_forest(monkeypatch: Any) -> None:
    """Make the random forest fail on its first fold (the app and the CLI must both say so)."""
    real = classifiers.make_model

    def broken(name: str, columns: Any, n_rows: int) -> Any:
        if name == "random forest":
            raise ValueError(FOREST_FAILURE)
        return real(name, columns, n_rows)

    monkeypatch.setattr(classifiers, "make_model", broken)


def sample_problem(name: str, framing: str | None = None, **choices: Any) -> Problem:
    """A built-in sample's problem with its detected roles (its own framing by default)."""
    sample = samples.get_sample(name)
    frame = read_table(samples.sample_bytes(name), sample.filename).frame
    roles = suggest_roles(frame)
    return make_problem(frame, roles, framing or sample.framing, source=sample.filename, **choices)


@functools.cache
def sample_analysis(name: str, framing: str, **choices: Any) -> Analysis:
    """A built-in sample analysed with its detected roles, as the CLI and the app do (cached: it is
    frozen, so tests may share it)."""
    return run_analysis(sample_problem(name, framing, **choices))


class FitHere:
    """payoff.jobs.FitJob's interface, fitting in this process: for a test whose monkeypatch must
    reach the fit (a fork server's children never see it)."""

    def __init__(self, problem: Problem, compute: Any = None, budget_s: float | None = None) -> None:
        from payoff.carry.results import to_json

        self.result = run_analysis(problem, None, compute)
        self.summary = to_json(self.result)
        self.error = None
        self.running = False
        self.priced = None  # the whole analysis at once: nothing is handed over priced first

    def wait(self, on_progress: Any = None, tick_s: float = 0.25, priced: bool = False) -> Analysis:
        return self.result
