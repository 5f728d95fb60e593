"""Saved analyses in SQLite: each row holds the whole Analysis (its :mod:`payoff.serial` bytes:
problem, table, kept predictions), so it reopens exactly with no refit, and the JSON summary
`payoff analyze` prints, so a list or a comparison never has to unpack an analysis.

The file lives at ``$PAYOFF_DB`` (default ``~/.payoff/analyses.sqlite``), in WAL mode so readers
never block the one writer, with its schema version in ``PRAGMA user_version``: a file from an
older Payoff is migrated in one transaction, one from a newer Payoff is refused. Every statement
is parameterised. Autosaves (what a browser reload or a link reopens) are rows like any other,
hidden from the list and pruned to the newest few."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from payoff import serial
from payoff.analysis import Analysis
from payoff.errors import PayoffError

SCHEMA_VERSION = 2
KEEP_AUTOSAVES = 50
BUSY_TIMEOUT_SECONDS = 30.0

CREATE = """
create table analyses (
    id integer primary key autoincrement,
    name text not null,
    saved_at text not null,
    dataset text not null,
    framing text not null,
    headline text not null default '',
    summary text not null,
    analysis blob,
    autosave integer not null default 0
)
"""
# Schema 1 (Payoff up to issue 8) kept the JSON summary only; its rows stay listed and viewable,
# and say they cannot be reopened.
MIGRATE_1_TO_2 = (
    "alter table analyses add column headline text not null default ''",
    "alter table analyses add column analysis blob",
    "alter table analyses add column autosave integer not null default 0",
)


class StoreError(PayoffError):
    kind = "saved_analyses"


class UnknownAnalysis(StoreError):
    kind = "unknown_analysis"


def default_path() -> Path:
    """$PAYOFF_DB, else ~/.payoff/analyses.sqlite."""
    override = os.environ.get("PAYOFF_DB")
    return Path(override) if override else Path.home() / ".payoff" / "analyses.sqlite"


@dataclass(frozen=True)
class Saved:
    """One saved analysis, without its (large) analysis bytes."""

    id: int
    name: str
    saved_at: str
    dataset: str
    framing: str
    headline: str
    summary: dict[str, Any]
    reopenable: bool
    autosave: bool


def headline_of(summary: dict[str, Any]) -> str:
    """One line for a list: Payoff's choice and its gain."""
    recommended = summary.get("recommended") or {}
    gain = recommended.get("gain")
    if gain is None:
        return ""
    word = "saves" if summary.get("direction") == "cost" else "gains"
    return f"{recommended.get('model', '')} {word} {gain:,.0f}"


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed on success, rolled back on any error."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"The saved analyses at {self.path} cannot be opened ({error}).") from error
        try:
            connection.execute("pragma journal_mode=wal")
            connection.execute("pragma synchronous=normal")
            connection.execute("begin immediate")
            self._ensure_schema(connection)
            yield connection
            connection.execute("commit")
        except sqlite3.DatabaseError as error:
            if connection.in_transaction:
                connection.execute("rollback")
            raise StoreError(
                f"The saved analyses file {self.path} is damaged or not a Payoff database ({error}). Move it "
                "aside (or set PAYOFF_DB to another file) and Payoff starts a new one; nothing else is affected."
            ) from error
        except BaseException:
            if connection.in_transaction:
                connection.execute("rollback")
            raise
        finally:
            connection.close()

    def _ensure_schema(self, connection: sqlite3.Connection) -> None:
        version = int(connection.execute("pragma user_version").fetchone()[0])
        exists = connection.execute("select 1 from sqlite_master where type = 'table' and name = 'analyses'").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The saved analyses file {self.path} was written by a newer Payoff (schema {version}, this one "
                f"reads up to {SCHEMA_VERSION}). Upgrade Payoff, or set PAYOFF_DB to another file."
            )
        if not exists:
            connection.execute(CREATE)
        elif version < 2:  # schema 1 had no user_version (0) or 1
            for statement in MIGRATE_1_TO_2:
                connection.execute(statement)
            for row_id, summary in connection.execute("select id, summary from analyses").fetchall():
                connection.execute(
                    "update analyses set headline = ? where id = ?", (headline_of(json.loads(summary)), row_id)
                )
        if version != SCHEMA_VERSION:
            connection.execute(f"pragma user_version = {SCHEMA_VERSION:d}")

    def save(
        self, name: str, analysis: Analysis, summary: dict[str, Any], dataset: str | None = None, autosave: bool = False
    ) -> int:
        """Store the whole analysis and its JSON summary; returns its id."""
        name = name.strip()
        if not name:
            raise StoreError("Give the analysis a name before saving it.")
        content = serial.to_bytes(analysis)  # before the transaction: the write lock is held briefly
        with self._connection() as connection:
            cursor = connection.execute(
                "insert into analyses (name, saved_at, dataset, framing, headline, summary, analysis, autosave) "
                "values (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    dataset if dataset is not None else analysis.problem.source,
                    analysis.problem.framing.key,
                    headline_of(summary),
                    json.dumps(summary, sort_keys=True, allow_nan=False),
                    content,
                    int(autosave),
                ),
            )
            new_id = int(cursor.lastrowid or 0)
            if autosave:
                connection.execute(
                    "delete from analyses where autosave = 1 and id not in "
                    "(select id from analyses where autosave = 1 order by id desc limit ?)",
                    (KEEP_AUTOSAVES,),
                )
        return new_id

    def list(self) -> list[Saved]:
        """Named analyses, newest first (autosaves are not listed)."""
        with self._connection() as connection:
            rows = connection.execute(
                "select id, name, saved_at, dataset, framing, headline, summary, analysis is not null, autosave "
                "from analyses where autosave = 0 order by id desc"
            ).fetchall()
        return [_saved(row) for row in rows]

    def get(self, analysis_id: int) -> Saved:
        with self._connection() as connection:
            row = connection.execute(
                "select id, name, saved_at, dataset, framing, headline, summary, analysis is not null, autosave "
                "from analyses where id = ?",
                (int(analysis_id),),
            ).fetchone()
        if row is None:
            raise UnknownAnalysis(f"There is no saved analysis {analysis_id}; 'payoff saved' lists them.")
        return _saved(row)

    def open(self, analysis_id: int) -> Analysis:
        """The analysis exactly as it was saved (re-priced from its kept predictions, no refit)."""
        with self._connection() as connection:
            row = connection.execute("select analysis from analyses where id = ?", (int(analysis_id),)).fetchone()
        if row is None:
            raise UnknownAnalysis(f"There is no saved analysis {analysis_id}; 'payoff saved' lists them.")
        if row[0] is None:
            raise StoreError(
                f"Analysis {analysis_id} was saved by an older Payoff as a summary only; its numbers can be shown "
                "but not reopened. Run it again and save it to reopen it."
            )
        return serial.from_bytes(bytes(row[0]))

    def rename(self, analysis_id: int, name: str) -> None:
        """Rename (and keep, if it was an autosave)."""
        name = name.strip()
        if not name:
            raise StoreError("A saved analysis needs a name.")
        with self._connection() as connection:
            cursor = connection.execute(
                "update analyses set name = ?, autosave = 0 where id = ?", (name, int(analysis_id))
            )
            if cursor.rowcount == 0:
                raise UnknownAnalysis(f"There is no saved analysis {analysis_id}; 'payoff saved' lists them.")

    def delete(self, analysis_id: int) -> None:
        with self._connection() as connection:
            cursor = connection.execute("delete from analyses where id = ?", (int(analysis_id),))
            if cursor.rowcount == 0:
                raise UnknownAnalysis(f"There is no saved analysis {analysis_id}; 'payoff saved' lists them.")


def _saved(row: tuple[Any, ...]) -> Saved:
    return Saved(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), bool(row[7]), bool(row[8]))
