"""The headline's uncertainty, said once for the page and the report (summary.interval_note)."""

from dataclasses import replace

import pandas as pd
import pytest

from payoff.data.roles import suggest_roles
from payoff.evaluate.summary import interval_note
from tests.helpers import analyse


@pytest.fixture(scope="module")
def impact():
    days = pd.date_range("2024-01-01", periods=120, freq="D")
    table = pd.DataFrame({"date": days, "sales": [4 + i % 7 for i in range(120)]})
    analysis = analyse(table, suggest_roles(table), "perishable", params={"price": 5, "unit_cost": 2}, models=["naive"])
    return replace(analysis.impact, currency="$")


@pytest.mark.parametrize(
    ("gain", "interval", "said"),
    [
        (100.0, (-5.0, 200.0), "90% interval -$5.00 to $200 (spans zero: no sure saving)"),
        (100.0, (10.0, 200.0), "90% interval $10.00 to $200"),
        (-3.0, (-9.0, 2.0), "90% interval -$9.00 to $2.00"),  # no gain: nothing to be unsure of
    ],
)
def test_interval_note(impact, gain, interval, said):
    recommended = replace(impact.recommended, gain=gain, gain_interval=interval)
    assert interval_note(replace(impact, recommended=recommended)) == said
