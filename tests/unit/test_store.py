"""Saved analyses: the whole Analysis in SQLite, reopened with the very same numbers, safe under
two writers, migrated from the old schema, refusing a newer one, and clear about a damaged file."""

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from payoff.carry import serial
from payoff.carry.results import to_json
from payoff.carry.store import KEEP_AUTOSAVES, SCHEMA_VERSION, Store, StoreError, UnknownAnalysis
from tests.helpers import sample_analysis


@pytest.fixture(scope="module")
def churn():
    return sample_analysis("churn_customers", "churn")


def test_a_saved_analysis_reopens_with_identical_numbers(tmp_path, churn):
    store = Store(tmp_path / "a.sqlite")
    summary = to_json(churn)
    analysis_id = store.save("churn, base costs", churn, summary)
    reopened = Store(tmp_path / "a.sqlite").open(analysis_id)  # a new Store: as after a restart
    assert to_json(reopened) == summary
    saved = store.get(analysis_id)
    assert saved.summary == json.loads(json.dumps(summary))
    assert saved.framing == "churn" and saved.dataset == "churn_customers.csv" and saved.reopenable
    gain = summary["recommended"]["gain"]
    assert saved.headline == f"{summary['recommended']['model']} gains {gain:,.0f}"


def test_an_analysis_with_delivery_days_saves_and_compares(tmp_path, churn):
    """Fresh stock's delivery days are words in the summary ("Mon, Thu"): the autosave of every
    run with delivery days was refused as damaged, and a reload lost it."""
    from payoff.ui.saved_view import comparison

    store = Store(tmp_path / "a.sqlite")
    summary = to_json(churn)
    fresh = {**summary, "params": {**summary["params"], "order_days": "Mon, Thu", "life": 5, "cases": None}}
    saved = store.get(store.save("fresh", churn, fresh, autosave=True))
    assert saved.summary["params"]["order_days"] == "Mon, Thu" and saved.autosave
    plain = store.get(store.save("plain", churn, summary))
    assumptions, _, _ = comparison(saved, plain)
    row = assumptions[assumptions[""] == "order_days"]
    assert row.iloc[0, 1:].tolist() == ["Mon, Thu", ""]
    broken = {**summary, "params": {**summary["params"], "order_days": ["Mon"]}}  # not what Payoff writes
    with pytest.raises(StoreError, match="damaged"):
        store.get(store.save("broken", churn, broken))


def test_list_rename_delete_and_unknown_ids(tmp_path, churn):
    store = Store(tmp_path / "a.sqlite")
    first = store.save("week 1", churn, {"framing": "churn"})
    second = store.save("<b>week 2</b>", churn, {"framing": "churn"})
    auto = store.save("autosave", churn, {"framing": "churn"}, autosave=True)
    assert [s.id for s in store.list()] == [second, first]  # newest first; autosaves are not listed
    assert store.list()[0].name == "<b>week 2</b>"  # stored as typed; shown as text
    store.rename(auto, "kept from a reload")
    assert [s.id for s in store.list()] == [auto, second, first]  # renaming keeps an autosave
    store.delete(first)
    assert [s.id for s in store.list()] == [auto, second]
    for action in (lambda: store.open(first), lambda: store.delete(first), lambda: store.rename(first, "x")):
        with pytest.raises(UnknownAnalysis, match=f"no saved analysis {first}"):
            action()
    with pytest.raises(StoreError, match="name"):
        store.save("  ", churn, {})


def test_autosaves_are_pruned_to_the_newest(tmp_path, churn, monkeypatch):
    monkeypatch.setattr("payoff.carry.store.KEEP_AUTOSAVES", 3)
    store = Store(tmp_path / "a.sqlite")
    named = store.save("named", churn, {})
    ids = [store.save("autosave", churn, {}, autosave=True) for _ in range(5)]
    for gone in ids[:2]:
        with pytest.raises(UnknownAnalysis):
            store.open(gone)
    assert store.get(ids[-1]).name == "autosave" and store.get(named).name == "named"
    assert KEEP_AUTOSAVES >= 10


def _save_many(path: str, content: bytes, worker: int, count: int) -> None:
    analysis = serial.from_bytes(content)  # no refit in the child: saving is what is under test
    store = Store(Path(path))
    for i in range(count):
        store.save(f"worker {worker} #{i}", analysis, {"worker": worker, "i": i})


def test_two_processes_saving_at_once_both_land(tmp_path, churn):
    path = str(tmp_path / "a.sqlite")
    content = serial.to_bytes(churn)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_save_many, args=(path, content, w, 4)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    names = sorted(s.name for s in Store(tmp_path / "a.sqlite").list())
    assert names == sorted(f"worker {w} #{i}" for w in (1, 2) for i in range(4))


def _schema_1(path):
    with sqlite3.connect(path) as connection:
        connection.execute(
            "create table analyses (id integer primary key autoincrement, name text not null, saved_at text not null,"
            " dataset text not null, framing text not null, summary text not null)"
        )
        summary = {"framing": "churn", "direction": "value", "recommended": {"model": "random forest", "gain": 1234.5}}
        connection.execute(
            "insert into analyses (name, saved_at, dataset, framing, summary) values (?, ?, ?, ?, ?)",
            ("old run", "2026-01-01T00:00:00+00:00", "churn.csv", "churn", json.dumps(summary)),
        )


def test_an_old_schema_file_is_migrated_and_its_summaries_stay_readable(tmp_path, churn):
    path = tmp_path / "old.sqlite"
    _schema_1(path)
    store = Store(path)
    [old] = store.list()
    assert (old.name, old.headline, old.reopenable) == ("old run", "random forest gains 1,234", False)
    with pytest.raises(StoreError, match="older Payoff as a summary only"):
        store.open(old.id)
    new = store.save("new run", churn, {"framing": "churn"})
    assert store.open(new).impact.recommended.gain == churn.impact.recommended.gain
    with sqlite3.connect(path) as connection:
        assert connection.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_a_newer_schema_is_refused_clearly(tmp_path):
    path = tmp_path / "new.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("create table analyses (id integer primary key)")
        connection.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer Payoff"):
        Store(path).list()


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_damaged_file_gives_a_clear_message(tmp_path, content):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"damaged or not a Payoff database.*PAYOFF_DB"):
        Store(path).list()
    assert path.read_bytes() == content  # nothing was overwritten


def test_a_sql_payload_in_a_name_is_only_a_name(tmp_path, churn):
    store = Store(tmp_path / "a.sqlite")
    name = "x'); drop table analyses; --"
    analysis_id = store.save(name, churn, {})
    assert store.get(analysis_id).name == name and len(store.list()) == 1
