"""Every real file in ../shared/realdata loads with the right types and sensible roles."""

import pandas as pd
import pytest

from payoff.data.load import read_table
from payoff.data.reshape import AggregateSpec, aggregate_events
from payoff.data.roles import Role, Shape, suggest_roles
from tests.realdata import needs_realdata, path

pytestmark = needs_realdata


def load(relative: str):
    file = path(relative)
    table = read_table(file.read_bytes(), file.name)
    return table, suggest_roles(table.frame)


def kinds(table) -> dict[str, str]:
    return {c.name: c.kind for c in table.detection.column_types}


def test_telco_blank_total_charges_become_missing_numbers():
    table, roles = load("telco_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv")
    assert table.frame.shape == (7043, 21)
    assert kinds(table)["TotalCharges"] == "number"
    assert int(table.frame["TotalCharges"].isna().sum()) == 11  # the 11 rows holding a single space
    assert (table.frame.loc[table.frame["TotalCharges"].isna(), "tenure"] == 0).all()
    assert roles.shape == Shape.ENTITY
    assert roles.one(Role.TARGET) == "Churn" and roles.positive_class == "Yes"
    assert roles.one(Role.ID) == "customerID"
    assert int((table.frame["Churn"] == "Yes").sum()) == 1869


@pytest.mark.parametrize(
    ("name", "rows", "columns"),
    [
        ("bank-full.csv", 45211, 17),
        ("bank.csv", 4521, 17),
        ("bank-additional-full.csv", 41188, 21),
        ("bank-additional.csv", 4119, 21),
    ],
)
def test_bank_marketing_quoted_semicolons(name, rows, columns):
    table, roles = load(f"bank_marketing/{name}")
    assert table.frame.shape == (rows, columns)
    assert table.detection.delimiter == ";"
    assert kinds(table)["age"] == "integer" and kinds(table)["job"] == "text"
    assert roles.one(Role.TARGET) == "y" and roles.positive_class == "yes"
    positives = {"bank-full.csv": 5289, "bank-additional-full.csv": 4640}
    if name in positives:
        assert int((table.frame["y"] == "yes").sum()) == positives[name]


def test_bank_additional_decimals_are_numbers():
    table, _ = load("bank_marketing/bank-additional-full.csv")
    assert table.detection.line_endings.startswith("CRLF")
    assert table.frame["euribor3m"].iloc[0] == pytest.approx(4.857)
    assert kinds(table)["cons.conf.idx"] == "number"


def test_walmart_two_digit_year_day_first_dates():
    table, roles = load("walmart_weekly/Walmart.csv")
    assert table.frame.shape == (6435, 8)
    dates = table.frame["Date"]
    assert dates.min() == pd.Timestamp("2010-02-05") and dates.max() == pd.Timestamp("2012-10-26")
    assert dates.nunique() == 143
    assert roles.shape == Shape.TIME_SERIES
    assert roles.columns(Role.SERIES_KEY) == ["Store"] and roles.one(Role.TARGET) == "Weekly_Sales"


def test_german_credit_space_separated_without_header():
    table, roles = load("german_credit/german.data")
    assert table.frame.shape == (1000, 21)
    assert table.detection.delimiter == " " and not table.detection.header
    assert table.frame["column_1"].iloc[0] == "A11" and table.frame["column_5"].iloc[0] == 1169
    assert roles.one(Role.TARGET) == "column_21"
    assert roles.positive_class == "2"  # 300 bad of 1,000: the rarer class is the event
    assert table.frame["column_21"].value_counts().to_dict() == {1: 700, 2: 300}


def test_taiwan_credit_default():
    table, roles = load("credit_default_taiwan/UCI_Credit_Card.csv")
    assert table.frame.shape == (30000, 25)
    assert roles.one(Role.TARGET) == "Y" and roles.positive_class == "1"
    assert roles.one(Role.ID) == "ID"
    assert int(table.frame["Y"].sum()) == 6636


def test_callcenter_log_row_names_integer_dates_and_times():
    table, roles = load("callcenter_technion/Oct_clean.csv")
    assert table.frame.shape == (22263, 23)
    types = kinds(table)
    assert types["date"] == "date" and types["vru_entry"] == "time"
    assert table.frame["date"].min() == pd.Timestamp("1999-10-01")
    assert table.frame["date"].max() == pd.Timestamp("1999-10-31")
    assert roles.roles["column_1"] == Role.IGNORE  # the R row-name column
    assert roles.shape == Shape.EVENT_LOG
    # arrival_sec_of_day equals vru_exit: the call arrives at the queue when it leaves the VRU
    hourly = aggregate_events(table.frame, AggregateSpec("date", "hour", time="vru_exit"))
    assert hourly["events"].sum() == 22263
    assert int((hourly["events"] > 0).sum()) == 439  # non-empty (day, hour) buckets, as documented
    assert hourly["events"].max() == 132
    # closed hours (Friday after 14h, Saturday before 18h) get no zero rows
    friday_late = hourly[(hourly["period"].dt.day_of_week == 4) & (hourly["period"].dt.hour >= 15)]
    assert friday_late.empty
