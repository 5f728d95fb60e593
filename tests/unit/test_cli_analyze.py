"""`payoff analyze`: the JSON contract, explicit beats detected, and the drift bugs between the
app and the CLI that each got a regression test."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from payoff.cli import main
from tests.helpers import break_the_random_forest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def analyze(tmp_path, *args, name="out.json"):
    out = tmp_path / name
    assert main(["analyze", *map(str, args), "--json", str(out)]) == 0
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
    }
    assert result["models"][-1]["name"] == "auto" and result["recommended"]["model"] in {
        m["name"] for m in result["models"]
    }


def test_the_same_input_gives_byte_identical_json(tmp_path, customers):
    _, first = analyze(tmp_path, customers, "--framing", "churn", name="a.json")
    _, second = analyze(tmp_path, customers, "--framing", "churn", name="b.json")
    assert first == second


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
    args = ["analyze", str(customers), "--framing", "churn", "--set", "save_rate=2", "--set", "nonsense"]
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
