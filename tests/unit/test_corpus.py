"""Every file of the bad-input corpus, through the library: the exact kind of failure, or the
right values after loading."""

import pytest

from payoff.data.load import read_table
from payoff.errors import PayoffError
from tests.corpus.cases import CASES, CLI_CASES, TEST_LIMIT, Case, content, loaded_messages


def test_corpus_has_at_least_30_files():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_case(case: Case):
    data = content(case.name)
    if case.error:
        with pytest.raises(PayoffError) as caught:
            read_table(data, case.name, max_bytes=TEST_LIMIT)
        assert caught.value.kind == case.error
        for word in case.says:
            assert word in str(caught.value)
        assert "Traceback" not in str(caught.value)
        return
    table = read_table(data, case.name, max_bytes=TEST_LIMIT if case.name != "huge_field.csv" else 10**8)
    for word in case.says:
        assert word in loaded_messages(table)
    assert case.check is not None
    case.check(table)


def test_chosen_sheet_is_read():
    table = read_table(content("multi_sheet.xlsx"), "multi_sheet.xlsx", options=_options(sheet="Data"))
    assert table.frame["units"].tolist() == [3, 5]
    assert table.frame["store"].tolist() == ["north", "north"]


def test_ragged_rows_can_be_skipped_or_refused():
    skipped = read_table(content("ragged.csv"), "ragged.csv", options=_options(ragged="skip"))
    assert skipped.frame["a"].tolist() == [1, 10]
    with pytest.raises(PayoffError) as caught:
        read_table(content("ragged.csv"), "ragged.csv", options=_options(ragged="error"))
    assert caught.value.kind == "ragged_rows" and "Line 3 has 2 fields" in str(caught.value)


def test_mixed_dates_with_a_chosen_format_report_the_rest():
    table = read_table(content("mixed_dates.csv"), "m.csv", options=_options(date_formats=(("date", "%d/%m/%Y"),)))
    assert table.frame["date"].dt.strftime("%Y-%m-%d").dropna().tolist() == ["2026-01-06", "2026-01-08"]
    assert any(i.kind == "date_cells_missing" and "line 2" in i.message for i in table.detection.issues)


def test_overrides_win_over_detection():
    table = read_table(b"a;b\n1;2\n3;4\n", "x.csv", options=_options(delimiter=",", header=False))
    assert table.frame["column_1"].tolist() == ["a;b", "1;2", "3;4"]


def _options(**kwargs):
    from payoff.data.load import LoadOptions

    return LoadOptions(**kwargs)


def test_a_bomb_is_refused_before_any_byte_is_inflated(monkeypatch):
    """The zip and gzip bombs are refused from their declared sizes: inflating is never started."""
    import zipfile
    import zlib

    def never(*args, **kwargs):
        raise AssertionError("inflating started")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    monkeypatch.setattr(zlib, "decompressobj", never)
    for name in ("zip_bomb.zip", "gzip_bomb.csv.gz"):
        with pytest.raises(PayoffError, match="refused it before unpacking"):
            read_table(content(name), name, max_bytes=TEST_LIMIT)


def test_a_workbook_is_held_to_its_declared_sizes():
    """A workbook whose parts declare more than 8x the limit is refused before openpyxl opens it:
    the two-row workbook's parts declare about 9 KB, so a 1 KB limit refuses it."""
    from payoff.data.archive import check_workbook
    from payoff.errors import FileTooLarge

    workbook = content("multi_sheet.xlsx")
    check_workbook(workbook, "multi_sheet.xlsx", limit=len(workbook))
    with pytest.raises(FileTooLarge, match=r"of spreadsheet XML; the limit is 0\.0 MB"):
        check_workbook(workbook, "multi_sheet.xlsx", limit=1_000)


@pytest.mark.parametrize(("args", "code", "says"), CLI_CASES, ids=lambda v: v[1] if isinstance(v, tuple) else None)
def test_corpus_file_through_the_cli(args, code, says, tmp_path, monkeypatch, capsys):
    """Exit 0 with the note said, or exit 2 with one line on stderr and no traceback."""
    from payoff.cli.main import main

    (tmp_path / args[1]).write_bytes(content(args[1]))
    monkeypatch.chdir(tmp_path)
    assert main(list(args)) == code
    out, err = capsys.readouterr()
    if code:
        assert err.count("\n") == 1 and says in err and "Traceback" not in err, err
    else:
        assert says in out and err == "", (out, err)


def test_a_blank_series_key_is_the_series_named_blank_in_findings_runs_and_json(tmp_path, capsys):
    """`ngroup()` gave blank keys -1 (a crash in the findings) and the run's label was NaN (a crash
    on the Models page): now the blank rows are one series, '(blank)', everywhere."""
    import json

    from payoff.analysis import run_analysis
    from payoff.cli.main import main
    from payoff.data import quality
    from payoff.data.roles import suggest_roles
    from payoff.problem import make_problem

    frame = read_table(content("blank_key.csv"), "blank_key.csv").frame
    roles = suggest_roles(frame)
    findings = {f.kind: f for f in quality.check(frame, roles)}
    assert findings["blank_series_key"].count == 28 and "'(blank)'" in findings["blank_series_key"].message
    problem = make_problem(
        frame, roles, "custom-quantity", params={"under": 2, "over": 1}, models=["naive"], horizon=3, origins=2
    )
    panel = run_analysis(problem).predictions.panel
    assert panel.labels() == ["north", "(blank)", "south"]
    assert panel.y[1, :3].tolist() == [1.0, 2.0, 0.0]  # the blank rows' own units (day % 3)
    path = tmp_path / "blank_key.csv"
    path.write_bytes(content("blank_key.csv"))
    argv = ["analyze", str(path), "--framing", "custom-quantity", "--set", "under=2", "--set", "over=1"]
    argv += [
        "--models",
        "naive",
        "--horizon",
        "3",
        "--origins",
        "2",
        "--segment",
        "store",
        "--json",
        str(tmp_path / "o.json"),
    ]
    assert main(argv) == 0
    segments = json.loads((tmp_path / "o.json").read_text())["segments"]["groups"]
    assert sorted(g["segment"] for g in segments) == ["(blank)", "north", "south"]


def test_infinity_in_a_targeting_feature_is_missing_and_said(tmp_path, capsys):
    """inf reached roc_auc_score in the leakage guard (exit 1): it is missing, and the note says so."""
    import numpy as np
    import pandas as pd

    from payoff.cli.main import main
    from payoff.evaluate.leakage import single_feature_auc
    from tests.corpus.cases import infinite_churn

    table = read_table(infinite_churn(), "churn.csv")
    assert int(table.frame["spend"].isna().sum()) == 13
    assert "Column 'spend' holds 13 infinite value(s) (line 2 ('inf'), line 7 ('-inf')" in loaded_messages(table)
    # The guard itself takes inf as missing too (a frame built without read_table): both become the
    # median, 2, so the events score 2, 2, 3 against 1, 2, winning 5 of the 6 pairs (ties count half).
    auc = single_feature_auc(pd.Series([1.0, np.inf, 2.0, -np.inf, 3.0]), np.array([0, 1, 0, 1, 1]))
    assert auc == pytest.approx(5 / 6)
    (tmp_path / "churn.csv").write_bytes(infinite_churn())
    argv = ["analyze", str(tmp_path / "churn.csv"), "--framing", "churn", "--models", "logistic regression"]
    assert main([*argv, "--set", "value=200", "--set", "contact_cost=10", "--set", "offer_cost=30"]) == 0
    assert "logistic regression" in capsys.readouterr().out
