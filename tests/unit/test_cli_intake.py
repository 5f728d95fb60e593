"""`payoff samples`, `payoff framings` and `payoff inspect`: output, JSON and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from payoff.cli.main import main
from tests.corpus.cases import FILES
from tests.realdata import needs_realdata, path


def test_samples_lists_every_sample(capsys):
    assert main(["samples"]) == 0
    out = capsys.readouterr().out
    for name in ("retail_sales", "call_centre", "churn_customers", "card_transactions", "leads", "loans"):
        assert name in out


def test_samples_writes_a_file(tmp_path, capsys):
    target = tmp_path / "retail.csv"
    assert main(["samples", "retail_sales", "--out", str(target)]) == 0
    assert target.read_text().startswith("date,store,item,units_sold")


def test_framings_lists_parameters(capsys):
    assert main(["framings"]) == 0
    out = capsys.readouterr().out
    assert "perishable:" in out and "unit_cost [per unit] = 1.5" in out and "save_rate" in out


@needs_realdata
def test_inspect_walmart_json(tmp_path, capsys):
    out_file = tmp_path / "walmart.json"
    assert main(["inspect", str(path("walmart_weekly/Walmart.csv")), "--json", str(out_file)]) == 0
    payload = json.loads(out_file.read_text())
    assert payload["rows"] == 6435 and payload["shape"] == "time series"
    assert payload["roles"]["Store"] == "series key" and payload["roles"]["Weekly_Sales"] == "target"
    assert payload["detected"]["column_types"]["Date"]["kind"] == "date"
    assert "Date: date (d/m/y)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["inspect", "no/such/file.csv"], "No such file"),
        (["inspect", str(FILES / "empty.csv")], "empty"),
        (["inspect", str(FILES / "legacy.xls")], "97-2003"),
        (["inspect", str(FILES / "unterminated_quote.csv")], "never closed"),
        (["samples", "nonsense"], "no sample called"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_user_errors_exit_2_with_one_line(args, words, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "payoff"  # installed by `pip install -e .` into the venv
    done = subprocess.run([script, "inspect", str(FILES / "binary.csv")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "binary" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--framing", "nonsense"], "Unknown framing 'nonsense'"),
        (["--framing", "perishable", "--target", "no_such_column"], "There is no column 'no_such_column'"),
        (["--framing", "perishable", "--set", "price=cheap"], "'price' must be a number"),
        (["--framing", "perishable", "--set", "colour=red"], "has no parameter 'colour'"),
        (["--framing", "perishable", "--status-quo", "guess"], "Unknown status quo 'guess'"),
        (["--framing", "perishable", "--horizon", "400"], "Use fewer tests or a shorter horizon"),
    ],
)
def test_analyze_user_errors_exit_2(args, words, capsys):
    sample = str(Path(__file__).resolve().parents[2] / "sample_data" / "retail_sales.csv")
    assert main(["analyze", sample, *args]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("sales.csv.gz", 0, "text in a gzip file"),
        ("export.zip", 0, "text in a zip file"),
        ("two_tables.zip", 2, "holds 2 tables: 'stores.csv', 'items.csv'"),
        ("billion_laughs.xlsx", 2, "XML entity declarations"),
    ],
)
def test_compressed_files_through_the_cli(name, code, words, tmp_path, capsys):
    from tests.corpus.cases import content

    path = tmp_path / name
    path.write_bytes(content(name))
    assert main(["inspect", str(path)]) == code
    out, err = capsys.readouterr()
    assert words in (out if code == 0 else err)
    if code:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
