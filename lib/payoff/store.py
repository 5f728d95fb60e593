"""Saved analyses in SQLite: each row holds the whole Analysis (its :mod:`payoff.serial` bytes:
problem, table, kept predictions), so it reopens exactly with no refit, and the JSON summary
`payoff analyze` prints, so a list or a comparison never has to unpack an analysis.

The file lives at ``$PAYOFF_DB`` (default ``~/.payoff/analyses.sqlite``), in WAL mode so readers
never block the one writer, with its schema version in ``PRAGMA user_version``: a file from an
older Payoff is migrated in one transaction, one from a newer Payoff is refused. Every statement
is parameterised. Autosaves (what a browser reload or a link reopens) are rows like any other,
hidden from the list and pruned to the newest few.

The file is untrusted input too (a restored backup, a shared file): a row whose summary is not a
JSON object, or whose analysis is not bytes, is skipped by the list and named, never the end of
it; ids outside SQLite's range are refused like unknown ones. Messages never show the file's path
(they reach browsers): they name PAYOFF_DB, which whoever runs Payoff knows."""

from __future__ import annotations

import errno
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
LARGEST_ID = 2**63 - 1  # SQLite's integer ids
WHERE = "The saved analyses file (PAYOFF_DB)"

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


class DamagedRow(StoreError):
    kind = "damaged_saved_analysis"


def _unknown(analysis_id: object) -> UnknownAnalysis:
    return UnknownAnalysis(f"There is no saved analysis {analysis_id}; 'payoff saved' lists them.")


def _row_id(analysis_id: int) -> int:
    """An id SQLite can hold; any other number names no saved analysis (never an OverflowError)."""
    if isinstance(analysis_id, bool) or not isinstance(analysis_id, int) or not 0 < analysis_id <= LARGEST_ID:
        raise _unknown(analysis_id)
    return analysis_id


def _failure(error: BaseException) -> StoreError:
    """What went wrong with the file, in words that fit it: full, read-only, locked, missing or
    damaged (SQLite's own result code, or the system's error number)."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    number = getattr(error, "errno", None)
    if primary == sqlite3.SQLITE_FULL or number in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(
            f"{WHERE} is on a disk that is full, so nothing could be written. Free some space on that disk (or "
            "point PAYOFF_DB at another one), then try again; nothing saved before is lost."
        )
    if primary == sqlite3.SQLITE_READONLY or number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(
            f"{WHERE} is read-only for Payoff, so nothing can be saved, renamed or deleted there. Let the Payoff "
            "server write to the file and its folder (or point PAYOFF_DB at a writable file)."
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            f"{WHERE} stayed locked by another program for {BUSY_TIMEOUT_SECONDS:g} s (a backup, or a stuck "
            "process), so this was not done. Try again in a moment; if it lasts, whoever runs Payoff can see "
            "what holds the file."
        )
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(
            f"{WHERE} could not be read or written: the disk reported an error. Whoever runs Payoff can check the "
            "disk; nothing else is affected."
        )
    if primary == sqlite3.SQLITE_CANTOPEN or isinstance(error, OSError):
        return StoreError(
            f"{WHERE} cannot be opened: its folder is missing or not accessible to Payoff. Whoever runs Payoff can "
            "create the folder or point PAYOFF_DB at another file."
        )
    return StoreError(
        f"{WHERE} is damaged or not a Payoff database. Move it aside (or set PAYOFF_DB to another file) and "
        "Payoff starts a new one; nothing else is affected."
    )


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


@dataclass(frozen=True)
class Listing:
    """The named analyses that can be shown, and the ids of damaged rows that were skipped."""

    saved: list[Saved]
    skipped: tuple[int, ...] = ()

    def skipped_text(self) -> str:
        """One line naming the skipped rows, or "" when none was."""
        if not self.skipped:
            return ""
        ids = ", ".join(str(i) for i in self.skipped[:10]) + (" ..." if len(self.skipped) > 10 else "")
        return (
            f"{len(self.skipped)} saved analysis row(s) are damaged and left out of this list (id {ids}); "
            "whoever runs Payoff can remove one with 'payoff saved delete ID'."
        )


def headline_of(summary: dict[str, Any]) -> str:
    """One line for a list: Payoff's choice and its gain."""
    recommended = summary.get("recommended") or {}
    gain = recommended.get("gain") if isinstance(recommended, dict) else None
    if not isinstance(gain, int | float) or isinstance(gain, bool):
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
            raise _failure(error) from error
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
            raise _failure(error) from error
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
                f"{WHERE} was written by a newer Payoff (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}). Upgrade Payoff, or set PAYOFF_DB to another file."
            )
        if not exists:
            connection.execute(CREATE)
        elif version < 2:  # schema 1 had no user_version (0) or 1
            for statement in MIGRATE_1_TO_2:
                connection.execute(statement)
            for row_id, summary in connection.execute("select id, summary from analyses").fetchall():
                connection.execute(
                    "update analyses set headline = ? where id = ?", (headline_of(_summary(summary) or {}), row_id)
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
        """Named analyses, newest first (autosaves are not listed); damaged rows are left out."""
        return self.listing().saved

    def listing(self) -> Listing:
        """Named analyses, newest first, and the ids of damaged rows skipped (said, not hidden)."""
        with self._connection() as connection:
            rows = connection.execute(LIST_NAMED).fetchall()
        saved, skipped = [], []
        for row in rows:
            try:
                saved.append(_saved(row))
            except DamagedRow:
                skipped.append(row[0])
        return Listing(saved, tuple(skipped))

    def get(self, analysis_id: int) -> Saved:
        """One saved analysis (named or autosaved) without its analysis bytes."""
        with self._connection() as connection:
            row = connection.execute(GET_ONE, (_row_id(analysis_id),)).fetchone()
        if row is None:
            raise _unknown(analysis_id)
        return _saved(row)

    def open(self, analysis_id: int) -> Analysis:
        """The analysis exactly as it was saved (re-priced from its kept predictions, no refit);
        its bytes are checked as untrusted input before anything is built (payoff.serial_check)."""
        with self._connection() as connection:
            row = connection.execute("select analysis from analyses where id = ?", (_row_id(analysis_id),)).fetchone()
        if row is None:
            raise _unknown(analysis_id)
        if row[0] is None:
            raise StoreError(
                f"Analysis {analysis_id} was saved by an older Payoff as a summary only; its numbers can be shown "
                "but not reopened. Run it again and save it to reopen it."
            )
        if not isinstance(row[0], bytes):
            raise _damaged(analysis_id, "its analysis is stored as text, not as bytes")
        return serial.from_bytes(row[0])

    def rename(self, analysis_id: int, name: str) -> None:
        """Rename (and keep, if it was an autosave)."""
        name = name.strip()
        if not name:
            raise StoreError("A saved analysis needs a name.")
        with self._connection() as connection:
            cursor = connection.execute(
                "update analyses set name = ?, autosave = 0 where id = ?", (name, _row_id(analysis_id))
            )
            if cursor.rowcount == 0:
                raise _unknown(analysis_id)

    def delete(self, analysis_id: int) -> None:
        with self._connection() as connection:
            cursor = connection.execute("delete from analyses where id = ?", (_row_id(analysis_id),))
            if cursor.rowcount == 0:
                raise _unknown(analysis_id)


COLUMNS = "id, name, saved_at, dataset, framing, headline, summary, typeof(analysis), autosave"  # as _saved reads them
LIST_NAMED = f"select {COLUMNS} from analyses where autosave = 0 order by id desc"
GET_ONE = f"select {COLUMNS} from analyses where id = ?"
_SUMMARY_SHAPES: dict[str, type | tuple[type, ...]] = {
    "narrative": str,
    "params": dict,
    "models": list,
    "recommended": (dict, type(None)),
    "status_quo_rule": (dict, type(None)),
    "direction": str,
}


def _summary(text: object) -> dict[str, Any] | None:
    """The stored JSON summary, or None when it is not what Payoff writes (not JSON, a list, a
    field of the wrong kind): the list and the Saved page read these fields."""
    if not isinstance(text, str | bytes):
        return None
    try:
        summary = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(summary, dict):
        return None
    for key, kind in _SUMMARY_SHAPES.items():
        if key in summary and not isinstance(summary[key], kind):
            return None
    if not all(isinstance(m, dict) and isinstance(m.get("name"), str) for m in summary.get("models", [])):
        return None
    numbers = [(summary.get("recommended") or {}).get("gain")]
    numbers += [v for v in summary.get("params", {}).values() if not isinstance(v, dict)]
    if not all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in numbers):
        return None
    return summary


def _damaged(analysis_id: object, why: str) -> DamagedRow:
    return DamagedRow(
        f"Saved analysis {analysis_id} is damaged ({why}), so it cannot be shown. 'payoff saved delete "
        f"{analysis_id}' (or Delete on the Saved page) removes it; the others are not affected."
    )


def _saved(row: tuple[Any, ...]) -> Saved:
    analysis_id = row[0]
    summary = _summary(row[6])
    if summary is None:
        raise _damaged(analysis_id, "its summary is not the JSON object Payoff writes")
    if not all(isinstance(value, str) for value in row[1:6]) or row[7] not in ("blob", "null"):
        raise _damaged(analysis_id, "a field holds the wrong kind of value")
    return Saved(analysis_id, row[1], row[2], row[3], row[4], row[5], summary, row[7] == "blob", bool(row[8]))
