"""The carry-away corpus through the library and the CLI: every bad input is a PayoffError with a
message that says what to do, and `payoff` exits 2 with one line."""

import sqlite3

import pytest

from payoff.carry import serial
from payoff.carry.scoring import score_current
from payoff.carry.store import Store
from payoff.cli.main import main
from payoff.data.load import read_table
from payoff.errors import PayoffError
from tests.corpus.carry_cases import ANALYSIS_BYTES_CASES, DATABASE_CASES, current_file_cases
from tests.corpus.saved_cases import (
    BAD_ROWS,
    CRAFTED,
    OUT_OF_RANGE,
    add_analysis_bytes,
    add_row,
    quantity_analysis,
    quantity_bytes,
    targeting_analysis,
    targeting_bytes,
)
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
    from payoff.runtime import samples

    monkeypatch.chdir(tmp_path)
    (tmp_path / "churn_customers.csv").write_bytes(samples.sample_bytes("churn_customers"))
    (tmp_path / case.name).write_bytes(case.content)
    code = main(
        [
            "decide",
            "churn_customers.csv",
            "--framing",
            "churn",
            "--assume-defaults",
            "--score",
            case.name,
            "--out",
            "d.csv",
        ]
    )
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


# --- saved analyses are untrusted input (issue 18) ---------------------------------------------------


def test_the_small_analyses_the_crafted_ones_start_from_open_with_their_numbers():
    """The control: untampered, each opens with the very gain it was run with."""
    for analysis, content in ((quantity_analysis(), quantity_bytes()), (targeting_analysis(), targeting_bytes())):
        assert serial.from_bytes(content).impact.recommended.gain == analysis.impact.recommended.gain


@pytest.mark.parametrize("case", CRAFTED, ids=lambda c: c.name)
def test_a_crafted_saved_analysis_is_one_clear_message(case):
    with pytest.raises(serial.UnreadableAnalysis) as caught:
        serial.from_bytes(case.build())
    message = str(caught.value)
    assert case.says in message, message
    assert message.startswith("The saved analysis is damaged and cannot be opened: ") and "\n" not in message


@pytest.mark.parametrize("case", CRAFTED, ids=lambda c: c.name)
def test_a_crafted_saved_analysis_exits_2_with_one_line(case, tmp_path, monkeypatch, capsys):
    path = tmp_path / "a.sqlite"
    monkeypatch.setenv("PAYOFF_DB", str(path))
    analysis_id = add_analysis_bytes(path, case.build())
    assert main(["report", "--saved", str(analysis_id), "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and case.says in err[0] and "Traceback" not in err[0], err
    assert not (tmp_path / "r.html").exists()
    assert main(["saved"]) == 0 and "crafted" in capsys.readouterr().out  # the list is not affected


@pytest.mark.parametrize("name", ["small_blob_declaring_a_gigabyte", "member_declaring_a_gigabyte"])
def test_a_declared_gigabyte_is_refused_before_any_array_is_loaded(name, monkeypatch):
    import numpy as np

    def never(*args, **kwargs):
        raise AssertionError("an array was loaded")

    case = next(c for c in CRAFTED if c.name == name)
    content = case.build()
    monkeypatch.setattr(np, "load", never)
    with pytest.raises(serial.UnreadableAnalysis, match="1,073,741,824 bytes"):
        serial.from_bytes(content)


def test_damaged_rows_are_left_out_of_the_list_and_named(tmp_path, monkeypatch, capsys):
    from payoff.carry.store import DamagedRow

    path = tmp_path / "a.sqlite"
    good = Store(path).save("a good one", quantity_analysis(), {"narrative": "fine"})
    bad = [add_row(path, row.summary, row.analysis, row.title) for row in BAD_ROWS]
    listing = Store(path).listing()
    assert [s.id for s in listing.saved] == [good] and listing.skipped == tuple(reversed(bad))
    assert listing.skipped_text() == (
        "5 saved analysis row(s) are damaged and left out of this list (id 6, 5, 4, 3, 2); whoever runs Payoff "
        "can remove one with 'payoff saved delete ID'."
    )
    for row_id in bad:
        with pytest.raises(DamagedRow, match=f"Saved analysis {row_id} is damaged"):
            Store(path).get(row_id)
    with pytest.raises(DamagedRow, match="its analysis is stored as text, not as bytes"):
        Store(path).open(bad[2])
    monkeypatch.setenv("PAYOFF_DB", str(path))
    assert main(["saved"]) == 0
    out, err = capsys.readouterr()
    assert "a good one" in out and err == f"payoff: note: {listing.skipped_text()}\n"
    assert main(["saved", "show", str(bad[0])]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"payoff: Saved analysis {bad[0]} is damaged (its summary is not the JSON object Payoff writes), so it "
        f"cannot be shown. 'payoff saved delete {bad[0]}' (or Delete on the Saved page) removes it; the others are "
        "not affected."
    ]
    assert main(["saved", "delete", str(bad[0])]) == 0
    assert len(Store(path).listing().skipped) == 4


@pytest.mark.parametrize(
    "argv",
    [
        ["saved", "show", OUT_OF_RANGE],
        ["saved", "delete", OUT_OF_RANGE],
        ["saved", "rename", OUT_OF_RANGE, "x"],
        ["report", "--saved", OUT_OF_RANGE, "--out", "r.html"],
        ["decide", "--saved", OUT_OF_RANGE, "--out", "d.csv"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_an_id_out_of_range_is_an_unknown_analysis(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PAYOFF_DB", str(tmp_path / "a.sqlite"))
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"payoff: There is no saved analysis {OUT_OF_RANGE}; 'payoff saved' lists them."
    ]


def test_an_id_out_of_range_in_the_library(tmp_path):
    from payoff.carry.store import UnknownAnalysis

    store = Store(tmp_path / "a.sqlite")
    for action in (store.get, store.open, store.delete, lambda i: store.rename(i, "x")):
        for number in (int(OUT_OF_RANGE), 2**63, 0, -1):
            with pytest.raises(UnknownAnalysis, match=f"There is no saved analysis {number};"):
                action(number)


def _full(monkeypatch, path):
    """Every connection may hold no more pages than the file has: the disk is full."""
    real = sqlite3.connect

    def connect(*args, **kwargs):
        connection = real(*args, **kwargs)
        connection.execute("pragma max_page_count = 1")  # raised to the pages in use, never more
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)


def _read_only(monkeypatch, path):
    """The file opens read-only, as one the server may only read does."""
    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda file, **kw: real(f"file:{file}?mode=ro", uri=True, **kw))


def _locked(monkeypatch, path):
    """Another program holds the write lock (a backup, a stuck process) past the busy timeout."""
    monkeypatch.setattr("payoff.carry.store.BUSY_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("begin exclusive")
    return holder


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        (_full, "The saved analyses file (PAYOFF_DB) is on a disk that is full, so nothing could be written."),
        (_read_only, "The saved analyses file (PAYOFF_DB) is read-only for Payoff, so nothing can be saved"),
        (_locked, "The saved analyses file (PAYOFF_DB) stayed locked by another program for 0.2 s"),
    ],
    ids=["full", "read-only", "locked"],
)
def test_a_database_payoff_cannot_write_has_its_own_message_and_no_path(condition, says, tmp_path, monkeypatch, capsys):
    from payoff.carry.store import StoreError
    from tests.corpus.cases import content

    path = tmp_path / "a.sqlite"
    kept = Store(path).save("kept", quantity_analysis(), {"narrative": "fine"})
    holder = condition(monkeypatch, path)
    try:
        with pytest.raises(StoreError) as caught:
            Store(path).save("more", quantity_analysis(), {"narrative": "fine"})
        assert says in str(caught.value) and str(tmp_path) not in str(caught.value)
        (tmp_path / "blank_key.csv").write_bytes(content("blank_key.csv"))
        monkeypatch.setenv("PAYOFF_DB", str(path))
        argv = ["analyze", str(tmp_path / "blank_key.csv"), "--framing", "custom-quantity", "--set", "under=2"]
        argv += ["--set", "over=1", "--models", "naive", "--horizon", "3", "--origins", "2", "--save", "more"]
        assert main(argv) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and says in err[0] and str(tmp_path) not in err[0], err
    finally:
        if holder is not None:
            holder.close()
    monkeypatch.undo()
    assert [s.id for s in Store(path).list()] == [kept]  # nothing half-written, nothing lost
