"""What the costs mean before anything is fitted: the four outcomes of a typical entity."""

import numpy as np

from payoff.evaluate.targeting_views import typical_outcomes
from payoff.framings import catalogue


def test_each_outcome_carries_its_own_money_and_a_per_row_value_its_median():
    framing = catalogue.get("custom-payoff")
    arrays = {"act_pos": np.array([10.0, 30.0, 50.0]), "act_neg": -5.0, "pass_pos": -40.0, "pass_neg": 0.0}
    table = typical_outcomes(framing, arrays)
    act, event, no_event = framing.words
    assert table["outcome"].tolist() == [
        f"{act}, and it {event}",
        f"{act}, and it {no_event}",
        f"do not {act}, and it {event}",
        f"do not {act}, and it {no_event}",
    ]
    assert table["money per entity"].tolist() == ["30.00", "-5.00", "-40.00", "0"]  # 30: the median of 10, 30, 50


def test_the_four_payoffs_framing_reads_in_plain_sentences():
    """Its words once made "the chance that it event happens" and "act, and it no event"."""
    framing = catalogue.get("custom-payoff")
    table = typical_outcomes(framing, {"act_pos": 5.0, "act_neg": -1.0, "pass_pos": -5.0, "pass_neg": 0.0})
    assert table["outcome"].tolist() == [
        "act, and it has the outcome",
        "act, and it does not have it",
        "do not act, and it has the outcome",
        "do not act, and it does not have it",
    ]
    assert framing.driver("pass & event", "£5") == "mostly where you do not act and it has the outcome (£5 better)"
    assert [p.label for p in framing.params][:2] == ["Act, and it has the outcome", "Act, and it does not have it"]
