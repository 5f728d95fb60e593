"""Data-quality findings and role suggestions on small frames whose answers are known by hand."""

import numpy as np
import pandas as pd
import pytest

from payoff.data import quality
from payoff.data.reshape import AggregateSpec, aggregate_events, wide_to_long
from payoff.data.roles import Role, RoleMap, Shape, positive_class, suggest_roles
from payoff.errors import PayoffError


def daily(store: str, values: list[float], start: str = "2026-01-01") -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range(start, periods=len(values)), "store": store, "units": values})


def kinds(findings):
    return {f.kind: f for f in findings}


def test_time_series_findings_with_their_rows():
    north = daily("north", [5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 7, 6, 300, 6, -2, 5])  # 8 zeros, rows 2-9
    south = daily("south", [4, 5, 6]).drop(index=1)  # a gap on 2026-01-02
    frame = pd.concat([north, south, north.iloc[[0]]], ignore_index=True)  # last row repeats row 0
    frame["constant"] = 1
    frame.loc[11, "units"] = np.nan
    roles = RoleMap(
        {"date": Role.DATE, "store": Role.SERIES_KEY, "units": Role.TARGET, "constant": Role.IGNORE}, Shape.TIME_SERIES
    )
    found = kinds(quality.check(frame, roles))
    assert found["missing_values"].rows == (11,) and found["missing_values"].count == 1
    assert found["duplicate_rows"].rows == (18,)
    assert found["constant_column"].column == "constant"
    assert found["negative_quantity"].rows == (14,)
    assert found["outliers"].rows == (12,)
    assert found["date_gaps"].count == 1 and "south" in found["date_gaps"].message
    assert "fewer than 14 days" in found["short_history"].message  # 2 weeks of daily history
    assert set(found["zero_runs"].rows) == set(range(2, 10))


def test_duplicate_date_series_pairs_are_a_problem():
    frame = pd.concat([daily("north", [1, 2, 3]), daily("north", [9], "2026-01-02")], ignore_index=True)
    roles = RoleMap({"date": Role.DATE, "store": Role.SERIES_KEY, "units": Role.TARGET}, Shape.TIME_SERIES)
    found = kinds(quality.check(frame, roles))
    assert found["duplicate_date_series"].rows == (1, 3)
    assert found["duplicate_date_series"].severity == "problem"


def test_class_balance_and_non_binary_outcome():
    frame = pd.DataFrame({"x": range(200), "churn": ["no"] * 190 + ["yes"] * 10})
    roles = suggest_roles(frame)
    balance = kinds(quality.check(frame, roles))["class_balance"]
    assert balance.count == 10 and "5.0%" in balance.message and "Fewer than 20" in balance.message
    three = RoleMap({"x": Role.FEATURE, "churn": Role.TARGET}, Shape.ENTITY)
    frame3 = frame.assign(churn=["a", "b", "c", "d"] * 50)
    assert kinds(quality.check(frame3, three))["outcome_not_binary"].severity == "problem"


def test_positive_class_reads_the_event():
    assert positive_class(pd.Series(["No", "Yes", "No"])) == "Yes"
    assert positive_class(pd.Series([0, 1, 0, 0])) == "1"
    assert positive_class(pd.Series(["good", "good", "bad"])) == "bad"
    assert positive_class(pd.Series([1, 1, 1, 2])) == "2"  # rarer of two codes


def test_roles_for_a_retail_table():
    frame = pd.concat([daily(s, [3, 4, 5, 6]) for s in ("a", "b")], ignore_index=True)
    frame["price"] = 2.5
    frame.loc[0, "price"] = 2.0
    frame["units_ordered"] = 5
    frame.loc[0, "units_ordered"] = 6
    roles = suggest_roles(frame)
    assert roles.shape == Shape.TIME_SERIES
    assert roles.roles == {
        "date": Role.DATE,
        "store": Role.SERIES_KEY,
        "units": Role.TARGET,
        "price": Role.PRICE,
        "units_ordered": Role.DECISION,
    }


def test_what_a_bakery_baked_is_its_status_quo_decision():
    """A bakery's export: what it baked beside what it sold. Left a feature, the baked column was
    dropped as realised with demand and the headline compared against a rule Payoff picked."""
    dates = pd.date_range("2023-03-01", periods=30, freq="D")
    frame = pd.DataFrame(
        {
            "Date": np.tile(dates, 2),
            "Product": np.repeat(["Baguette", "Croissant"], 30),
            "Baked": np.tile(np.arange(60, 90), 2),
            "Sold": np.tile(np.arange(50, 80), 2),
        }
    )
    roles = suggest_roles(frame)
    assert roles.roles["Baked"] == Role.DECISION and roles.roles["Sold"] == Role.TARGET


def test_customers_with_a_signup_date_and_a_yes_no_outcome_are_entities():
    """A churn export: an id per customer, a signup date, a count of support calls and 'Left us?'
    (Yes/No). The date and the count made it read as an event log to aggregate."""
    rng = np.random.default_rng(5)
    n = 300
    frame = pd.DataFrame(
        {
            "Customer ID": [f"C{i:05d}" for i in range(n)],
            "Monthly fee": rng.choice([9.99, 19.99, 29.99], n),
            "Support calls (last 3 months)": rng.integers(0, 5, n),
            "Signup date": pd.to_datetime("2021-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
            "Left us?": rng.choice(["Yes", "No"], n),
        }
    )
    roles = suggest_roles(frame)
    assert roles.shape == Shape.ENTITY and roles.positive_class == "Yes"
    assert roles.roles["Left us?"] == Role.TARGET and roles.roles["Customer ID"] == Role.ID
    assert roles.roles["Monthly fee"] == Role.VALUE


def test_the_new_words_do_not_catch_their_neighbours():
    """A review's cases: a transaction log with an id and a 0/1 'is_return' stays a log; a
    'production_cost' is no decision; 'Left_handed' is no outcome."""
    rng = np.random.default_rng(8)
    n = 400
    log = pd.DataFrame(
        {
            "transaction_id": [f"T{i:06d}" for i in range(n)],
            "date": pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 20, n), unit="D"),
            "store": rng.choice(["north", "south"], n),
            "quantity": rng.integers(1, 5, n),
            "is_return": rng.choice([0, 1], n),
        }
    )
    assert suggest_roles(log).shape == Shape.EVENT_LOG
    dates = pd.date_range("2025-01-01", periods=60, freq="D")
    costs = pd.DataFrame({"date": dates, "units_sold": rng.poisson(30, 60), "production_cost": rng.normal(50, 5, 60)})
    assert suggest_roles(costs).roles["production_cost"] != Role.DECISION
    patients = pd.DataFrame(
        {
            "patient_id": [f"P{i}" for i in range(n)],
            "age": rng.integers(20, 90, n),
            "Left_handed": rng.choice(["Yes", "No"], n),
            "readmitted": rng.choice(["Yes", "No"], n),
        }
    )
    assert suggest_roles(patients).roles["readmitted"] == Role.TARGET


def test_event_log_counts_and_open_hours():
    # Two weeks of calls on Mondays 9h and 10h only; Tuesday never open.
    moments = pd.to_datetime(["2026-01-05 09:10", "2026-01-05 09:50", "2026-01-05 10:05", "2026-01-12 09:30"])
    frame = pd.DataFrame({"date": moments.normalize(), "time": moments - moments.normalize()})
    hourly = aggregate_events(frame, AggregateSpec("date", "hour", time="time"))
    got = dict(zip(hourly["period"].dt.strftime("%m-%d %H"), hourly["events"], strict=True))
    assert got == {"01-05 09": 2, "01-05 10": 1, "01-12 09": 1}  # no rows for closed hours
    daily_counts = aggregate_events(frame, AggregateSpec("date", "day"))
    assert daily_counts["events"].tolist() == [3, 1]  # only Mondays are open


def test_wide_to_long():
    wide = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=2), "north": [1, 2], "south": [3, 4]})
    long = wide_to_long(wide, "date", ["north", "south"])
    assert long[["series", "value"]].values.tolist() == [["north", 1], ["north", 2], ["south", 3], ["south", 4]]


def test_distinct_counts_equal_pandas_on_every_kind_of_column():
    """Near-unique columns are counted by sorting (less memory than hashing): the same count as
    pandas' nunique, with missing values, empty text, -0.0 and repeated runs."""
    from payoff.data.fast import PROBE, distinct_count

    rng = np.random.default_rng(4)
    n = 3 * PROBE
    ids = pd.Series([f"C{i:07d}" for i in rng.integers(0, n, n)], dtype="str")
    ids[::97] = None
    ids[5::101] = ""
    floats = pd.Series(rng.normal(size=n))
    floats[::13] = np.nan
    floats[1::17] = 0.0
    floats[2::19] = -0.0
    columns = {
        "ids": ids,
        "unicode": pd.Series([f"é{i % 70_000}ß" for i in range(n)], dtype="str"),
        "floats": floats,
        "ints": pd.Series(rng.integers(0, n // 2, n)),
        "dates": pd.Series(pd.to_datetime(rng.integers(0, 10**6, n) * 60, unit="s")).mask(floats.isna()),
        "few": pd.Series(rng.choice(["a", "b", None], n), dtype="str"),
        "runs": pd.Series(np.repeat(np.arange(n // 1000), 1000)),
        "objects": pd.Series([str(i % 60_000) for i in range(n)], dtype=object),
        "small": pd.Series(["x", "y", None, "x"], dtype="str"),
    }
    for name, values in columns.items():
        assert distinct_count(values) == values.nunique(), name
    assert distinct_count(columns["ids"]) > n // 2  # the sorting path was taken


def test_row_codes_of_near_unique_text_are_equal_exactly_where_the_values_are():
    from payoff.data.fast import PROBE, codes, duplicated

    rng = np.random.default_rng(6)
    n = 3 * PROBE
    ids = pd.Series([f"C{i:06d}" for i in rng.integers(0, n, n)], dtype="str")
    ids[::89] = None
    ours = codes(ids)
    theirs = pd.factorize(ids)[0]  # -1 for missing
    assert ours.min() == 0
    pairs = pd.DataFrame({"ours": ours, "theirs": theirs}).drop_duplicates()
    assert len(pairs) == pairs["ours"].nunique() == pairs["theirs"].nunique() == ids.nunique() + 1
    frame = pd.DataFrame({"id": ids, "flag": rng.integers(0, 2, n)})
    assert duplicated(frame).equals(frame.duplicated())
    assert duplicated(frame, ["id"], keep=False).equals(frame.duplicated(["id"], keep=False))


def test_repeat_share_is_the_share_of_duplicated_rows():
    from payoff.data.fast import repeat_shares, repeated

    def repeat_share(frame, columns):
        return list(repeat_shares(frame, columns))[-1]

    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-01", "2025-01-01", None, None, "2025-01-02", "2025-01-01"]),
            "store": pd.Series(["a", "a", "b", "b", None, "b"], dtype="str"),
        }
    )
    # rows 1 and 3 repeat rows 0 and 2 on both columns; on the date alone rows 1, 3 and 5 do
    assert repeat_share(frame, ["date", "store"]) == frame.duplicated(["date", "store"]).mean() == 2 / 6
    assert repeat_share(frame, ["date"]) == frame.duplicated(["date"]).mean() == 3 / 6
    assert repeat_share(frame.iloc[:0], ["date"]) == 0.0
    assert list(repeat_shares(frame, ["date", "store"])) == [3 / 6, 2 / 6]  # every prefix, in order
    for columns in (["date"], ["store"], ["date", "store"]):
        assert repeated(frame, columns).tolist() == frame.duplicated(columns, keep=False).tolist()
    wide = pd.DataFrame({f"c{i}": [0, 1, 2, 3, 4, 5, 3] for i in range(30)})  # 6**30 combinations: renumbered
    assert repeated(wide, list(wide.columns)).tolist() == [False] * 3 + [True] + [False] * 2 + [True]
    assert repeat_share(wide, list(wide.columns)) == 1 / 7


def test_a_series_selling_far_more_than_the_others_is_not_an_outlier_but_a_typo_in_one_is():
    from payoff.data import quality

    days = pd.date_range("2024-01-01", periods=60, freq="D")
    rng = np.random.default_rng(4)
    items = {"carrier bag": 1000, **{f"loaf {i}": 40 for i in range(6)}}
    frame = pd.DataFrame(
        [(d, item, int(rng.poisson(level))) for d in days for item, level in items.items()],
        columns=["date", "item", "sold"],
    )
    frame.loc[(frame["item"] == "loaf 2") & (frame["date"] == days[30]), "sold"] = 4000  # a typo: 400 or 40
    roles = RoleMap({"date": Role.DATE, "item": Role.SERIES_KEY, "sold": Role.TARGET}, Shape.TIME_SERIES)
    [found] = [f for f in quality.check(frame, roles) if f.kind == "outliers"]
    assert found.count == 1 and frame.loc[list(found.rows), "sold"].tolist() == [4000]
    assert "far above the usual range of their own series and of the whole column" in found.message


def test_a_subscriber_list_with_active_or_cancelled_is_a_table_of_customers():
    rng = np.random.default_rng(8)
    n = 400
    frame = pd.DataFrame(
        {
            "Customer ID": [f"CUS-{i}" for i in range(n)],
            "Signup Date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
            "Plan": rng.choice(["Starter", "Pro", "Team"], n),
            "Logins Last 30d": rng.poisson(8, n).astype(float),
            "Payment Method": rng.choice(["Card", "Invoice"], n),
            "Status": rng.choice(["active", "cancelled"], n, p=[0.8, 0.2]),
        }
    )
    roles = suggest_roles(frame)
    assert roles.shape == Shape.ENTITY and roles.one(Role.TARGET) == "Status" and roles.positive_class == "cancelled"
    assert not roles.columns(Role.SERIES_KEY)  # plans and payment methods are not series


def test_a_role_the_user_changes_loses_the_reason_payoff_gave_for_another():
    roles = RoleMap(
        {"id": Role.ID, "units": Role.TARGET, "promo": Role.FEATURE},
        Shape.TIME_SERIES,
        {"id": "a different value on every row", "units": "the quantity to forecast"},
    )
    edited = roles.edited({"id": Role.ID, "units": Role.FEATURE, "promo": Role.IGNORE}, Shape.TIME_SERIES, None)
    assert edited.reasons == {"id": "a different value on every row", "units": "set by you", "promo": "left out by you"}
    assert roles.edited(dict(roles.roles), Shape.TIME_SERIES, None) == roles  # nothing changed: nothing new


def test_an_order_log_with_completed_or_cancelled_orders_stays_a_log_of_quantities():
    rng = np.random.default_rng(9)
    n = 300
    frame = pd.DataFrame(
        {
            "Order Date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D"),
            "Order ID": [f"O{i}" for i in range(n)],
            "Product": rng.choice(["tea", "coffee"], n),
            "Quantity": rng.integers(1, 5, n),
            "Status": rng.choice(["Completed", "Cancelled"], n, p=[0.9, 0.1]),
        }
    )
    roles = suggest_roles(frame)
    assert roles.shape != Shape.ENTITY and roles.one(Role.TARGET) != "Status"


def test_a_date_role_on_text_the_reader_could_not_read_is_said_never_a_traceback():
    """A column marked as the date by hand whose values are not dates ('Sun 01/01/2023x'): the
    checks say so, in a problem naming one value, and check nothing over time."""
    frame = pd.DataFrame(
        {
            "Date": ["Sun 01/01/2023x", "Mon 02/01/2023x", "Tue 03/01/2023x"],
            "Hotel": ["a", "b", "a"],
            "Rooms": [1, 2, 3],
        }
    )
    roles = RoleMap({"Date": Role.DATE, "Hotel": Role.SERIES_KEY, "Rooms": Role.TARGET}, Shape.TIME_SERIES)
    [problem] = [f for f in quality.check(frame, roles) if f.severity == "problem"]
    assert problem.message.startswith(
        "'Date' is marked as the date, but Payoff could not read its values (such as 'Sun"
    )


def test_closed_rows_by_codes_are_pandas_groupbys_closed_rows():
    """Closed rows are grouped through integer codes (8 MB a column where pandas' groupby over a
    million strings peaked at 165 MB): on random frames with blank dates, keys and sales, the same
    rows as a groupby over the date and each key, by pairs' own numbers and renumbered alike."""
    from payoff.data.quality import closed_rows

    rng = np.random.default_rng(0)
    for trial in range(30):
        n = int(rng.integers(5, 400))
        frame = pd.DataFrame(
            {
                "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 6, n), unit="D"),
                "store": rng.choice(["a", "b", None], n),
                "item": rng.choice(["x", "y", "z"], n),
                "units": np.where(rng.random(n) < 0.6, 0, rng.integers(0, 5, n)).astype(float),
            }
        )
        frame.loc[rng.random(n) < 0.05, "units"] = np.nan
        frame.loc[rng.random(n) < 0.05, "date"] = pd.NaT
        zero = pd.Series((frame["units"] == 0).to_numpy())
        for keys in ([], ["store"], ["store", "item"]):
            expected = np.zeros(n, dtype=bool)
            for group in [["date"], *([["date", key] for key in keys] if len(keys) >= 2 else [])]:
                grouped = zero.groupby([frame[c].to_numpy() for c in group], dropna=False)
                expected |= (grouped.transform("all") & (grouped.transform("size") >= 2)).to_numpy()
            assert np.array_equal(closed_rows(frame, "date", keys, "units"), expected), (trial, keys)


def test_a_customer_table_whose_date_is_not_read_still_gets_its_outcome_checked():
    frame = pd.DataFrame({"signed": ["soon", "later", "never", "soon"], "churned": ["yes", "no", "no", "yes"]})
    roles = RoleMap({"signed": Role.DATE, "churned": Role.TARGET}, Shape.ENTITY, positive_class="yes")
    kinds = [f.kind for f in quality.check(frame, roles)]
    assert "not_dates" in kinds and "class_balance" in kinds


def test_a_shop_shut_every_sunday_and_monday_has_no_gaps_there_but_its_one_missing_wednesday_is_one():
    """Six weeks from Tuesday 2024-01-02 to Saturday 2024-02-10, rows Tuesday to Saturday only: 30
    open days, one of them (Wednesday 2024-01-17) without its row. The Sundays and Mondays are
    the shop's weekly closing, said once; the Wednesday is the one gap."""
    days = [d for d in pd.date_range("2024-01-02", "2024-02-10") if d.day_of_week not in (0, 6)]
    assert len(days) == 30
    days.remove(pd.Timestamp("2024-01-17"))
    frame = pd.DataFrame({"date": days, "loaves": np.arange(len(days)) % 7 + 20})
    roles = RoleMap({"date": Role.DATE, "loaves": Role.TARGET}, Shape.TIME_SERIES)
    found = kinds(quality.check(frame, roles))
    assert found["shut_weekdays"].message.startswith("No row falls on a Monday or a Sunday: Payoff reads")
    assert found["date_gaps"].count == 1 and "1 missing dates" in found["date_gaps"].message
    every_day = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=40), "loaves": 3})
    assert "shut_weekdays" not in kinds(quality.check(every_day, roles))
    blank = pd.DataFrame({"date": [pd.NaT, pd.NaT], "shop": ["B", "B"], "loaves": [1, 2]})
    with_keys = RoleMap({"date": Role.DATE, "shop": Role.SERIES_KEY, "loaves": Role.TARGET}, Shape.TIME_SERIES)
    shops = pd.concat([frame.assign(shop="A"), blank], ignore_index=True)
    assert kinds(quality.check(shops, with_keys))["date_gaps"].count == 1  # shop B has no dates: no span, no gap


def test_order_lines_keep_their_price_as_each_days_average_weighted_by_the_quantity():
    """Item a on the 1st: 1 at 2.00 and 3 at 3.00, so 11.00 for 4, 2.75 each; nothing on the 2nd
    (the 1st's price kept). Item b on the 3rd: a line without a price counts in the quantity but
    not in the price (4.00 from the 2nd kept); 5 at 4.50 on the 4th. Counting rows, each line
    weighs one: the 3rd's lines at 2.50 and blank give 2.50."""
    frame = pd.DataFrame(
        {
            "ordered_at": pd.to_datetime(
                [
                    *("2024-01-01 10:13", "2024-01-01 12:44", "2024-01-01 13:00", "2024-01-02 09:01"),
                    *("2024-01-03 15:15", "2024-01-03 16:16", "2024-01-04 10:00"),
                ]
            ),
            "sku": list("aabbabb"),
            "qty": [1, 3, 2, 1, 2, 1, 5],
            "unit_price": [2.0, 3.0, 4.0, 4.0, 2.5, None, 4.5],
        }
    )
    spec = AggregateSpec("ordered_at", "day", keys=("sku",), quantity="qty", price="unit_price")
    daily = aggregate_events(frame, spec)
    assert daily["qty"].tolist() == [4, 0, 2, 0, 2, 1, 1, 5]
    assert daily["unit_price"].tolist() == [2.75, 2.75, 2.5, 2.5, 4.0, 4.0, 4.0, 4.5]
    counted = aggregate_events(frame, AggregateSpec("ordered_at", "day", price="unit_price"))
    assert counted["events"].tolist() == [3, 1, 2, 1] and counted["unit_price"].tolist() == [3.0, 4.0, 2.5, 4.5]
    assert suggest_roles(daily).one(Role.PRICE) == "unit_price"


def test_a_reminder_column_of_sent_or_blank_is_a_flag_not_a_constant():
    """'sent' on the bookings a reminder went to, blank elsewhere: learned from as a yes/no flag,
    said once as such, never 'the same value on every row ... ignored' beside its blanks."""
    n = 200
    frame = pd.DataFrame(
        {
            "booking": [f"B{i}" for i in range(n)],
            "Reminder SMS": ["sent" if i % 3 else None for i in range(n)],
            "channel": ["web"] * n,  # truly constant
            "referred_by": [["Podcast", "Instagram", None][i % 3] for i in range(n)],  # blanks are unknown here
            "left_on": pd.Series(pd.date_range("2024-05-01", periods=n)).where(pd.Series(range(n)) % 4 == 0),
            "no_show": ["yes" if i % 5 == 0 else "no" for i in range(n)],
        }
    )
    roles = suggest_roles(frame)
    assert roles.roles["Reminder SMS"] == Role.FEATURE and roles.roles["channel"] == Role.IGNORE
    found = quality.check(frame, roles)
    assert [f.column for f in found if f.kind == "constant_column"] == ["channel"]
    missing = {f.column: f.message for f in found if f.kind == "missing_values"}
    assert missing["referred_by"].endswith(
        "Models treat missing values as unknown; fill them in the file if a blank means zero."
    )
    assert missing["left_on"].endswith(
        "Models treat missing values as unknown; fill them in the file if a blank means zero."
    )
    assert missing["Reminder SMS"] == (
        "'Reminder SMS' is missing on 67 row(s) (33.5%). Its one value is 'sent': a blank is read as its no, a yes/no "
        "flag."
    )


def test_numbers_kept_through_an_aggregation_are_each_periods_average():
    """Two calls at 9 with 2 and 3 agents on shift, one at 10 with 4: 2.5 and 4 agents."""
    frame = pd.DataFrame(
        {"at": pd.to_datetime(["2024-01-01 09:05", "2024-01-01 09:40", "2024-01-01 10:15"]), "agents": [2, 3, 4]}
    )
    hourly = aggregate_events(frame, AggregateSpec("at", "hour", averaged=("agents",)))
    assert hourly["events"].tolist() == [2, 1] and hourly["agents"].tolist() == [2.5, 4.0]


def test_a_wide_tables_own_quantity_column_or_a_misspelled_column_is_said_not_a_traceback():
    wide = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=3), "north": [1, 2, 3], "quantity": [4, 5, 6]})
    with pytest.raises(PayoffError, match="already has a column named 'quantity'"):
        wide_to_long(wide, "date", ["north"], value_name="quantity")
    log = pd.DataFrame({"at": pd.to_datetime(["2024-01-01 09:05", "2024-01-01 10:15"]), "qty": [1, 2]})
    with pytest.raises(PayoffError, match="There is no column 'prcie'"):
        aggregate_events(log, AggregateSpec("at", "hour", quantity="qty", price="prcie"))


def test_an_order_logs_cancelled_lines_are_not_read_as_customers_who_left():
    from payoff.data.ended import with_outcome_from_end_date

    n = 200
    log = pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in range(n)],
            "ordered_at": pd.date_range("2024-01-01", periods=n, freq="37min"),
            "sku": ["tea", "cake"] * (n // 2),
            "cancelled_at": pd.Series(pd.date_range("2024-02-01", periods=n, freq="h")).where(
                pd.Series(range(n)) % 16 == 0
            ),
        }
    )
    roles = suggest_roles(log)
    assert roles.shape == Shape.EVENT_LOG
    assert with_outcome_from_end_date(log, roles)[2] == ""
