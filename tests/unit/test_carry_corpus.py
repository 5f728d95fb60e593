"""The carry-away corpus through the library and the CLI: every bad input is a PayoffError with a
message that says what to do, and `payoff` exits 2 with one line."""

import pytest

from payoff import serial
from payoff.cli import main
from payoff.data.load import read_table
from payoff.errors import PayoffError
from payoff.scoring import score_current
from payoff.store import Store
from tests.corpus.carry_cases import ANALYSIS_BYTES_CASES, DATABASE_CASES, current_file_cases
from tests.helpers import sample_analysis

CURRENT = current_file_cases()


@pytest.mark.parametrize("case", CURRENT, ids=lambda c: c.name)
def test_a_bad_current_file_says_what_to_fix(case):
    churn = sample_analysis("churn_customers", "churn")
    with pytest.raises(PayoffError) as caught:
        score_current(churn, read_table(case.content, case.name).frame)
    for words in case.says:
        assert words in str(caught.value)


@pytest.mark.parametrize("case", CURRENT, ids=lambda c: c.name)
def test_decide_score_exits_2_with_one_line(case, tmp_path, monkeypatch, capsys):
    from payoff import samples

    monkeypatch.chdir(tmp_path)
    (tmp_path / "churn_customers.csv").write_bytes(samples.sample_bytes("churn_customers"))
    (tmp_path / case.name).write_bytes(case.content)
    code = main(["decide", "churn_customers.csv", "--framing", "churn", "--score", case.name, "--out", "d.csv"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1 and case.says[0] in err[0]
    assert not (tmp_path / "d.csv").exists()


@pytest.mark.parametrize("case", DATABASE_CASES, ids=lambda c: c.name)
def test_a_bad_database_file_says_what_to_do(case, tmp_path, monkeypatch, capsys):
    path = tmp_path / case.name
    path.write_bytes(case.content)
    with pytest.raises(PayoffError) as caught:
        Store(path).list()
    for words in case.says:
        assert words in str(caught.value)
    monkeypatch.setenv("PAYOFF_DB", str(path))
    assert main(["saved"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


@pytest.mark.parametrize("case", ANALYSIS_BYTES_CASES, ids=lambda c: c.name)
def test_damaged_analysis_bytes_say_so(case):
    with pytest.raises(serial.UnreadableAnalysis, match=case.says[0]):
        serial.from_bytes(case.content)
