"""The headline's number as the first screen shows it: a gain in money, a loss as a loss."""

import pytest
from streamlit.testing.v1 import AppTest


def _headline(gain: float) -> None:
    from dataclasses import replace

    from payoff.ui import answer_view
    from tests.helpers import sample_analysis

    impact = sample_analysis("retail_sales", "perishable").impact
    answer_view.headline(replace(impact, recommended=replace(impact.recommended, gain=gain), currency="€"))


@pytest.mark.parametrize(("gain", "shown"), [(6939.4, "€6,939"), (0.001, "no gain"), (-61859.2, "-€61,859")])
def test_a_loss_is_shown_as_one_not_as_no_gain(gain, shown):
    at = AppTest.from_function(_headline, args=(gain,), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.metric[0].value == shown
