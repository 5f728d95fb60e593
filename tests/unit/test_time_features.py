"""A table of rows stamped with times (card payments) learns from each row's hour and weekday; a
file of current rows gets them from its own stamps; a file with the hour already keeps its own."""

import numpy as np
import pandas as pd
import pytest

from payoff.carry.scoring import CurrentFileError, check_current, needed_columns
from payoff.data.roles import Role, RoleMap, Shape
from payoff.data.time_features import time_features
from payoff.problem import make_problem

RNG = np.random.default_rng(21)
ROLES = RoleMap(
    {"txn": Role.ID, "when": Role.DATE, "amount": Role.FEATURE, "fraud": Role.TARGET}, Shape.ENTITY, positive_class="Y"
)


def _payments(n: int = 600) -> pd.DataFrame:
    when = pd.Timestamp("2024-03-01") + pd.to_timedelta(np.sort(RNG.integers(0, 30 * 86400, n)), unit="s")
    night = when.hour < 5
    fraud = np.where(RNG.random(n) < np.where(night, 0.4, 0.03), "Y", "N")
    return pd.DataFrame(
        {"txn": [f"T{i}" for i in range(n)], "when": when, "amount": RNG.gamma(2, 30, n), "fraud": fraud}
    )


def test_the_hour_and_weekday_of_a_stamp_by_hand():
    frame = pd.DataFrame({"when": pd.to_datetime(["2024-03-04 23:15", "2024-03-09 02:00"])})  # a Monday, a Saturday
    made = time_features(frame, "when")
    assert made["when: hour of day"].tolist() == [23.0, 2.0]
    assert made["when: day of week (Monday 0)"].tolist() == [0.0, 5.0]
    assert time_features(frame.assign(when=frame["when"].dt.normalize()), "when") == {}  # dates alone
    assert list(time_features(frame.assign(hour=[23, 2]), "when")) == ["when: day of week (Monday 0)"]  # has it


def test_payments_learn_from_their_hour_and_current_payments_are_stamped_alike():
    history = _payments()
    problem = make_problem(history, ROLES, "fraud", params={"review_cost": 5.0, "value": 100.0})
    assert set(problem.features) == {"amount", "when: hour of day", "when: day of week (Monday 0)"}
    assert dict(problem.left_out)["when"].endswith("its hour of day and day of week are learned from")
    assert needed_columns(problem) == ["amount", "when"]  # the file's own stamps, not columns it cannot have
    current = _payments(40).drop(columns=["fraud"])
    checked = check_current(problem, current)
    assert checked.current["when: hour of day"].tolist() == current["when"].dt.hour.astype(float).tolist()
    with pytest.raises(CurrentFileError, match="holds no times of day"):
        check_current(problem, current.assign(when=current["when"].dt.normalize()))
