"""The saved-analyses file itself: its schema and migrations, what went wrong with it in words
that fit (full, read-only, locked, missing, damaged), and the summary a row holds, read as
untrusted input (a row written past Payoff is skipped, never the end of a list). Messages never
show the file's path (they reach browsers): they name PAYOFF_DB, which whoever runs Payoff knows.

Schema history, kept in ``PRAGMA user_version``:
1. the JSON summary only (Payoff up to issue 8): its rows stay listed and say they cannot be
   reopened;
2. the analysis's bytes, its headline and the autosave flag;
3. ownership (issue 18): every row has an unguessable ``token`` (what links carry: it names the
   same analysis in a restored backup and nothing in another file), an ``owner`` (null: saved in
   single-user mode or before owners existed) and a ``shared`` flag (shared with the team). Rows
   migrated from schema 2 get a fresh token each and no owner."""

from __future__ import annotations

import errno
import json
import sqlite3
from typing import Any

from payoff.errors import PayoffError
from payoff.framings.base import Direction

SCHEMA_VERSION = 3
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
    autosave integer not null default 0,
    token text not null default (lower(hex(randomblob(16)))),
    owner text,
    shared integer not null default 0
)
"""
INDEXES = (
    "create unique index analyses_token on analyses (token)",
    "create index analyses_owner on analyses (owner, autosave, id)",
)
MIGRATE_1_TO_2 = (
    "alter table analyses add column headline text not null default ''",
    "alter table analyses add column analysis blob",
    "alter table analyses add column autosave integer not null default 0",
)
# SQLite cannot add a column whose default is computed, so schema 3 is a new table the rows are
# copied into (each gets its own random token from the default); ids are kept, and so is the
# highest id ever given, so a deleted analysis's number is never given again.
KEEP_AS_V2 = "alter table analyses rename to analyses_v2"
COPY_V2 = (
    "insert into analyses (id, name, saved_at, dataset, framing, headline, summary, analysis, autosave) "
    "select id, name, saved_at, dataset, framing, headline, summary, analysis, autosave from analyses_v2"
)
DROP_V2 = "drop table analyses_v2"
LAST_ID = "select seq from sqlite_sequence where name = ?"
FORGET_LAST_ID = "delete from sqlite_sequence where name = 'analyses'"
KEEP_LAST_ID = "insert into sqlite_sequence (name, seq) values ('analyses', ?)"
TABLE_EXISTS = "select 1 from sqlite_master where type = 'table' and name = 'analyses'"


class StoreError(PayoffError):
    kind = "saved_analyses"


def ensure_schema(connection: sqlite3.Connection) -> None:
    """Create the table, or bring an older file to this schema, inside the caller's transaction;
    a file from a newer Payoff is refused."""
    version = int(connection.execute("pragma user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{WHERE} was written by a newer Payoff (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}). Upgrade Payoff, or set PAYOFF_DB to another file."
        )
    if version == SCHEMA_VERSION:
        return
    if not connection.execute(TABLE_EXISTS).fetchone():
        connection.execute(CREATE)
        for statement in INDEXES:
            connection.execute(statement)
    else:
        if version < 2:  # schema 1 had no user_version (0) or 1
            for statement in MIGRATE_1_TO_2:
                connection.execute(statement)
            for row_id, summary in connection.execute("select id, summary from analyses").fetchall():
                connection.execute(
                    "update analyses set headline = ? where id = ?", (headline_of(summary_of(summary) or {}), row_id)
                )
        _to_3(connection)
    connection.execute(f"pragma user_version = {SCHEMA_VERSION:d}")


def _to_3(connection: sqlite3.Connection) -> None:
    last = connection.execute(LAST_ID, ("analyses",)).fetchone()
    connection.execute(KEEP_AS_V2)
    connection.execute(CREATE)
    connection.execute(COPY_V2)
    connection.execute(DROP_V2)
    for statement in INDEXES:
        connection.execute(statement)
    top = int(connection.execute("select coalesce(max(id), 0) from analyses").fetchone()[0])
    highest = max(int(last[0]) if last else 0, top)
    connection.execute(FORGET_LAST_ID)
    if highest:
        connection.execute(KEEP_LAST_ID, (highest,))


def failure(error: BaseException, busy_seconds: float) -> StoreError:
    """What went wrong with the file, in words that fit it: full, read-only, locked (for longer
    than `busy_seconds`), missing or damaged (SQLite's own result code, or the system's error
    number)."""
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
            f"{WHERE} stayed locked by another program for {busy_seconds:g} s (a backup, or a stuck "
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


def headline_of(summary: dict[str, Any]) -> str:
    """One line for a list: Payoff's choice and its gain."""
    recommended = summary.get("recommended") or {}
    gain = recommended.get("gain") if isinstance(recommended, dict) else None
    if not isinstance(gain, int | float) or isinstance(gain, bool):
        return ""
    word = "saves" if summary.get("direction") == Direction.COST else "gains"
    return f"{recommended.get('model', '')} {word} {gain:,.0f}"


_SUMMARY_SHAPES: dict[str, type | tuple[type, ...]] = {
    "narrative": str,
    "params": dict,
    "models": list,
    "recommended": (dict, type(None)),
    "status_quo_rule": (dict, type(None)),
    "direction": str,
}


def summary_of(text: object) -> dict[str, Any] | None:
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
    gain = (summary.get("recommended") or {}).get("gain")
    if not (gain is None or (isinstance(gain, int | float) and not isinstance(gain, bool))):
        return None
    # A parameter is a number, a yes or no, delivery days in words ("Mon, Thu"), or a column's entry.
    if not all(v is None or isinstance(v, int | float | str | dict) for v in summary.get("params", {}).values()):
        return None
    return summary
