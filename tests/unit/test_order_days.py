"""Order days and a service level (issue 22, items 3 and 5): deliveries on the supplier's weekdays,
each covering the days until the next; "short at most X% of days" met at the least cost. Hand
counts, closed forms and a simulated dairy line."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from payoff.cli.main import main
from payoff.framings import quantity
from payoff.framings.fresh import (
    OrderRules,
    always_short,
    cover_levels,
    delivery_days,
    periods_to_next,
    simulate_fresh,
    weekday_mask,
    weekday_names,
)
from payoff.framings.policy import Against, Plan, Stretch
from payoff.framings.rules import ShelfLife

PARAMS = {"price": 10.0, "unit_cost": 4.0, "salvage": 0.0, "goodwill": 0.0}
MON, THU = 0, 3


@pytest.mark.parametrize(
    ("typed", "mask", "said"),
    [
        ("Mon, Thu", 1 + 8, "Mon, Thu"),
        ("monday thursday", 1 + 8, "Mon, Thu"),
        ("Mondays and Thursdays", 1 + 8, "Mon, Thu"),
        (["tu", "sa"], 2 + 32, "Tue, Sat"),
        ("", None, "every period"),
        ("Mon Tue Wed Thu Fri Sat Sun", None, "every period"),  # all seven: no schedule at all
        (64, 64, "Sun"),
    ],
)
def test_delivery_days_read_as_typed(typed, mask, said):
    assert weekday_mask(typed) == mask
    assert weekday_names(mask) == said


@pytest.mark.parametrize("typed", ["Funday", "t", "Mon, 8", True])
def test_words_that_are_not_days_are_refused(typed):
    with pytest.raises(ValueError):
        weekday_mask(typed)


def test_each_delivery_covers_the_days_until_the_next():
    """Mon and Thu: Monday's delivery covers Mon-Wed (3 days), Thursday's Thu-Sun (4). At 2 a day
    that is 6 and 8; a life of 3 days caps Thursday's at 6 (a fourth day's units would expire)."""
    weekdays = np.arange(14) % 7  # two weeks from a Monday
    mask = weekday_mask("Mon, Thu")
    np.testing.assert_array_equal(periods_to_next(weekdays, mask)[:7], [3, 2, 1, 4, 3, 2, 1])
    quantity = np.full((1, 14), 2.0)
    level = cover_levels(quantity, periods_to_next(weekdays, mask), None, life=5)
    assert level[0, MON] == 6 and level[0, THU] == 8
    assert cover_levels(quantity, periods_to_next(weekdays, mask), None, life=3)[0, THU] == 6
    # a forecast made after the order is never used: window 1 starts on Tuesday
    windows = np.array([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    varied = np.array([[2.0, 9.0, 9.0, 2.0, 2.0, 2.0, 2.0, 2, 2, 2, 2, 2, 2, 2]])
    assert cover_levels(varied, periods_to_next(weekdays, mask), windows, life=5)[0, MON] == 6  # 2 x 3, not 20


def test_deliveries_come_on_the_stated_weekdays_only():
    weekdays = np.arange(28) % 7
    days = delivery_days(weekdays, weekday_mask("Mon, Thu"))
    rng = np.random.default_rng(3)
    demand = rng.poisson(5.0, (4, 28)).astype(float)
    level = cover_levels(np.full(demand.shape, 6.0), periods_to_next(weekdays, 9), None, 5)
    ledger = simulate_fresh(demand, level, 5, OrderRules(case_pack=12), deliveries=days)
    arrived = ledger.arrivals.sum(axis=0) > 0
    assert set(np.flatnonzero(arrived) % 7) == {MON, THU}
    assert not ledger.arrivals[:, ~days].any() and (ledger.arrivals % 12 == 0).all()
    assert ledger.unbalanced(demand) == []


def dairy(weeks: int = 52, series: int = 30, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """A dairy line: each item's own level and weekly shape (busy weekends), Poisson demand."""
    rng = np.random.default_rng(seed)
    days = weeks * 7
    weekdays = np.arange(days) % 7
    level = rng.uniform(4, 30, (series, 1))
    shape = 1 + rng.uniform(0.1, 0.6, (series, 1)) * np.isin(weekdays, [4, 5])[None]
    mean = level * shape
    return rng.poisson(mean).astype(float), mean


def test_on_a_dairy_line_ordering_for_the_constraints_beats_ordering_without_them():
    """Five-day milk in cases of 12, delivered Mon and Thu. The same per-day quantities (each
    day's 80% quantile of the true demand) are ordered three ways and priced by the same ledger:
    the rule (each delivery covers until the next, net of what will expire); one day's need per
    delivery, as if the supplier came daily; and Monday's and Thursday's needs alone times the
    days, ignoring the shape between deliveries."""
    demand, mean = dairy()
    n = demand.shape[1]
    weekdays = np.arange(n) % 7
    ratio = 0.8
    per_day = stats.poisson.ppf(ratio, mean)
    params = {**PARAMS, "unit_cost": 2.0, "shelf_life": 5, "case_pack": 12, "order_days": weekday_mask("Mon, Thu")}
    costs = quantity.perishable_costs(params)
    whole = np.ones(n, dtype=bool)
    against = Against(
        demand, np.ones(demand.shape, bool), params, costs, (Stretch(whole, np.zeros(len(demand))),), weekdays
    )
    rule = ShelfLife(quantity.perishable_costs).price(Plan(per_day), against)
    days = delivery_days(weekdays, params["order_days"])
    rules = OrderRules(case_pack=12)

    def priced(level: np.ndarray) -> float:
        ledger = simulate_fresh(demand, level, 5, rules, deliveries=days)
        assert ledger.unbalanced(demand) == []
        return float((costs.under * ledger.lost + costs.over * ledger.waste).sum())

    one_day = priced(per_day)
    gap = periods_to_next(weekdays, params["order_days"])
    flat = priced(per_day * gap)  # the delivery day's need, times the days it must last
    ours = float(rule.total.sum())
    assert ours < flat < one_day
    assert ours < 0.8 * flat and ours < 0.05 * one_day  # measured: 21,244, 33,308 and 1,053,320
    assert rule.ledger is not None and rule.ledger.unbalanced(demand) == []


def test_a_service_level_is_met_on_a_long_poisson_series():
    """Short at most 5% of days, where the costs alone would cover demand 50% of days: the order
    is the Poisson 95% quantile, and over 20,000 days the share of days short is within sampling
    error of at most 5%."""
    mean = 12.0
    params = {**PARAMS, "unit_cost": 5.0, "max_short": 0.05}  # margin 5, waste 5: a cost ratio of 0.5
    costs = quantity.perishable_costs(params)
    assert float(costs.cost_ratio) == 0.5 and float(costs.critical_ratio) == pytest.approx(0.95)
    demand = np.random.default_rng(11).poisson(mean, (1, 20_000)).astype(float)
    order = np.full(demand.shape, stats.poisson.ppf(costs.critical_ratio, mean))
    against = Against(demand, np.ones(demand.shape, bool), params, costs)
    costed = ShelfLife(quantity.perishable_costs).price(Plan(order), against)
    short = float((costed.costs["stockouts"] > 0).mean())
    expected = float(stats.poisson.sf(order[0, 0], mean))  # P(demand > order) <= 5%
    assert expected <= 0.05
    assert abs(short - expected) < 4 * np.sqrt(expected * (1 - expected) / demand.size)


def test_a_service_level_the_costs_already_meet_changes_nothing():
    params = {**PARAMS, "max_short": 0.4}  # the costs cover 60% of days: more than the 60% asked
    costs = quantity.perishable_costs(params)
    assert float(costs.critical_ratio) == float(costs.cost_ratio) == pytest.approx(0.6)


def write_dairy(path, weeks: int = 30) -> None:
    """The dairy line as a file a shop would export: a row per item and open day, shut on Sundays."""
    demand, _ = dairy(weeks=weeks, series=4)
    dates = pd.date_range("2025-01-06", periods=demand.shape[1], freq="D")  # a Monday
    frame = pd.DataFrame(
        {"date": np.tile(dates, 4), "item": np.repeat([f"milk {i}" for i in range(4)], len(dates))}
    ).assign(units=demand.ravel())
    frame[pd.to_datetime(frame["date"]).dt.day_of_week != 6].to_csv(path, index=False)


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("order_days=Sun", "No delivery would ever come: the file has no Sun. Choose days the file has (Mon, Tue"),
        ("order_days=Funday", "'order_days' must be days of the week such as Mon, Thu: 'funday' is not a day"),
        ("max_short=80%", "'max_short' must be at most 50%, not 80%"),
    ],
)
def test_bad_schedules_are_one_clear_line(setting, words, tmp_path, capsys):
    write_dairy(tmp_path / "dairy.csv", weeks=12)
    args = ["analyze", str(tmp_path / "dairy.csv"), "--framing", "perishable", "--assume-defaults", "--set", setting]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_the_json_carries_the_schedule_and_the_service_level(tmp_path, capsys):
    write_dairy(tmp_path / "dairy.csv", weeks=20)
    out = tmp_path / "run.json"
    settings = ["shelf_life=5", "case_pack=12", "order_days=Mon,Thu", "max_short=5%"]
    args = ["analyze", str(tmp_path / "dairy.csv"), "--framing", "perishable", "--assume-defaults"]
    args += [part for setting in settings for part in ("--set", setting)] + ["--models", "seasonal naive"]
    assert main([*args, "--json", str(out)]) == 0, capsys.readouterr().err
    params = json.loads(out.read_text())["params"]
    assert params["order_days"] == "Mon, Thu" and params["max_short"] == 0.05
    assert params["shelf_life"] == 5 and params["case_pack"] == 12


def test_the_next_order_lists_each_supplier_total(tmp_path, capsys):
    """Two suppliers, two items each, Mon and Thu deliveries in cases of 12: the workbook's next
    order sheet per supplier adds up the decisions sheet's stock of that day, item by item."""
    write_dairy(tmp_path / "dairy.csv", weeks=20)
    frame = pd.read_csv(tmp_path / "dairy.csv")
    frame["supplier"] = frame["item"].map({"milk 0": "North Farm", "milk 1": "North Farm"}).fillna("Valley Co")
    frame.to_csv(tmp_path / "dairy.csv", index=False)
    out = tmp_path / "next.xlsx"
    args = ["decide", str(tmp_path / "dairy.csv"), "--framing", "perishable", "--assume-defaults", "--segment"]
    args += ["supplier", "--models", "seasonal naive", "--out", str(out)]
    for setting in ("shelf_life=5", "case_pack=12", "order_days=Mon,Thu"):
        args += ["--set", setting]
    assert main(args) == 0, capsys.readouterr().err
    sheets = pd.read_excel(out, sheet_name=None)
    decisions, per_supplier = sheets["decisions"], sheets["next order per supplier"]
    first = decisions.dropna(subset=["Quantity to stock"])["Period"].min()
    assert pd.Timestamp(first).day_name() in {"Monday", "Thursday"}
    day = decisions[decisions["Period"] == first]
    expected = day.groupby("supplier")[["Quantity to stock", "Expected order"]].sum()
    for column in ("Quantity to stock", "Expected order"):
        totals = dict(zip(per_supplier["supplier"], per_supplier[column], strict=True))
        assert totals == pytest.approx(expected[column].to_dict(), abs=1.0)  # whole units, each rounded
    assert set(expected.index) == {"North Farm", "Valley Co"}
    assert np.allclose(day["Cases to order (expected)"] * 12, day["Expected order"], atol=6.0)  # shown whole
    assert list(sheets)[:3] == ["decisions", "next order", "next order per supplier"]


def poisson_shop(path, days: int = 730, mean: float = 12.0) -> None:
    """One item selling Poisson(12) a day, nothing else to learn from."""
    rng = np.random.default_rng(21)
    dates = pd.date_range("2024-01-01", periods=days, freq="D")
    pd.DataFrame({"date": dates, "item": "bread", "units": rng.poisson(mean, days)}).to_csv(path, index=False)


@pytest.mark.parametrize("settings", [(), ("shelf_life=5", "order_days=Mon,Thu")])
def test_the_service_level_is_met_in_the_tests_of_a_long_poisson_series(settings, tmp_path, capsys):
    """'Short at most 5%' on two years of Poisson(12) a day, where the costs alone (margin 2.5,
    waste 1.5) cover demand 62.5% of days: over the 112 test days the share of days short stays
    within sampling error of 5% (3 standard errors: 5% + 6.2%), daily or kept 5 days and
    delivered twice a week (where each window's level is the cheapest that met 5% before it)."""
    poisson_shop(tmp_path / "bread.csv")
    out = tmp_path / "run.json"
    args = ["analyze", str(tmp_path / "bread.csv"), "--framing", "perishable", "--set", "price=4", "--set"]
    args += ["unit_cost=1.5", "--set", "max_short=5%", "--models", "moving average", "--json", str(out)]
    for setting in settings:
        args += ["--set", setting]
    assert main(args) == 0, capsys.readouterr().err
    from payoff.analysis import run_analysis  # the same run, its ledger read cell by cell
    from payoff.data.load import read_table
    from payoff.data.roles import suggest_roles
    from payoff.evaluate.quantity_money import price_entries
    from payoff.evaluate.service import short_cells
    from payoff.problem import make_problem

    frame = read_table((tmp_path / "bread.csv").read_bytes(), "bread.csv").frame
    params = {"price": 4.0, "unit_cost": 1.5, "max_short": 0.05, **dict(s.split("=") for s in settings)}
    problem = make_problem(frame, suggest_roles(frame), "perishable", params=params, models=("moving average",))
    analysis = run_analysis(problem)
    entries, _, _, _ = price_entries(problem.framing, dict(problem.values), analysis.predictions)
    model = next(e for e in entries if e.name == "moving average")
    short = short_cells(model, analysis.predictions)
    error = np.sqrt(0.05 * 0.95 / short.size)
    assert short.size == 112 and short.mean() <= 0.05 + 3 * error
    assert short.mean() > 0  # not bought by never running short: it is a 5% target, not 0%


def test_deliveries_further_apart_than_the_stock_keeps_are_said():
    """Mon and Thu leave 4 days after Thursday; milk kept 3 days leaves Sunday bare."""
    said = always_short(weekday_mask("Mon, Thu"), 3)
    assert said == (
        "Deliveries on Mon, Thu leave up to 4 days between them (after Thu) but the stock keeps 3: the last 1 day(s) "
        "before the next delivery always run short, whatever is ordered."
    )
    assert always_short(weekday_mask("Mon, Thu"), 4) is None and always_short(None, 1) is None


@pytest.mark.parametrize("settings", [(), ("shelf_life=5", "order_days=Mon,Thu")])
def test_a_day_the_shop_is_shut_costs_nothing_in_the_next_orders(settings, tmp_path, capsys):
    """Shut on Sundays: the next orders stock nothing then, and expect no waste, no lost sale and
    no cost there (the model's errors spread demand around a forecast of 0, which once priced a
    shut day like an open one)."""
    write_dairy(tmp_path / "dairy.csv", weeks=20)
    out = tmp_path / "next.csv"
    args = ["decide", str(tmp_path / "dairy.csv"), "--framing", "perishable", "--assume-defaults"]
    args += ["--models", "seasonal naive", "--out", str(out)]
    for setting in settings:
        args += ["--set", setting]
    assert main(args) == 0, capsys.readouterr().err
    decisions = pd.read_csv(out)
    sundays = decisions[pd.to_datetime(decisions["Period"]).dt.day_of_week == 6]
    assert len(sundays) == 4 * 2  # four items, two Sundays in the 14 days ahead
    assert (sundays["Forecast"] == 0).all() and (sundays["Expected cost"] == 0).all()
    open_days = decisions[pd.to_datetime(decisions["Period"]).dt.day_of_week != 6]
    assert open_days["Expected cost"].sum() > 10 * len(open_days) / 100  # open days still cost something


def test_cover_levels_by_hand_on_rows_past_one_block():
    """Each row its own demand level, 1,100 rows (past the 512-row blocks the sums run in):
    Monday and Thursday deliveries, a life of 5, one window. On a delivery day covering k days,
    every day forecast f_i and ordered at f_i + 1, the level is k f_i + sqrt(k) x 1."""
    from payoff.framings.fresh import COVER_BLOCK

    rows = 2 * COVER_BLOCK + 76
    forecast = np.repeat(np.arange(1.0, rows + 1.0)[:, None], 14, axis=1)  # row i forecasts i + 1 a day
    weekdays = np.arange(14) % 7
    level = cover_levels(forecast + 1.0, periods_to_next(weekdays, 9), None, 5, forecast)
    for day, k in ((MON, 3), (THU, 4)):  # Mon -> Thu: 3 days; Thu -> Mon: 4
        np.testing.assert_allclose(level[:, day], k * forecast[:, day] + np.sqrt(k))
