"""`payoff analyze`: the JSON contract, explicit beats detected, and the drift bugs between the
app and the CLI that each got a regression test."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from payoff.cli.main import main
from tests.helpers import break_the_random_forest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def analyze(tmp_path, *args, name="out.json"):
    """`payoff analyze` with Payoff's defaults for the numbers not given (tests/unit/test_first_number.py
    covers asking for them)."""
    out = tmp_path / name
    assert main(["analyze", *map(str, args), "--assume-defaults", "--json", str(out)]) == 0
    return json.loads(out.read_text()), out.read_bytes()


@pytest.fixture(scope="module")
def customers(tmp_path_factory) -> Path:
    rng = np.random.default_rng(4)
    n = 800
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "usage": x,
            "value": rng.uniform(50, 400, n).round(2),
            "churned": np.where(rng.random(n) < 1 / (1 + np.exp(-(1.5 * x - 1))), "yes", "no"),
        }
    )
    file = tmp_path_factory.mktemp("data") / "customers.csv"
    frame.to_csv(file, index=False)
    return file


def test_explicit_set_value_beats_a_column_named_value(tmp_path, customers):
    detected, _ = analyze(tmp_path, customers, "--framing", "churn", "--status-quo", "nobody")
    assert detected["params"]["value"] == {"column": "value"}
    typed, _ = analyze(tmp_path, customers, "--framing", "churn", "--status-quo", "nobody", "--set", "value=200")
    assert typed["params"]["value"] == 200.0
    churners = int((pd.read_csv(customers)["churned"] == "yes").sum())
    status_quo = next(m for m in typed["models"] if m["name"] == "status quo")
    assert status_quo["money"] == pytest.approx(-200.0 * churners)  # priced with 200, not the column


def test_status_quo_names_its_entry_and_says_where_it_came_from(tmp_path, customers):
    result, _ = analyze(tmp_path, customers, "--framing", "leads")
    assert result["status_quo"] == "status quo"
    assert result["status_quo"] in [m["name"] for m in result["models"]]
    assert result["status_quo_rule"] == {
        "label": "acting on everybody",
        "text": "everybody",
        "source": "framing default",
        "reason": None,
    }
    assert result["models"][-1]["name"] == "auto" and result["recommended"]["model"] in {
        m["name"] for m in result["models"]
    }


def test_the_same_input_gives_byte_identical_json(tmp_path, customers):
    _, first = analyze(tmp_path, customers, "--framing", "churn", name="a.json")
    _, second = analyze(tmp_path, customers, "--framing", "churn", name="b.json")
    assert first == second


def test_the_json_is_byte_identical_whatever_the_workers(tmp_path):
    """Where the per-series models run never changes a number: one process, two, or three (five
    series split unevenly). A year and a half of one café keeps it quick; the split is what is tested."""
    frame = pd.read_csv(SAMPLES / "retail_sales.csv")
    frame = frame[(frame["date"] >= "2025-04-01") & (frame["store"] == "Mill Lane") & (frame["item"] != "croissant")]
    assert frame["item"].nunique() == 5
    sample = tmp_path / "cafe.csv"
    frame.to_csv(sample, index=False)
    outputs = [
        analyze(tmp_path, sample, "--framing", "perishable", "--workers", str(n), name=f"w{n}.json")[1]
        for n in (1, 2, 3)
    ]
    assert outputs[0] == outputs[1] == outputs[2]


def test_bad_workers_and_an_absent_dask_scheduler_are_one_line(tmp_path, capsys):
    sample = SAMPLES / "retail_sales.csv"
    assert main(["analyze", str(sample), "--framing", "perishable", "--workers", "0"]) == 2
    assert "Workers must be 1 or more" in capsys.readouterr().err
    assert main(["analyze", str(sample), "--framing", "perishable", "--dask", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "No Dask scheduler answered at tcp://127.0.0.1:9" in err and "Traceback" not in err


def test_season_is_used_not_just_parsed(tmp_path):
    sample = SAMPLES / "call_centre.csv"
    plain, _ = analyze(tmp_path, sample, "--framing", "staffing", "--models", "seasonal naive", name="p.json")
    fortnight, _ = analyze(
        tmp_path, sample, "--framing", "staffing", "--models", "seasonal naive", "--season", "14", name="f.json"
    )
    assert plain["evaluation"]["season"] == 7 and plain["evaluation"]["season_source"] == "detected"
    assert fortnight["evaluation"]["season"] == 14 and fortnight["evaluation"]["season_source"] == "given"
    mae = {r["evaluation"]["season"]: r["models"][1]["accuracy"]["mae"] for r in (plain, fortnight)}
    assert mae[7] != mae[14]


def test_a_failing_targeting_model_is_listed_not_dropped(tmp_path, customers, monkeypatch):
    break_the_random_forest(monkeypatch)
    result, _ = analyze(tmp_path, customers, "--framing", "churn")
    forest = next(m for m in result["models"] if m["name"] == "random forest")
    assert forest["money"] is None and forest["failed"] == [{"fold": 1, "reason": "the forest could not be grown"}]
    others = [m for m in result["models"] if m["name"] in ("logistic regression", "gradient boosting")]
    assert all(m["money"] is not None for m in others)


def test_every_choice_error_comes_in_one_line(tmp_path, customers, capsys):
    args = [
        "analyze",
        str(customers),
        "--framing",
        "churn",
        "--assume-defaults",
        "--set",
        "save_rate=2",
        "--set",
        "nonsense",
    ]
    assert main([*args, "--status-quo", "bogus", "--models", "deep net"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "4 things to fix" in err
    for words in ("at most 1", "--set takes PARAM=VALUE", "Unknown status quo 'bogus'", "'deep net'"):
        assert words in err


def test_top_level_usage_errors_name_the_right_help(capsys):
    assert main(["--frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "see 'payoff --help'" in err and "payoff payoff" not in err
    assert main(["analyze", "x.csv", "--horizon", "soon"]) == 2
    assert "see 'payoff analyze --help'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--sweep-down", "120"], "--sweep-down takes 0 to 99 and --sweep-up 0 or more (percent), not 120 and 100"),
        (["--sweep-up", "abc"], "invalid float value: 'abc'"),
        (["--sweep-points", "1"], "--sweep-points takes 3 to 50 points, not 1"),
        (["--segment", "nowhere"], "There is no column 'nowhere'"),
        (["--segment", "promo"], "'promo' changes within a series"),
        (["--season", "0"], "The season length must be at least 1 period, not 0"),
    ],
)
def test_trust_options_are_checked_before_anything_runs(args, words, capsys):
    assert main(["analyze", str(SAMPLES / "retail_sales.csv"), "--framing", "perishable", *args]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_sensitivity_and_segments_are_in_the_json(tmp_path):
    result, _ = analyze(
        tmp_path,
        SAMPLES / "retail_sales.csv",
        "--framing",
        "perishable",
        "--segment",
        "store",
        "--sweep-down",
        "30",
        "--sweep-up",
        "30",
        "--sweep-points",
        "5",
    )
    rows = [r for r in result["sensitivity"] if r["model"] == "auto"]
    assert {r["param"] for r in rows} == {"price", "unit_cost", "salvage", "goodwill"}
    price = next(r for r in rows if r["param"] == "price")
    assert price["values"] == [0.7, 0.85, 1.0, 1.15, 1.3] and price["column"] == "price"
    assert price["gain"][2] == pytest.approx(result["recommended"]["gain"])  # the run's own point
    segments = result["segments"]
    assert [g["segment"] for g in segments["groups"]] and segments["column"] == "store"
    assert sum(g["gain"] for g in segments["groups"]) == pytest.approx(result["recommended"]["gain"])


def test_order_lines_aggregated_on_the_command_line_keep_each_items_price(tmp_path):
    rng = np.random.default_rng(3)
    rows = [
        (day + pd.Timedelta(seconds=int(rng.integers(8 * 3600, 18 * 3600))), sku, int(rng.integers(1, 3)), price)
        for day in pd.date_range("2024-01-01", periods=100)
        for sku, price, per_day in (("tea", 3.5, 6), ("cake", 4.0, 3))
        for _ in range(rng.poisson(per_day))
    ]
    lines = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=["ordered_at", "sku", "qty", "unit_price"]).to_csv(lines, index=False)
    result, _ = analyze(
        tmp_path, lines, "--framing", "perishable", "--aggregate", "day", "--id", "sku", "--sum", "qty",
        "--set", "gross_margin=40%", "--models", "naive",
    )  # fmt: skip
    assert result["params"]["price"] == {"column": "unit_price"}
    assert result["params"]["unit_cost"] == {"column": "unit_price", "scale": 0.6}


def test_an_hourly_file_aggregated_on_the_command_line_keeps_its_rota_as_today(tmp_path):
    """Check-ins per date and hour beside the staff on the floor: --aggregate keeps the staff (a
    decision, as the Data page offers), so today's money is the rota's, priced by hand: 18 an hour
    for each person on the floor, and 4 for each check-in above their 15 each."""
    rows = [
        (f"{day:%Y-%m-%d}", f"{hour:02d}:00", 10 + (hour * day.day) % 31, 1 + hour % 3)
        for day in pd.date_range("2024-06-03", periods=35)
        for hour in range(8, 20)
    ]
    gym = tmp_path / "gym.csv"
    pd.DataFrame(rows, columns=["Date", "Hour", "Check-ins", "Staff on floor"]).to_csv(gym, index=False)
    result, _ = analyze(
        tmp_path, gym, "--framing", "staffing", "--aggregate", "hour", "--time", "Hour", "--sum", "Check-ins",
        "--set", "units_per_staff=15", "--set", "staff_cost=18", "--set", "unserved_cost=4", "--models", "naive",
    )  # fmt: skip
    assert (
        result["status_quo_rule"]["source"] == "decision column"
        and result["status_quo_rule"]["text"] == "Staff on floor"
    )
    frame = pd.DataFrame(rows, columns=["Date", "Hour", "Check-ins", "Staff on floor"])
    scored = frame.tail(result["evaluation"]["rows"])  # every hour of the window is open: one row each
    staff = scored["Staff on floor"]
    by_hand = float((staff * 18 + 4 * np.maximum(scored["Check-ins"] - 15 * staff, 0)).sum())
    assert next(m for m in result["models"] if m["name"] == "status quo")["money"] == pytest.approx(by_hand)


def test_a_cancellation_date_is_the_churn_on_the_command_line_and_is_not_learned_from(tmp_path):
    from tests.unit.test_dated_entities import _subscriptions

    export = tmp_path / "subscriptions.csv"
    export.write_bytes(_subscriptions())
    result, _ = analyze(
        tmp_path, export, "--framing", "churn", "--set", "contact_cost=3", "--set", "offer_cost=10",
        "--set", "value_periods=8", "--models", "logistic regression",
    )  # fmt: skip
    columns = result["columns"]
    assert "cancelled_on" not in columns["features"] and columns["target"] == "Ended (from 'cancelled_on')"
