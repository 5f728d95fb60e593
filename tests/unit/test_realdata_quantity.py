"""Real data end to end: Walmart's 45 stores (inventory) and the Technion call centre's log
aggregated to hourly arrivals (staffing, closed hours left out)."""

import json

import numpy as np
import pandas as pd
import pytest

from payoff.cli.main import main
from tests.realdata import needs_realdata, path

pytestmark = needs_realdata

CALLS = "callcenter_technion/Oct_clean.csv"
STAFFING = ["--set", "units_per_staff=12", "--set", "staff_cost=25", "--set", "unserved_cost=8"]


def analyze(tmp_path, *args):
    out = tmp_path / "out.json"
    assert main(["analyze", *args, "--json", str(out)]) == 0
    return json.loads(out.read_text())


def test_walmart_inventory(tmp_path):
    result = analyze(
        tmp_path,
        str(path("walmart_weekly/Walmart.csv")),
        "--framing",
        "inventory",
        "--set",
        "price=1",
        "--set",
        "unit_cost=0.75",
        "--set",
        "holding_cost=0.004",
        "--country",
        "US",
    )
    evaluation = result["evaluation"]
    assert evaluation["series"] == 45 and evaluation["frequency"] == "week"
    assert evaluation["periods"] == 32 and evaluation["rows"] == 45 * 32  # 4 tests of 8 weeks
    # The file's own dates: weeks of Fridays stay Fridays (the last sale is Friday 26 Oct 2012).
    assert (evaluation["start"], evaluation["end"]) == ("2012-03-23", "2012-10-26")
    assert evaluation["grid"] == "W-FRI" and "26 Oct 2012" in result["narrative"]
    names = [m["name"] for m in result["models"]]
    assert names[0] == "status quo" and names[-1] == "auto" and len(names) == 13
    best = next(m for m in result["models"] if m["name"] == result["best_model"])
    assert best["gain_vs_status_quo"] > 0 and best["p_beats_status_quo"] > 0.9
    low, high = best["gain_interval"]
    assert low < best["gain_vs_status_quo"] < high  # a real interval, not a point
    for model in result["models"]:
        assert set(model["components"]) == {"lost sales", "holding"}
        assert 0 < model["extras"]["fill_rate"] <= 1
        assert model["money"] == pytest.approx(sum(model["components"].values()))
        # 143 weeks used to break gradient boosting at the calibration window on every store
        assert model["failed"] == [], (model["name"], model["failed"][:2])
    assert result["recommended"]["model"] in names and len(result["recommended"]["choices"]) == 4


def hourly_calls() -> pd.DataFrame:
    """Independently of Payoff: arrivals per (day, hour) from the raw log."""
    raw = pd.read_csv(path(CALLS))
    raw["day"] = pd.to_datetime(raw["date"].astype(str), format="%y%m%d")
    hour = pd.to_timedelta(raw["vru_exit"]).dt.components.hours
    return raw.assign(moment=raw["day"] + pd.to_timedelta(hour, unit="h")).groupby("moment").size()


def test_callcenter_staffing_hourly_status_quo_priced_by_hand(tmp_path):
    result = analyze(
        tmp_path,
        str(path(CALLS)),
        "--framing",
        "staffing",
        "--aggregate",
        "hour",
        "--time",
        "vru_exit",
        *STAFFING,
        "--horizon",
        "72",
        "--status-quo",
        "last",  # priced by hand below: the last hour's calls (the default is the same hour last week)
    )
    evaluation = result["evaluation"]
    assert evaluation["frequency"] == "hour" and evaluation["periods"] == 288
    calls = hourly_calls()
    grid = pd.date_range(calls.index.min(), calls.index.max(), freq="h")
    window = grid[-288:]
    # Hours the centre is closed (no calls there in most weeks) are not priced: only the open
    # hours of the window count, as aggregated with zeros where it was open but quiet.
    open_or_busy = window.isin(_open_hours(result, grid)) | calls.reindex(window).notna().to_numpy()
    assert evaluation["rows"] == int(open_or_busy.sum()) < 288
    # The status quo, by hand: at each of the 4 test origins, staff for the last hour's calls.
    sq = next(m for m in result["models"] if m["name"] == "status quo")
    series = calls.reindex(grid)
    total = 0.0
    for k in range(4):
        start = len(grid) - 288 + 72 * k
        last = series.iloc[:start].dropna().iloc[-1]
        staff = np.ceil(last / 12)
        actual = series.iloc[start : start + 72]
        priced = actual.index.isin(_open_hours(result, grid)) | actual.notna().to_numpy()
        for value, is_priced in zip(actual.to_numpy(), priced, strict=True):
            if is_priced:
                demand = 0.0 if np.isnan(value) else value
                total += staff * 25 + 8 * max(demand - staff * 12, 0)
    assert sq["money"] == pytest.approx(total)
    best = next(m for m in result["models"] if m["name"] == result["best_model"])
    assert best["gain_vs_status_quo"] > 0


def _open_hours(result, grid):
    """The hours Payoff priced: recomputed from Payoff's own open-hour rule (a weekday-hour with
    calls in at least a quarter of the weeks)."""
    calls = hourly_calls()
    weeks = grid.to_series().dt.to_period("W").nunique()
    slot = calls.index.day_of_week * 24 + calls.index.hour
    share = pd.Series(1, index=calls.index).groupby(slot).size() / weeks
    open_slots = set(share[share >= 0.25].index)
    return grid[np.isin(grid.day_of_week * 24 + grid.hour, list(open_slots))]


YAZ = "yaz_restaurant/yaz_ingredients_daily.csv"


def test_yaz_restaurant_one_key_closed_days_and_the_same_weekday_last_week_by_hand(tmp_path):
    # no --id: the ingredient must be found as the one key, not the 0/1 day flags beside it
    result = analyze(
        tmp_path,
        str(path(YAZ)),
        "--framing",
        "perishable",
        "--set",
        "price=12",
        "--set",
        "unit_cost=4",
        "--country",
        "DE",
    )
    assert result["columns"]["series"] == ["ingredient"]
    evaluation = result["evaluation"]
    assert evaluation["series"] == 7 and evaluation["frequency"] == "day" and evaluation["horizon"] == 28
    assert evaluation["closures"].startswith("Closed, not out of stock: 5 day(s) your file marks as closed")
    rule = result["status_quo_rule"]
    assert rule["label"] == "the same weekday last week" and rule["source"] == "framing default"
    assert rule["reason"].startswith("the history has a clear season")
    assert "is_closed" in {row["column"] for row in result["columns"]["left_out"]}
    # The status quo by hand, from the raw file: at each of the 4 test origins, each ingredient
    # orders the demand of the same weekday in the week before the origin; closed days are neither
    # ordered for nor priced; missed sales cost 12 - 4, leftovers 4.
    raw = pd.read_csv(path(YAZ), parse_dates=["date"])
    demand = raw.pivot(index="date", columns="ingredient", values="demand")
    closed = raw.groupby("date")["is_closed"].max().reindex(demand.index).to_numpy() == 1
    demand[closed] = np.nan
    dates = demand.index
    total = 0.0
    for k in range(4):
        start = len(dates) - 28 * (4 - k)
        week = demand.iloc[start - 7 : start]
        for step in range(28):
            actual = demand.iloc[start + step]
            if actual.isna().all():
                continue
            last_week = week.iloc[step % 7]
            # a closed day in that week: the mean of the same weekday over the last four weeks
            backup = demand.iloc[
                [start - 7 * j + step % 7 - 7 for j in range(4) if start - 7 * j + step % 7 - 7 >= 0]
            ].mean()
            order = np.ceil(last_week.fillna(backup) - 1e-9)
            total += float((8 * np.maximum(actual - order, 0) + 4 * np.maximum(order - actual, 0)).sum())
    sq = next(m for m in result["models"] if m["name"] == "status quo")
    assert sq["money"] == pytest.approx(total)
    auto = next(m for m in result["models"] if m["name"] == "auto")
    assert auto["gain_vs_status_quo"] > 0 and all(m["failed"] == [] for m in result["models"])
    assert "No model is needed for" in result["narrative"]
