"""Saved analyses: a summary of each run (its money figures, settings and narrative) in SQLite,
so a team can reopen and compare results without refitting. The fitted models are not stored."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from payoff.errors import PayoffError

SCHEMA = """
create table if not exists analyses (
    id integer primary key autoincrement,
    name text not null,
    saved_at text not null,
    dataset text not null,
    framing text not null,
    summary text not null
)
"""


def default_path() -> Path:
    """$PAYOFF_DB, else ~/.payoff/analyses.sqlite."""
    override = os.environ.get("PAYOFF_DB")
    return Path(override) if override else Path.home() / ".payoff" / "analyses.sqlite"


@dataclass(frozen=True)
class Saved:
    id: int
    name: str
    saved_at: str
    dataset: str
    framing: str
    summary: dict[str, Any]


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path)
        connection.execute(SCHEMA)
        return connection

    def save(self, name: str, dataset: str, summary: dict[str, Any]) -> int:
        name = name.strip()
        if not name:
            raise PayoffError("Give the analysis a name before saving it.")
        with self._connect() as connection:
            cursor = connection.execute(
                "insert into analyses (name, saved_at, dataset, framing, summary) values (?, ?, ?, ?, ?)",
                (
                    name,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    dataset,
                    str(summary.get("framing", "")),
                    json.dumps(summary, default=str),
                ),
            )
            return int(cursor.lastrowid or 0)

    def list(self) -> list[Saved]:
        with self._connect() as connection:
            rows = connection.execute(
                "select id, name, saved_at, dataset, framing, summary from analyses order by id desc"
            ).fetchall()
        return [Saved(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def delete(self, analysis_id: int) -> None:
        with self._connect() as connection:
            connection.execute("delete from analyses where id = ?", (analysis_id,))
