"""Real data end to end for targeting: Telco churn, bank marketing, Taiwan and German credit.
The status quo's money is recomputed here from the raw file, independently of Payoff."""

import json

import numpy as np
import pandas as pd
import pytest

from payoff.cli.main import main
from payoff.data.load import read_table
from payoff.evaluate import leakage
from tests.realdata import needs_realdata, path

pytestmark = needs_realdata


def analyze(tmp_path, *args):
    out = tmp_path / "out.json"
    assert main(["analyze", *args, "--json", str(out)]) == 0
    return json.loads(out.read_text())


def by_name(result, name):
    return next(m for m in result["models"] if m["name"] == name)


def check_best(result, minimum_auc):
    best = by_name(result, result["best_model"])
    assert best["name"] != "status quo" and best["gain_vs_status_quo"] > 0
    low, high = best["gain_interval"]
    assert low < best["gain_vs_status_quo"] < high and best["p_beats_status_quo"] > 0.9
    assert best["accuracy"]["auc"] > minimum_auc
    return best


def test_telco_churn(tmp_path):
    file = path("telco_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv")
    result = analyze(
        tmp_path,
        str(file),
        "--framing",
        "churn",
        "--value-col",
        "MonthlyCharges",
        "--set",
        "contact_cost=10",
        "--set",
        "offer_cost=20",
        "--set",
        "save_rate=0.3",
    )
    raw = pd.read_csv(file)
    assert result["rows"] == 7043 and result["evaluation"]["events"] == 1869
    # acting on nobody loses the monthly value of every churner
    assert by_name(result, "status quo")["money"] == pytest.approx(-raw.loc[raw.Churn == "Yes", "MonthlyCharges"].sum())
    check_best(result, 0.8)


def test_bank_marketing_duration_is_flagged_then_excluded(tmp_path):
    file = path("bank_marketing/bank-additional-full.csv")
    table = read_table(file.read_bytes(), file.name)
    y = (table.frame["y"] == "yes").to_numpy().astype(int)
    flagged = {f.column for f in leakage.check(table.frame, ["duration", "age", "campaign"], y)}
    assert flagged == {"duration"}  # known only after the call
    result = analyze(
        tmp_path,
        str(file),
        "--framing",
        "leads",
        "--set",
        "value=100",
        "--set",
        "contact_cost=15",
        "--ignore",
        "duration",
        "--status-quo",
        "everybody",
    )
    raw = pd.read_csv(file, sep=";")
    conversions = int((raw.y == "yes").sum())
    assert conversions == 4640
    assert by_name(result, "status quo")["money"] == pytest.approx(100 * conversions - 15 * len(raw))
    # The base-rate rule: an 11% conversion rate x 100 is below the contact cost of 15, so it
    # contacts nobody; against contacting everybody that gains 15 x N - 100 x conversions, with no
    # model at all, and the narrative says how much the models add on top.
    base = by_name(result, "base rate")
    assert base["gain_vs_status_quo"] == pytest.approx(15 * len(raw) - 100 * conversions)
    assert base["extras"]["acted"] == 0
    assert "No model is needed for 153,820 of it" in result["narrative"]
    check_best(result, 0.75)


def test_taiwan_credit_default(tmp_path):
    file = path("credit_default_taiwan/UCI_Credit_Card.csv")
    result = analyze(
        tmp_path,
        str(file),
        "--framing",
        "credit",
        "--value-col",
        "X1",
        "--set",
        "margin=0.05",
        "--set",
        "loss_given_default=0.5",
        "--status-quo",
        "everybody",
    )
    raw = pd.read_csv(file)
    approve_all = np.where(raw.Y == 1, -0.5 * raw.X1, 0.05 * raw.X1).sum()
    assert by_name(result, "status quo")["money"] == pytest.approx(approve_all)
    assert result["evaluation"]["events"] == 6636
    check_best(result, 0.75)


def test_german_credit_with_the_uci_cost_matrix(tmp_path):
    # approve a bad customer costs 5, reject a good one costs 1; class 2 (bad) is the event
    result = analyze(
        tmp_path,
        str(path("german_credit/german.data")),
        "--framing",
        "custom-payoff",
        "--set",
        "act_pos=-5",
        "--set",
        "act_neg=0",
        "--set",
        "pass_pos=0",
        "--set",
        "pass_neg=-1",
        "--status-quo",
        "everybody",
    )
    assert result["evaluation"]["positive_label"] == "2"
    assert by_name(result, "status quo")["money"] == -5 * 300  # approving all 1,000 lets 300 bad loans through
    check_best(result, 0.7)
