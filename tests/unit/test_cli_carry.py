"""`payoff analyze --save`, `payoff saved`, `payoff report` and `payoff decide` (DESIGN.md, "Command
line"): identical numbers from a saved analysis, one line and exit 2 for what a user can fix."""

import csv
import io
import json

import openpyxl
import pandas as pd
import pytest

from payoff.cli.main import main
from payoff.runtime import samples


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYOFF_DB", str(tmp_path / "saved.sqlite"))
    monkeypatch.chdir(tmp_path)
    for name in ("churn_customers", "retail_sales"):
        (tmp_path / f"{name}.csv").write_bytes(samples.sample_bytes(name))
    return tmp_path


def run(capsys, *argv):
    """The command, with Payoff's defaults for the numbers a sample leaves to the user."""
    analyses = argv[0] in ("analyze", "report", "decide") and "--saved" not in argv
    code = main([*argv, *(["--assume-defaults"] if analyses else [])])
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_save_then_show_gives_the_same_json(workdir, capsys):
    code, out, _ = run(
        capsys, "analyze", "churn_customers.csv", "--framing", "churn", "--save", "churn base", "--json", "a.json"
    )
    assert code == 0 and "saved as 1: churn base" in out
    analyzed = json.loads((workdir / "a.json").read_text())
    assert analyzed["saved"] == {"id": 1, "name": "churn base"}
    code, out, _ = run(capsys, "saved", "show", "1", "--json", "s.json")
    assert code == 0 and out.startswith("churn base (churn on churn_customers.csv")
    assert json.loads((workdir / "s.json").read_text()) == analyzed
    code, out, _ = run(capsys, "saved")
    assert code == 0 and "churn base" in out and f"gains {analyzed['recommended']['gain']:,.0f}" in out
    assert run(capsys, "saved", "rename", "1", "churn at list price")[0] == 0
    code, out, _ = run(capsys, "saved", "show", "1", "--json", "-")
    assert json.loads(out)["saved"]["name"] == "churn at list price"
    assert run(capsys, "saved", "delete", "1")[0] == 0
    assert "No saved analyses yet" in run(capsys, "saved")[1]


@pytest.mark.parametrize(
    "argv",
    [
        ("saved", "show", "7"),
        ("saved", "delete", "7"),
        ("saved", "show", "seven"),
        ("report", "--saved", "7", "--out", "r.html"),
        ("decide", "--saved", "7", "--out", "d.csv"),
    ],
)
def test_an_unknown_id_exits_2_with_one_line(workdir, capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("payoff: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("report", "--out", "r.html"), "Give a file to analyse"),
        (("report", "churn_customers.csv", "--out", "r.html"), "--framing"),
        (("report", "churn_customers.csv", "--framing", "churn", "--out", "r.pdf"), "ending in .html"),
        (("decide", "churn_customers.csv", "--framing", "churn", "--out", "d.json"), ".csv or .xlsx"),
        (
            (
                "decide",
                "retail_sales.csv",
                "--framing",
                "perishable",
                "--score",
                "churn_customers.csv",
                "--out",
                "d.csv",
            ),
            "targeting framings only",
        ),
        (
            ("decide", "churn_customers.csv", "--framing", "churn", "--score", "nope.csv", "--out", "d.csv"),
            "No such file: nope.csv",
        ),
    ],
)
def test_carry_commands_say_what_to_fix(workdir, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_report_from_a_file_and_from_a_saved_analysis(workdir, capsys):
    assert run(capsys, "report", "retail_sales.csv", "--framing", "perishable", "--out", "r.html")[0] == 0
    html = (workdir / "r.html").read_text(encoding="utf-8")
    assert "Next decisions" in html and "retail_sales.csv" in html
    run(capsys, "analyze", "retail_sales.csv", "--framing", "perishable", "--save", "retail")
    assert run(capsys, "report", "--saved", "1", "--out", "s.html")[0] == 0
    saved = (workdir / "s.html").read_text(encoding="utf-8")
    gain = json.loads(run(capsys, "saved", "show", "1", "--json", "-")[1])["recommended"]["gain"]
    assert f"{gain:,.0f}" in saved


def test_decide_scores_current_customers_and_names_missing_columns(workdir, capsys):
    history = pd.read_csv(workdir / "churn_customers.csv")
    history.drop(columns=["churned"]).head(100).assign(note="vip").to_csv(workdir / "now.csv", index=False)
    history.drop(columns=["churned", "tenure_months", "region"]).head(10).to_csv(workdir / "bad.csv", index=False)
    code, out, err = run(
        capsys, "decide", "churn_customers.csv", "--framing", "churn", "--score", "now.csv", "--out", "d.csv"
    )
    assert code == 0 and "ignored columns: contacted, note" in err and "Contact" in out
    rows = list(csv.DictReader(io.StringIO((workdir / "d.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 100 and rows[0]["Rank"] == "1"
    assert set(rows[0]) >= {"customer_id", "Chance it churns", "Expected gain of contacting", "Contact?"}
    code, _, err = run(
        capsys, "decide", "churn_customers.csv", "--framing", "churn", "--score", "bad.csv", "--out", "d.csv"
    )
    assert code == 2 and "'tenure_months', 'region'" in err and err.count("\n") == 1


def test_decide_writes_a_workbook_of_next_quantities(workdir, capsys):
    code, out, _ = run(capsys, "decide", "retail_sales.csv", "--framing", "perishable", "--out", "d.xlsx")
    assert code == 0 and "next 28 days" in out
    book = openpyxl.load_workbook(workdir / "d.xlsx")
    assert book.sheetnames == ["decisions", "next order", "assumptions", "model comparison"]
    assert book["next order"].max_row == 12 + 1  # every series on the first day: delivered every day
    header = [c.value for c in book["decisions"][1]]
    assert {"Forecast", "Likely low (10%)", "Likely high (90%)", "Quantity to stock", "Expected cost"} <= set(header)
    assert book["decisions"].max_row == 12 * 28 + 1
