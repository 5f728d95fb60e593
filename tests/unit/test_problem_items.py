"""ProblemErrors carry structured items: each problem with the choice it belongs to and why."""

import pandas as pd
import pytest

from payoff.data.roles import suggest_roles
from payoff.errors import DESIGN, MISSING, MODELS, SEGMENT, STATUS_QUO, ProblemErrors
from payoff.problem import make_problem
from payoff.statusquo import DecisionColumn


@pytest.fixture
def table() -> pd.DataFrame:
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    return pd.DataFrame({"date": days, "sales": [5 + i % 7 for i in range(60)], "store": "A"})


def test_every_problem_says_which_choice_fixes_it(table):
    with pytest.raises(ProblemErrors) as caught:
        make_problem(
            table,
            suggest_roles(table),
            "inventory",
            status_quo=DecisionColumn("nowhere"),
            models=("crystal ball",),
            segment="region",
            horizon=200,
            defaults_from=None,
            params={"price": 10},
        )
    fields = [(item.field, item.code) for item in caught.value.items]
    assert fields[:4] == [
        (STATUS_QUO, "invalid"),  # no column 'nowhere'
        (MODELS, "invalid"),  # no model 'crystal ball'
        (SEGMENT, "invalid"),  # no column 'region'
        (DESIGN, "invalid"),  # 200 days of horizon in 60 days of history
    ]
    missing = {field for field, code in fields if code == MISSING}
    assert missing == {"params.unit_cost", "params.holding_cost"}  # the price was typed
    assert [item.message for item in caught.value.items] == list(caught.value.problems)


def test_a_plain_message_is_an_item_without_a_place():
    error = ProblemErrors(["Something is off."])
    assert [(i.field, i.code, i.message) for i in error.items] == [("", "invalid", "Something is off.")]
    assert str(error) == "Something is off."
