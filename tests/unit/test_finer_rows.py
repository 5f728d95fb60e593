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
    # 08:00 to 17:59 open, 10 hours of every 24: the sentence says how many of the hours were open
    opened = int(pd.Index(scored).isin(hours.size().index).sum())
    assert analysis.impact.evaluation["period_text"].endswith(f"), {opened} of them open")
    assert opened == 10 * len(scored) // 24


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


def test_two_shops_stamped_at_midnight_and_noon_are_daily_rows_not_half_days():
    """Each shop has one row a day, one stamped 00:00 and the other 12:00: across the file the
    stamps are 12 hours apart, but no rows are combined; a shop with two rows a day is said to."""
    from payoff.timegrid import Frequency, finer_rows

    days = pd.date_range("2024-01-01", periods=40, freq="D")
    dates = pd.Series(list(days) + list(days + pd.Timedelta(hours=12)))
    keys = pd.DataFrame({"shop": ["a"] * 40 + ["b"] * 40})
    assert finer_rows(dates, Frequency("day")) == "12 hours"  # the file's stamps alone
    assert finer_rows(dates, Frequency("day"), keys) is None
    assert finer_rows(dates, Frequency("day"), pd.DataFrame({"shop": ["a"] * 80})) == "12 hours"
    frame = pd.DataFrame({"date": dates, "shop": keys["shop"], "sold": RNG.poisson(20, 80)})
    roles = RoleMap({"date": Role.DATE, "shop": Role.SERIES_KEY, "sold": Role.TARGET}, Shape.TIME_SERIES)
    problem = make_problem(frame, roles, "perishable", params={"price": 5, "unit_cost": 2}, horizon=3)
    assert not problem.rows_combined


def test_a_hotels_average_daily_rate_is_an_outcome_of_the_night_not_known_in_advance():
    """Rooms sold per hotel and night beside the night's ADR and RevPAR (what the rooms sold at,
    known once the night is over), the rooms available and a holiday flag (known in advance)."""
    nights = pd.date_range("2024-01-01", periods=150, freq="D")
    rows = []
    for hotel, rooms in (("Harbour", 120), ("Airport", 80)):
        for night in nights:
            sold = int(min(rooms, RNG.poisson(rooms * 0.7)))
            adr = round(70 + 20 * sold / rooms + float(RNG.normal(0, 3)), 2)
            rows.append((night, hotel, sold, rooms, adr, round(adr * sold / rooms, 2), int(night.day == 1)))
    frame = pd.DataFrame(
        rows, columns=["Date", "Property", "Rooms_Sold", "Rooms_Available", "ADR", "RevPAR", "is_holiday"]
    )
    roles = RoleMap(
        {
            "Date": Role.DATE,
            "Property": Role.SERIES_KEY,
            "Rooms_Sold": Role.TARGET,
            "Rooms_Available": Role.FEATURE,
            "ADR": Role.FEATURE,
            "RevPAR": Role.FEATURE,
            "is_holiday": Role.FEATURE,
        },
        Shape.TIME_SERIES,
    )
    problem = make_problem(frame, roles, "perishable", params={"price": 100, "unit_cost": 30})
    realised = dict(problem.realised)
    assert realised["ADR"].startswith("its name says it is an outcome") and "RevPAR" in realised
    assert set(problem.features) == {"Rooms_Available", "is_holiday"}


def test_what_was_thrown_away_or_carried_over_that_day_is_an_outcome_of_it():
    """A florist's stems binned and a depot's parcels failed or carried over are known only once
    the day is over: left out as realised, where a price per stem (known in advance) is kept."""
    days = pd.date_range("2024-01-01", periods=150, freq="D")
    sold = RNG.poisson(40, len(days))
    frame = pd.DataFrame(
        {
            "date": days,
            "Stems sold": sold,
            "Stems binned": RNG.poisson(5, len(days)),
            "Failed / carried over": RNG.poisson(2, len(days)),
            "Price per stem": np.where(days.month == 2, 3.5, 2.5),
        }
    )
    roles = RoleMap(
        {
            "date": Role.DATE,
            "Stems sold": Role.TARGET,
            "Stems binned": Role.FEATURE,
            "Failed / carried over": Role.FEATURE,
            "Price per stem": Role.FEATURE,
        },
        Shape.TIME_SERIES,
    )
    problem = make_problem(frame, roles, "perishable", params={"price": 3, "unit_cost": 1})
    assert set(dict(problem.realised)) == {"Stems binned", "Failed / carried over"}
    assert problem.features == ("Price per stem",)
