"""Nothing is left out silently: in a targeting file every column but the outcome, the id, the
date and what the business did is a feature, and a column that is not used is listed with why."""

import numpy as np
import pandas as pd

from payoff.data.roles import Role, RoleMap, Shape, suggest_roles
from payoff.problem import make_problem

RNG = np.random.default_rng(3)


def _flags_and_counts(n: int = 600) -> pd.DataFrame:
    """19 columns, no id: sixteen 0/1 flags and small counts, a date, a constant and the outcome."""
    columns = {f"flag_{i}": RNG.integers(0, 2, n) for i in range(10)}
    columns |= {f"count_{i}": RNG.integers(0, 5, n) for i in range(6)}
    columns["signup"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(RNG.integers(0, 200, n), unit="D")
    columns["country"] = "NL"
    score = columns["flag_0"] + columns["count_0"] - 2
    columns["churned"] = np.where(RNG.random(n) < 1 / (1 + np.exp(-score)), "yes", "no")
    return pd.DataFrame(columns)


def test_every_column_is_a_feature_or_listed_with_its_reason():
    frame = _flags_and_counts()
    suggested = suggest_roles(frame)
    assert suggested.shape == Shape.ENTITY and suggested.one(Role.TARGET) == "churned"  # not a count, not keys
    assert not suggested.columns(Role.SERIES_KEY)
    # a column marked as a series key (as an older Payoff guessed) and one the user leaves out
    roles = RoleMap(
        {**suggested.roles, "flag_3": Role.SERIES_KEY, "count_2": Role.IGNORE}, Shape.ENTITY, suggested.reasons, "yes"
    )
    problem = make_problem(frame, roles, "churn", params={"value": 100, "contact_cost": 5, "offer_cost": 10})
    assert len(problem.features) == 15  # 10 flags + 6 counts, less the one left out by the user
    assert "flag_3" in problem.features  # a guessed series key still teaches the models
    assert dict(problem.left_out) == {
        "count_2": "left out by you",
        "country": "constant or empty",
        "signup": "orders the folds in time: the models learn from the earlier rows and are tested on the later "
        "ones, so the date itself (how long ago) is not learned from",
    }
    assert set(problem.features) | set(dict(problem.left_out)) | {"churned"} == set(frame.columns)


def test_a_quantity_problem_lists_the_columns_it_does_not_use():
    dates = pd.date_range("2025-01-01", periods=120, freq="D")
    frame = pd.DataFrame(
        {
            "date": np.tile(dates, 2),
            "shop": np.repeat(["north", "south"], 120),
            "units": RNG.poisson(20, 240),
            "promo": RNG.integers(0, 2, 240),
            "weather": RNG.choice(["sun", "rain"], 240),
            "units_ordered": RNG.poisson(22, 240),
        }
    )
    roles = suggest_roles(frame)
    problem = make_problem(frame, roles, "perishable", params={"price": 4, "unit_cost": 1.5})
    assert problem.keys == ("shop",) and problem.features == ("promo",)
    reasons = dict(problem.left_out)
    assert set(reasons) == {"weather", "units_ordered"}
    assert reasons["weather"].startswith("not a number")
    assert reasons["units_ordered"].startswith("what the business did")
