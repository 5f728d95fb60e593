"""Role suggestion on the shapes real files have: series keys are the smallest set of columns that
names each (date, series) once, never a flag of the day or a count; targets named like outcomes or
measures are found. Each fixture is small and its right answer is known by construction."""

import numpy as np
import pandas as pd

from payoff.data.roles import Role, Shape, suggest_roles

RNG = np.random.default_rng(7)


def _days(n: int) -> pd.DatetimeIndex:
    return pd.date_range("2025-01-06", periods=n, freq="D")


def test_day_level_flags_next_to_the_entity_are_not_keys():
    # The yaz shape: one row per day and ingredient; is_holiday / is_closed / weekend are the same
    # for every ingredient on a date. Only 'ingredient' names a series.
    dates = _days(120)
    rows = []
    for day in dates:
        holiday, closed, weekend = int(day.day == 1), int(day.day == 15), int(day.day_of_week >= 5)
        for ingredient in ("calamari", "fish", "steak"):
            rows.append((day, ingredient, int(RNG.poisson(8)), holiday, closed, weekend, RNG.normal(12, 5)))
    frame = pd.DataFrame(
        rows, columns=["date", "ingredient", "demand", "is_holiday", "is_closed", "weekend", "temperature"]
    )
    roles = suggest_roles(frame)
    assert roles.columns(Role.SERIES_KEY) == ["ingredient"]
    assert roles.one(Role.TARGET) == "demand"
    assert roles.shape == Shape.TIME_SERIES
    assert {roles.roles[c] for c in ("is_holiday", "is_closed", "weekend")} == {Role.FEATURE}


def test_a_count_that_looks_like_a_key_is_the_target():
    # (date, pizza, pizzas_sold, avg_price): the count has few distinct values and would make
    # (date, count) unique before the pizza does; it is a measure, so it is the target instead.
    dates = _days(90)
    rows = [
        (day, pizza, int(RNG.integers(0, 6)), round(float(RNG.uniform(8, 12)), 2))
        for day in dates
        for pizza in ("margherita", "diavola", "funghi", "capricciosa")
    ]
    frame = pd.DataFrame(rows, columns=["date", "pizza", "pizzas_sold", "avg_price"])
    roles = suggest_roles(frame)
    assert roles.columns(Role.SERIES_KEY) == ["pizza"]
    assert roles.one(Role.TARGET) == "pizzas_sold"


def test_keys_are_minimal_a_name_beside_its_code_is_dropped():
    # store_name repeats store one for one: (date, store, item) is unique, store_name adds nothing.
    dates = _days(60)
    rows = [
        (day, store, f"shop {store}", item, int(RNG.poisson(5)))
        for day in dates
        for store in (1, 2, 3)
        for item in ("bread", "milk")
    ]
    frame = pd.DataFrame(rows, columns=["date", "store", "store_name", "item", "units"])
    keys = suggest_roles(frame).columns(Role.SERIES_KEY)
    assert len(keys) == 2 and "item" in keys and ("store" in keys) != ("store_name" in keys)


def test_a_numeric_store_code_is_still_a_key():
    dates = _days(60)
    rows = [(day, store, int(RNG.poisson(30)), int(day.day_of_week == 6)) for day in dates for store in (10, 20, 30)]
    frame = pd.DataFrame(rows, columns=["date", "store_nbr", "visits", "sunday"])
    roles = suggest_roles(frame)
    assert roles.columns(Role.SERIES_KEY) == ["store_nbr"]
    assert roles.one(Role.TARGET) == "visits"


def test_yes_no_attrition_is_the_target_wherever_it_sits():
    n = 400
    frame = pd.DataFrame(
        {
            "Age": RNG.integers(20, 60, n),
            "Attrition": RNG.choice(["Yes", "No"], n, p=[0.2, 0.8]),
            "OverTime": RNG.choice(["Yes", "No"], n),
            "Gender": RNG.choice(["Male", "Female"], n),
            "MonthlyIncome": RNG.integers(2000, 9000, n),
            "YearsAtCompany": RNG.integers(0, 20, n),
        }
    )
    roles = suggest_roles(frame)
    assert roles.one(Role.TARGET) == "Attrition"
    assert roles.positive_class == "Yes"


def test_a_status_of_words_is_not_an_outcome_but_a_yes_no_left_is():
    n = 300
    base = {
        "tenure": RNG.integers(1, 60, n),
        "marital_status": RNG.choice(["Married", "Single"], n),
    }
    left = pd.DataFrame({**base, "left": RNG.choice([0, 1], n), "region": RNG.choice(["n", "s", "e"], n)})
    assert suggest_roles(left).one(Role.TARGET) == "left"
    words = pd.DataFrame({**base, "region": RNG.choice(["n", "s", "e"], n)})
    assert suggest_roles(words).one(Role.TARGET) is None


def test_a_wholesalers_orders_alone_are_the_demand_and_a_y_n_promotion_is_learned_from():
    """A weekly file of cases ordered per product with a planned promotion written Y/N: the orders
    are the quantity to forecast (there is no other), and the promotion is a 0/1 regressor."""
    from payoff.problem import make_problem

    rng = np.random.default_rng(8)
    weeks = pd.date_range("2023-01-02", periods=80, freq="W-MON")
    rows = [
        (week, sku, int(rng.poisson(20 * (1.5 if promo == "Y" else 1))), promo)
        for week in weeks
        for sku in ("SKU-1", "SKU-2")
        for promo in [rng.choice(["Y", "N"], p=[0.2, 0.8])]
    ]
    frame = pd.DataFrame(rows, columns=["week_commencing", "sku", "cases_ordered", "promo_planned"])
    roles = suggest_roles(frame)
    assert roles.one(Role.TARGET) == "cases_ordered" and roles.columns(Role.SERIES_KEY) == ["sku"]
    assert roles.reasons["cases_ordered"].startswith("the only quantity in the file")
    problem = make_problem(frame, roles, "inventory", params={"price": 80, "unit_cost": 50, "holding_cost": 0.2})
    assert "promo_planned" in problem.features and "promo_planned" not in dict(problem.left_out)
    expected = (frame["promo_planned"] == "Y").astype(float).tolist()
    assert problem.table["promo_planned"].tolist() == expected


def test_a_rota_rostered_or_on_shift_is_what_the_business_decided():
    dates = _days(40)
    frame = pd.DataFrame(
        {
            "date": np.tile(dates, 2),
            "hotel": np.repeat(["Harbour", "Airport"], 40),
            "rooms_sold": RNG.poisson(60, 80),
            "Housekeepers_Rostered": RNG.integers(3, 6, 80),
        }
    )
    assert suggest_roles(frame).one(Role.DECISION) == "Housekeepers_Rostered"
    calls = pd.DataFrame(
        {"date": dates, "calls": RNG.poisson(300, 40), "Receptionists On Shift": RNG.integers(2, 5, 40)}
    )
    assert suggest_roles(calls).one(Role.DECISION) == "Receptionists On Shift"


def test_a_moving_average_is_said_in_the_files_own_periods():
    from payoff.problem import make_problem
    from payoff.statusquo import parse_status_quo

    weeks = pd.date_range("2023-01-02", periods=80, freq="W-MON")
    frame = pd.DataFrame({"week": weeks, "cases": RNG.poisson(20, 80)})
    problem = make_problem(
        frame,
        suggest_roles(frame),
        "inventory",
        params={"price": 80, "unit_cost": 50, "holding_cost": 0.2},
        status_quo=parse_status_quo("moving-average:4:+10%", frame.columns),
    )
    assert problem.status_quo.label == "the average of the last 4 weeks +10%"
    assert problem.status_quo.text == "moving-average:4:+10%"  # saved and read back as typed


def test_order_lines_stamped_as_they_happened_are_a_log_to_count_not_series():
    """Order lines at 12:44:50, 17:59:44 ...: the stamps fall off every quarter hour, so the file
    is a log to count per day (a Y/N 'returned' is never a series key); half-hour rows are not."""
    stamps = pd.Timestamp("2023-03-01") + pd.to_timedelta(np.sort(RNG.integers(0, 86_400 * 60, 400)), unit="s")
    lines = pd.DataFrame(
        {
            "order_id": [f"#{100000 + i}" for i in range(400)],
            "created_at": stamps,
            "sku": RNG.choice(["TEA", "COFFEE"], 400),
            "qty": RNG.integers(1, 4, 400),
            "returned": RNG.choice(["Y", "N"], 400, p=[0.05, 0.95]),
        }
    )
    roles = suggest_roles(lines)
    assert roles.shape == Shape.EVENT_LOG and not roles.columns(Role.SERIES_KEY)
    halves = pd.DataFrame(
        {"slot": pd.date_range("2024-01-01 08:00", periods=400, freq="30min"), "calls": RNG.poisson(20, 400)}
    )
    assert suggest_roles(halves).shape == Shape.TIME_SERIES
