"""The leakage guard hears what a column's blanks say: a cancellation date filled in for exactly
the customers who left tells churners apart by being there at all, whatever its dates rank."""

import numpy as np
import pandas as pd
import pytest

from payoff.evaluate.leakage import SUSPICIOUS_AUC, check, single_feature_auc


def _subscribers(n: int = 400) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(2)
    churned = rng.random(n) < 0.25
    days = pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    frame = pd.DataFrame(
        {
            "cancelled_on": pd.Series(days).where(churned),  # blank: still a subscriber
            "plan_fee": np.round(rng.uniform(10, 50, n), 2),
        }
    )
    return frame, churned.astype(int)


def test_a_date_filled_in_only_for_those_who_left_is_flagged_by_its_blanks():
    frame, churned = _subscribers()
    assert single_feature_auc(frame["cancelled_on"], churned) == 1.0  # blank or not: every row right
    flags = {flag.column: flag for flag in check(frame, ["cancelled_on", "plan_fee"], churned)}
    assert list(flags) == ["cancelled_on"] and flags["cancelled_on"].auc == 1.0


def test_blanks_that_say_nothing_flag_nothing():
    """Blanks on a random half of the rows, by hand: the indicator ranks like a coin toss."""
    frame, churned = _subscribers()
    fee = frame["plan_fee"].where(np.random.default_rng(5).random(len(frame)) < 0.5)
    assert single_feature_auc(fee, churned) < SUSPICIOUS_AUC


def test_dates_rank_by_their_time():
    """Later sign-up dates for every churner: the dates alone order them (AUC 1), not as text."""
    y = np.array([0, 0, 0, 1, 1, 1])
    dates = pd.Series(
        pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09", "2024-02-01", "2024-02-11", "2024-03-01"])
    )
    assert single_feature_auc(dates, y) == pytest.approx(1.0)


def test_an_empty_date_and_a_never_ending_one_are_ranked_without_failing():
    """An empty 'last_complaint' date ranks nothing (it once failed the page: no median to fill
    with); a 9999-12-31 'never ends' is the latest date, not an overflow to the earliest."""
    y = np.array([0, 1, 0, 1, 0, 1])
    empty = pd.Series(pd.to_datetime([None] * 6))
    assert single_feature_auc(empty, y) == 0.5
    ends = pd.Series(np.array(["2024-01-01", "9999-12-31"] * 3, dtype="datetime64[s]"))
    assert single_feature_auc(ends, y) == 1.0
