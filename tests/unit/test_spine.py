"""The typed spine: make_problem (every problem at once, explicit beats detected), the Frequency
of the file's own dates, exact serialisation, and the invariants the app and the CLI rely on."""

import warnings

import numpy as np
import pandas as pd
import pytest

from payoff.analysis import recost
from payoff.carry import serial
from payoff.data import fast
from payoff.data.roles import Role, RoleMap, Shape, suggest_roles
from payoff.engines import engine_for
from payoff.errors import PayoffError, ProblemErrors
from payoff.framings.base import FromColumn
from payoff.statusquo import DecisionColumn, Everybody, LastValue, MovingAverage, Nobody, Rule, parse_status_quo
from payoff.timegrid import Frequency, count_periods, infer_frequency
from tests.helpers import analyse, problem


def weekly(weeks: int, weekday: str = "FRI", series: int = 3, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2010-02-05", periods=weeks, freq=f"W-{weekday}")
    return pd.DataFrame(
        {
            "date": np.tile(dates, series),
            "store": np.repeat([f"s{i}" for i in range(series)], weeks),
            "sales": rng.poisson(100, weeks * series).astype(float),
            "temperature": rng.normal(20, 5, weeks * series),
        }
    )


WEEKLY_ROLES = RoleMap(
    {"date": Role.DATE, "store": Role.SERIES_KEY, "sales": Role.TARGET, "temperature": Role.FEATURE}, Shape.TIME_SERIES
)


def entities(n: int = 600, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "tenure": rng.integers(1, 60, n),
            "x": x,
            "value": rng.uniform(50, 500, n).round(2),
            "churned": np.where(rng.random(n) < 1 / (1 + np.exp(-(x - 1))), "yes", "no"),
        }
    )


def entity_roles(frame: pd.DataFrame) -> RoleMap:
    roles = suggest_roles(frame)
    assert roles.one(Role.TARGET) == "churned" and roles.one(Role.VALUE) == "value"
    return roles


# -- the calendar -------------------------------------------------------------------------


def test_weekly_fridays_stay_fridays_and_month_ends_stay_month_ends():
    fridays = pd.Series(pd.date_range("2012-01-06", periods=10, freq="W-FRI"))
    frequency = infer_frequency(fridays)
    assert frequency == Frequency("week", 4) and frequency.alias == "W-FRI" and frequency.season == 52
    assert frequency.label(fridays.iloc[-1]) == "09 Mar 2012"
    assert count_periods(fridays, frequency) == 10
    month_ends = pd.Series(pd.date_range("2020-01-31", periods=6, freq="ME"))
    monthly = infer_frequency(month_ends)
    assert monthly.anchor == "end" and list(monthly.period_of(month_ends)) == list(month_ends)
    assert monthly.label(month_ends.iloc[0]) == "Jan 2020"
    assert infer_frequency(pd.Series(pd.date_range("2020-01-01", periods=30, freq="h"))).unit == "hour"


def test_a_weekly_file_of_fridays_is_reported_on_fridays():
    analysis = analyse(weekly(143), WEEKLY_ROLES, "custom-quantity", models=["naive", "gradient boosting"])
    evaluation = analysis.impact.evaluation
    last = pd.Timestamp(evaluation["end"])
    assert last.day_name() == "Friday" and last == weekly(143)["date"].max()
    assert evaluation["periods"] == 32 and evaluation["horizon"] == 8  # 4 tests of 8 weeks
    assert last.strftime("%d %b %Y") in analysis.impact.narrative


def test_gradient_boosting_forecasts_143_weeks_without_failing():
    """A lag of two seasons has no value before the calibration window of a 143-week history;
    it used to break gradient boosting on every series (numpy's "window shape" error)."""
    analysis = analyse(weekly(143), WEEKLY_ROLES, "custom-quantity", models=["gradient boosting"])
    entry = analysis.predictions.model("gradient boosting")
    assert entry.failures == () and not entry.fallback.any()


# -- make_problem ----------------------------------------------------------------------------


def test_every_problem_is_reported_at_once():
    frame = weekly(60)
    with pytest.raises(ProblemErrors) as caught:
        problem(
            frame,
            WEEKLY_ROLES,
            "perishable",
            params={"price": "cheap", "colour": "red"},
            status_quo=Nobody(),
            models=["naive", "prophet"],
            season=0,
            country="XX",
            horizon=30,
        )
    found = caught.value.problems
    words = ["'price' must be a number", "no parameter 'colour'", "not a status quo", "'prophet'", "season", "'XX'"]
    for word in words:
        assert any(word in p for p in found), (word, found)
    assert len(found) >= 6 and str(caught.value).startswith(f"{len(found)} things to fix")


def test_explicit_value_beats_the_detected_value_column():
    frame = entities()
    roles = entity_roles(frame)
    detected = problem(frame, roles, "churn")
    assert detected.values["value"] == FromColumn("value", float(frame["value"].median()))  # its blanks: the median
    typed = problem(frame, roles, "churn", params={"value": 200})
    assert typed.values["value"] == 200.0
    both = problem(frame, roles, "churn", params={"value": 200}, columns={"value": "x"})
    assert both.values["value"] == FromColumn("x", 200.0)  # the column prices, 200 fills its blanks


def test_explicit_value_prices_the_money_by_hand():
    frame = entities()
    analysis = analyse(frame, entity_roles(frame), "churn", params={"value": 200}, status_quo=Nobody())
    churners = (frame["churned"] == "yes").sum()
    assert analysis.impact.model("status quo").money == pytest.approx(-200.0 * churners)  # acting on nobody


def test_default_status_quo_by_framing_and_from_a_decision_column():
    frame = entities()
    roles = entity_roles(frame)
    assert problem(frame, roles, "leads").status_quo == Everybody()
    assert problem(frame, roles, "credit").status_quo == Everybody()
    assert problem(frame, roles, "churn").status_quo == Nobody()
    frame["contacted"] = (frame["tenure"] < 6).astype(int)
    roles = suggest_roles(frame)
    made = problem(frame, roles, "churn")
    assert made.status_quo == DecisionColumn("contacted") and made.status_quo_source == "decision column"


def test_status_quo_text_is_parsed_at_the_edge():
    columns = ["ordered", "tenure", "last"]
    assert parse_status_quo("ordered", columns) == DecisionColumn("ordered")
    assert parse_status_quo("last", columns) == DecisionColumn("last")  # a column wins over the rule word
    assert parse_status_quo("last", []) == LastValue()
    assert parse_status_quo("moving-average:7:+10%", columns) == MovingAverage(7, 0.1)
    assert parse_status_quo("tenure<6", columns) == Rule("tenure", "<", 6.0)
    assert parse_status_quo("nobody", columns) == Nobody()
    with pytest.raises(PayoffError, match="Unknown status quo"):
        parse_status_quo("guess", columns)


def test_the_horizon_follows_the_history_length():
    short = weekly(90)
    made = problem(short, WEEKLY_ROLES, "custom-quantity")
    assert made.evaluation.horizon == 4  # 8 weeks x 5 windows + a season (94) do not fit in 90 weeks


def test_outcome_read_as_good_or_bad_is_suggested_as_the_target():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "Status": rng.choice(["good", "bad"], 300),
            "amount": rng.uniform(100, 1000, 300),
            "region": rng.choice(["n", "s"], 300),
        }
    )
    roles = suggest_roles(frame)
    assert roles.shape == Shape.ENTITY and roles.one(Role.TARGET) == "Status" and roles.positive_class == "bad"


# -- invariants -----------------------------------------------------------------------------


def _money(impact) -> list:
    return [(m.name, m.money, m.gain, m.gain_interval, m.p_beats, dict(m.components)) for m in impact.models]


@pytest.mark.parametrize("framing", ["perishable", "inventory", "staffing"])
def test_recost_at_the_runs_own_parameters_equals_the_run(framing):
    frame = weekly(143).rename(columns={"temperature": "price"})
    frame["price"] = 5.0
    analysis = analyse(frame, WEEKLY_ROLES, framing, models=["naive", "moving average"])
    assert _money(recost(analysis, analysis.values)) == _money(analysis.impact)
    fresh = engine_for("quantity").price(analysis.problem, analysis.predictions, analysis.problem.values)
    assert _money(fresh) == _money(analysis.impact)


def test_targeting_recost_at_own_parameters_and_serial_round_trip_are_exact():
    frame = entities()
    analysis = analyse(frame, entity_roles(frame), "churn", models=["logistic regression"])
    assert _money(recost(analysis, {})) == _money(analysis.impact)
    reopened = serial.from_bytes(serial.to_bytes(analysis))
    assert _money(reopened.impact) == _money(analysis.impact)
    assert reopened.impact.narrative == analysis.impact.narrative
    assert reopened.problem.values == analysis.problem.values
    assert reopened.predictions.explanations == analysis.predictions.explanations


def test_quantity_serial_round_trip_is_exact_and_versioned():
    analysis = analyse(weekly(143), WEEKLY_ROLES, "inventory", models=["naive", "exponential smoothing"])
    content = serial.to_bytes(analysis)
    reopened = serial.from_bytes(content)
    assert _money(reopened.impact) == _money(analysis.impact)
    assert reopened.impact.evaluation == analysis.impact.evaluation
    assert reopened.problem.fingerprint == analysis.problem.fingerprint
    with pytest.raises(PayoffError, match=r"not a saved Payoff analysis|damaged"):
        serial.from_bytes(b"PK\x03\x04 nonsense")


def test_a_series_without_history_is_listed_with_its_name_and_never_calibrates_on_a_fallback():
    frame = weekly(143)
    late = frame["store"].eq("s2") & (frame["date"] < frame["date"].iloc[120])
    frame = frame[~late]  # s2 starts selling in week 121, inside the tests
    analysis = analyse(frame, WEEKLY_ROLES, "custom-quantity", models=["naive", "seasonal naive"])
    failures = analysis.impact.model("seasonal naive").failures
    assert failures and {f.series for f in failures} == {"s2"}  # a readable label, not a tuple
    assert all("history before this window" in f.reason for f in failures)
    entry = analysis.predictions.model("seasonal naive")
    pools = analysis.predictions.residual_pools("seasonal naive")
    s2 = 2
    fallback_windows = {int(k) for k in analysis.predictions.window_of[entry.fallback[s2]]}
    for k in range(1, analysis.predictions.windows):
        # residuals of fallback cells never calibrate a later window
        own = np.sum(~np.isnan(pools[k][s2]))
        expected = sum(
            int(np.sum(~np.isnan(analysis.predictions.actual[s2, analysis.predictions.window_of == j])))
            for j in range(k)
            if j not in fallback_windows
        )
        assert own == expected


def test_fast_duplicated_matches_pandas_without_warnings():
    frame = pd.DataFrame({"a": ["x", "x", "y", None, None], "b": [1, 1, 2, 3, 3]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for keep in ("first", "last", False):
            assert fast.duplicated(frame, keep=keep).tolist() == frame.duplicated(keep=keep).tolist()
            assert fast.duplicated(frame, ["a"], keep=keep).tolist() == frame.duplicated(["a"], keep=keep).tolist()
