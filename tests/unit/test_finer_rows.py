"""Rows finer than the periods Payoff works in (a call centre's half hours, worked in hours):
the work is added up within each hour, the people on shift averaged over it (added up, every
person would count twice), and the page says so; today's rota is compared with, never learned
from; the period's own report (answered, abandoned, handle time) is left out as realised."""

import numpy as np
import pandas as pd
import pytest

from payoff.data.roles import Role, RoleMap, Shape
from payoff.models.catalogue import STATUS_QUO
from payoff.problem import make_problem
from payoff.statusquo import DecisionColumn
from tests.helpers import analyse

RNG = np.random.default_rng(30)
ROLES = RoleMap(
    {
        "Interval Start": Role.DATE,
        "Calls Offered": Role.TARGET,
        "Calls Answered": Role.FEATURE,
        "Abandoned": Role.FEATURE,
        "Avg Handle Time (s)": Role.FEATURE,
        "On Shift": Role.FEATURE,
    },
    Shape.TIME_SERIES,
)
PARAMS = {"units_per_staff": 12.0, "staff_cost": 15.0, "unserved_cost": 5.0}


def _half_hours(days: int = 30) -> pd.DataFrame:
    rows = []
    for day in pd.date_range("2024-01-01", periods=days, freq="D"):
        for slot in pd.date_range(day + pd.Timedelta(hours=8), periods=20, freq="30min"):  # 08:00 to 17:30
            calls = int(RNG.poisson(30 + 20 * (slot.hour in (10, 11, 14))))
            staff = int(RNG.integers(2, 6))
            answered = min(calls, staff * 6)
            rows.append((slot, calls, answered, calls - answered, int(RNG.integers(200, 400)), staff))
    return pd.DataFrame(rows, columns=list(ROLES.roles))


def test_half_hours_are_worked_in_hours_with_the_people_on_shift_averaged_by_hand():
    frame = _half_hours()
    analysis = analyse(
        frame, ROLES, "staffing", params=PARAMS, status_quo=DecisionColumn("On Shift"), models=("naive",), horizon=24
    )
    problem = analysis.problem
    assert problem.rows_combined == (
        "Your rows come every 30 minutes; Payoff works in hours: 'Calls Offered' is added up within each hour, "
        "and 'On Shift' is averaged over the hour (people on shift)."
    )
    assert analysis.impact.evaluation["rows_combined"] == problem.rows_combined
    # by hand, on the hours the backtest scores
    hours = frame.assign(hour=frame["Interval Start"].dt.floor("h")).groupby("hour")
    calls, staff = hours["Calls Offered"].sum(), hours["On Shift"].mean()
    predictions = analysis.predictions
    scored = predictions.panel.dates[predictions.periods[predictions.scored]]
    calls, staff = calls.reindex(scored).fillna(0), staff.reindex(scored).fillna(0)
    by_hand = float((15 * staff).sum() + (5 * np.maximum(calls - 12 * staff, 0)).sum())
    assert analysis.impact.model(STATUS_QUO).money == pytest.approx(by_hand)
    # each person once an hour: adding the half hours up would have charged every one twice
    assert analysis.impact.model(STATUS_QUO).components["staff"] == pytest.approx(float((15 * staff).sum()))


def test_todays_rota_and_the_periods_own_report_are_not_learned_from():
    problem = make_problem(_half_hours(), ROLES, "staffing", params=PARAMS, status_quo=DecisionColumn("On Shift"))
    assert problem.features == ()
    left_out = dict(problem.left_out)
    assert left_out["On Shift"] == "what the business did: it is the status quo, not something to learn from"
    for realised in ("Calls Answered", "Abandoned", "Avg Handle Time (s)"):
        assert left_out[realised].startswith("looks realised with demand: its name says it is an outcome"), realised


def test_hourly_rows_in_an_hourly_file_are_not_said_to_be_combined():
    frame = _half_hours()
    frame = frame[frame["Interval Start"].dt.minute == 0]
    problem = make_problem(frame, ROLES, "staffing", params=PARAMS, status_quo=DecisionColumn("On Shift"))
    assert problem.rows_combined == ""


def test_the_next_rota_staffs_no_hour_the_phones_have_not_been_open():
    from payoff.analysis import next_decisions

    analysis = analyse(
        _half_hours(), ROLES, "staffing", params=PARAMS, status_quo=DecisionColumn("On Shift"), models=("naive",)
    )
    rota = next_decisions(analysis)
    hours = pd.DatetimeIndex(rota["Period"]).hour
    closed = (hours < 8) | (hours >= 18)  # the file's rows run from 08:00 to 17:30 every day
    assert closed.sum() == len(rota) * 14 // 24 and (rota["Staff to schedule"][closed] == 0).all()
    assert (rota["Staff to schedule"][~closed] > 0).all()
    assert (
        f"{closed.sum()} of the {len(rota)} hours fall when your file has no rows in the last 4 weeks"
        in (rota.attrs["caption"])
    )
