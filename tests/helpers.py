"""Small builders shared by the library tests: a problem from a frame and its roles, run once."""

from __future__ import annotations

from typing import Any

import pandas as pd

from payoff.analysis import Analysis, run_analysis
from payoff.data.roles import RoleMap
from payoff.problem import Problem, make_problem


def problem(frame: pd.DataFrame, roles: RoleMap, framing: str, **choices: Any) -> Problem:
    return make_problem(frame, roles, framing, **choices)


def analyse(frame: pd.DataFrame, roles: RoleMap, framing: str, **choices: Any) -> Analysis:
    return run_analysis(make_problem(frame, roles, framing, **choices))
