"""Saved analyses in SQLite: each row holds the whole Analysis (its :mod:`payoff.carry.serial` bytes:
problem, table, kept predictions), so it reopens exactly with no refit, and the JSON summary
`payoff analyze` prints, so a list or a comparison never has to unpack an analysis.

The file lives at ``$PAYOFF_DB`` (default ``~/.payoff/analyses.sqlite``), in WAL mode so readers
never block the one writer, with its schema version in ``PRAGMA user_version`` (payoff.carry.store_file:
a file from an older Payoff is migrated in one transaction, one from a newer Payoff is refused).
Every statement is parameterised. Autosaves (what a browser reload or a link reopens) are rows like
any other, hidden from the list and pruned to the newest few of each user.

Each analysis belongs to the user who saved it (payoff.runtime.owners). A `Store` opened for a user sees,
opens, renames and deletes that user's own analyses and the named ones shared with the team; one
opened for nobody (``user=None``: single-user mode, and the command line without PAYOFF_USER) sees
the whole file. Links name an analysis by its token, 32 random hex digits: it cannot be guessed
from another, and after the file is replaced it names the same analysis (a restored backup) or
none, never another one. What cannot be opened is one message, whatever the reason (no such
analysis, another user's, another file's): a link says nothing about what others saved.

The file is untrusted input too (a restored backup, a shared file): a row whose summary is not a
JSON object, or whose analysis is not bytes, is skipped by the list and named, never the end of
it; ids outside SQLite's range are refused like unknown ones."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from payoff.analysis import Analysis
from payoff.carry import serial
from payoff.carry.store_file import SCHEMA_VERSION, StoreError, ensure_schema, failure, headline_of, summary_of
from payoff.runtime.settings import Settings

__all__ = ["SCHEMA_VERSION", "BadLink", "DamagedRow", "Saved", "Store", "StoreError", "UnknownAnalysis", "headline_of"]

KEEP_AUTOSAVES = 50  # per user
BUSY_TIMEOUT_SECONDS = 30.0
LARGEST_ID = 2**63 - 1  # SQLite's integer ids
TOKEN = re.compile(r"[0-9a-f]{32}")
NUMBER = re.compile(r"[+-]?\d+")


class UnknownAnalysis(StoreError):
    kind = "unknown_analysis"


class DamagedRow(StoreError):
    kind = "damaged_saved_analysis"


class BadLink(StoreError):
    kind = "bad_link"


def _unknown(analysis_id: object) -> UnknownAnalysis:
    return UnknownAnalysis(f"There is no saved analysis {analysis_id}; 'payoff saved' lists them.")


NO_SUCH_TOKEN = (
    "No saved analysis you can open has this link's token: it was deleted, it belongs to someone who has not "
    "shared it with the team, or the saved-analyses file was replaced since the link was made. Ask whoever sent "
    "the link to share the analysis with the team (Saved page) and send its link again."
)


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


def new_token() -> str:
    return secrets.token_hex(16)


def link_token(raw: str) -> str:
    """The token a link's ``?analysis=`` carries. A number (what links carried before tokens:
    numbers are guessable, and name another analysis once the file is replaced) or anything else
    is refused with what to do."""
    text = raw.strip().lower()
    if TOKEN.fullmatch(text):
        return text
    if NUMBER.fullmatch(text):
        raise BadLink(
            f"The link names analysis {_shown(raw.strip())} by its number, which links no longer do: numbers can be "
            "guessed and name another analysis once the saved-analyses file is replaced. Open it from the Saved "
            "page; its link there carries the analysis's own token."
        )
    raise BadLink(
        f"The link's analysis '{_shown(raw.strip())}' is not a Payoff link (they end in ?analysis= and 32 letters "
        "and digits). Copy the link again from the Saved page or from the address of the page that showed it."
    )


def reference(text: str) -> int | str:
    """An analysis named on the command line: its number (as 'payoff saved' lists it) or the
    token its link ends with."""
    cleaned = text.strip().lower()
    if NUMBER.fullmatch(cleaned):
        return int(cleaned)
    if TOKEN.fullmatch(cleaned):
        return cleaned
    raise UnknownAnalysis(
        f"'{_shown(text.strip())}' names no saved analysis: give its number ('payoff saved' lists them) or the "
        "token its link ends with."
    )


def _match(ref: int | str) -> dict[str, Any]:
    """The parameters naming one row: by id (any other number names none, never an
    OverflowError) or by token."""
    if isinstance(ref, str):
        if not TOKEN.fullmatch(ref):
            raise UnknownAnalysis(NO_SUCH_TOKEN)
        return {"id": None, "token": ref}
    if isinstance(ref, bool) or not isinstance(ref, int) or not 0 < ref <= LARGEST_ID:
        raise _unknown(ref)
    return {"id": ref, "token": None}


def _not_found(ref: int | str) -> UnknownAnalysis:
    return UnknownAnalysis(NO_SUCH_TOKEN) if isinstance(ref, str) else _unknown(ref)


def default_path() -> Path:
    """$PAYOFF_DB, else ~/.payoff/analyses.sqlite."""
    return Settings.from_env().database


@dataclass(frozen=True)
class Saved:
    """One saved analysis, without its (large) analysis bytes. `token` is what its link carries;
    `owner` is None for an analysis saved in single-user mode (or before owners existed)."""

    id: int
    name: str
    saved_at: str
    dataset: str
    framing: str
    headline: str
    summary: dict[str, Any]
    reopenable: bool
    autosave: bool
    token: str = ""
    owner: str | None = None
    shared: bool = False


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


class Store:
    """The saved analyses `user` may see (None: every one; see the module's docstring)."""

    def __init__(self, path: Path | None = None, user: str | None = None) -> None:
        self.path = path or default_path()
        self.user = user

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed on success, rolled back on any error."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise failure(error, BUSY_TIMEOUT_SECONDS) from error
        try:
            connection.execute("pragma journal_mode=wal")
            connection.execute("pragma synchronous=normal")
            connection.execute("begin immediate")
            ensure_schema(connection)
            yield connection
            connection.execute("commit")
        except sqlite3.DatabaseError as error:
            if connection.in_transaction:
                connection.execute("rollback")
            raise failure(error, BUSY_TIMEOUT_SECONDS) from error
        except BaseException:
            if connection.in_transaction:
                connection.execute("rollback")
            raise
        finally:
            connection.close()

    def _params(self, ref: int | str, **more: Any) -> dict[str, Any]:
        return {**_match(ref), "user": self.user, **more}

    def save(
        self,
        name: str,
        analysis: Analysis,
        summary: dict[str, Any],
        dataset: str | None = None,
        autosave: bool = False,
    ) -> int:
        """Store the whole analysis and its JSON summary as this user's; returns its id. Autosaves
        beyond the newest KEEP_AUTOSAVES of this user are dropped."""
        name = name.strip()
        if not name:
            raise StoreError("Give the analysis a name before saving it.")
        content = serial.to_bytes(analysis)  # before the transaction: the write lock is held briefly
        row = {
            "name": name,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "dataset": dataset if dataset is not None else analysis.problem.source,
            "framing": analysis.problem.framing.key,
            "headline": headline_of(summary),
            "summary": json.dumps(summary, sort_keys=True, allow_nan=False),
            "analysis": content,
            "autosave": int(autosave),
            "token": new_token(),
            "owner": self.user,
        }
        with self._connection() as connection:
            new_id = int(connection.execute(INSERT, row).lastrowid or 0)
            if autosave:
                connection.execute(PRUNE, {"user": self.user, "keep": KEEP_AUTOSAVES})
        return new_id

    def list(self) -> list[Saved]:
        """Named analyses, newest first (autosaves are not listed); damaged rows are left out."""
        return self.listing().saved

    def listing(self) -> Listing:
        """Named analyses, newest first, and the ids of damaged rows skipped (said, not hidden)."""
        with self._connection() as connection:
            rows = connection.execute(LIST_NAMED, {"user": self.user}).fetchall()
        saved, skipped = [], []
        for row in rows:
            try:
                saved.append(_saved(row))
            except DamagedRow:
                skipped.append(row[0])
        return Listing(saved, tuple(skipped))

    def get(self, ref: int | str) -> Saved:
        """One saved analysis (named or autosaved), by its id or its link's token, without its
        analysis bytes."""
        with self._connection() as connection:
            row = connection.execute(GET_ONE, self._params(ref)).fetchone()
        if row is None:
            raise _not_found(ref)
        return _saved(row)

    def open(self, ref: int | str) -> Analysis:
        """The analysis exactly as it was saved (re-priced from its kept predictions, no refit);
        its bytes are checked as untrusted input before anything is built (payoff.carry.serial_check)."""
        with self._connection() as connection:
            row = connection.execute(GET_BLOB, self._params(ref)).fetchone()
        if row is None:
            raise _not_found(ref)
        content, analysis_id = row
        if content is None:
            raise StoreError(
                f"Analysis {analysis_id} was saved by an older Payoff as a summary only; its numbers can be shown "
                "but not reopened. Run it again and save it to reopen it."
            )
        if not isinstance(content, bytes):
            raise _damaged(analysis_id, "its analysis is stored as text, not as bytes")
        return serial.from_bytes(content)

    def rename(self, ref: int | str, name: str) -> None:
        """Rename (and keep, if it was an autosave)."""
        name = name.strip()
        if not name:
            raise StoreError("A saved analysis needs a name.")
        with self._connection() as connection:
            if connection.execute(RENAME, self._params(ref, name=name)).rowcount == 0:
                raise _not_found(ref)

    def delete(self, ref: int | str) -> None:
        with self._connection() as connection:
            if connection.execute(DELETE, self._params(ref)).rowcount == 0:
                raise _not_found(ref)

    def share(self, ref: int | str, shared: bool) -> None:
        """Share a named analysis with the team (everyone signed in sees, opens, renames and
        deletes it), or take it back. Only its owner can (or a store opened for nobody: single-user
        mode, the command line without PAYOFF_USER)."""
        with self._connection() as connection:
            row = connection.execute(OWNER_OF, self._params(ref)).fetchone()
            if row is None:
                raise _not_found(ref)
            owner, name, autosave = row
            if autosave:
                raise StoreError(f"'{name}' is not saved under a name yet: save it, then share it.")
            if self.user is not None and owner != self.user:
                raise StoreError(f"Only {owner or 'whoever runs Payoff'} can change whether '{name}' is shared.")
            connection.execute(SHARE, self._params(ref, shared=int(shared)))


# Who sees a row: everyone when the store is opened for nobody (single-user mode, the operator's
# command line); else its owner, and the team for a named row shared with it.
VISIBLE = "(:user is null or owner = :user or (shared = 1 and autosave = 0))"
MATCH = "(id = :id or token = :token)"
COLUMNS = "id, name, saved_at, dataset, framing, headline, summary, typeof(analysis), autosave, token, owner, shared"
INSERT = (
    "insert into analyses (name, saved_at, dataset, framing, headline, summary, analysis, autosave, token, owner) "
    "values (:name, :saved_at, :dataset, :framing, :headline, :summary, :analysis, :autosave, :token, :owner)"
)
PRUNE = (
    "delete from analyses where autosave = 1 and owner is :user and id not in "
    "(select id from analyses where autosave = 1 and owner is :user order by id desc limit :keep)"
)
LIST_NAMED = f"select {COLUMNS} from analyses where autosave = 0 and {VISIBLE} order by id desc"
GET_ONE = f"select {COLUMNS} from analyses where {MATCH} and {VISIBLE}"
GET_BLOB = f"select analysis, id from analyses where {MATCH} and {VISIBLE}"
RENAME = f"update analyses set name = :name, autosave = 0 where {MATCH} and {VISIBLE}"
DELETE = f"delete from analyses where {MATCH} and {VISIBLE}"
OWNER_OF = f"select owner, name, autosave from analyses where {MATCH} and {VISIBLE}"
SHARE = f"update analyses set shared = :shared where {MATCH} and {VISIBLE}"


def _damaged(analysis_id: object, why: str) -> DamagedRow:
    return DamagedRow(
        f"Saved analysis {analysis_id} is damaged ({why}), so it cannot be shown. 'payoff saved delete "
        f"{analysis_id}' (or Delete on the Saved page) removes it; the others are not affected."
    )


def _saved(row: tuple[Any, ...]) -> Saved:
    analysis_id = row[0]
    summary = summary_of(row[6])
    if summary is None:
        raise _damaged(analysis_id, "its summary is not the JSON object Payoff writes")
    if (
        not all(isinstance(value, str) for value in row[1:6])
        or row[7] not in ("blob", "null")
        or not isinstance(row[9], str)
        or not isinstance(row[10], str | None)
    ):
        raise _damaged(analysis_id, "a field holds the wrong kind of value")
    name, saved_at, dataset, framing, headline = row[1:6]
    return Saved(
        analysis_id,
        name,
        saved_at,
        dataset,
        framing,
        headline,
        summary,
        row[7] == "blob",
        bool(row[8]),
        row[9],
        row[10],
        bool(row[11]),
    )
