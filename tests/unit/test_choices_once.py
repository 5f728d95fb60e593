"""The user's choices are declared once, in `Choices`: each goes to make_problem under its own
name, and a choice given on the page reaches the problem."""

import inspect
from dataclasses import fields

import pandas as pd

from payoff.data.roles import suggest_roles
from payoff.problem import Choices, make_problem


def test_every_choice_is_a_make_problem_option_of_the_same_name():
    options = set(inspect.signature(make_problem).parameters) - {"table", "roles", "framing"}
    chosen = {f.name for f in fields(Choices)} - {"framing"}
    assert chosen <= options, chosen - options


def test_choices_reach_the_problem_by_name():
    days = pd.date_range("2024-01-01", periods=120, freq="D")
    table = pd.DataFrame({"date": days, "sales": [3 + (i % 7) for i in range(120)]})
    choices = Choices(
        params=(("price", "10"), ("unit_cost", "4"), ("holding_cost", "0.1")),
        horizon=7,
        origins=3,
        currency="EUR",
        models=("naive",),
    )
    problem = choices.problem(table, suggest_roles(table), "inventory", source="shop.csv")
    assert (problem.evaluation.horizon, problem.evaluation.origins) == (7, 3)
    assert dict(problem.params)["price"] == 10.0 and dict(problem.params)["unit_cost"] == 4.0
    assert problem.currency == "EUR" and problem.models == ("naive",) and problem.source == "shop.csv"
