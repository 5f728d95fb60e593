"""Small builders shared by the library tests: a problem from a frame and its roles, run once."""

from __future__ import annotations

from typing import Any

import pandas as pd

from payoff.analysis import Analysis, run_analysis
from payoff.data.roles import RoleMap
from payoff.models import classifiers
from payoff.problem import Problem, make_problem

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
