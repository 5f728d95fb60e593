"""The bad-input corpus for the inputs that carry an analysis away: a file of current entities to
score (targeting's Decisions page and `payoff decide --score`), the saved-analyses database file
(`PAYOFF_DB`), a saved analysis's own bytes, and the `?analysis=` of a link. Each case names the
words its message must contain; none may show a traceback or lose the session."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from payoff import samples


@dataclass(frozen=True)
class Bad:
    name: str
    content: bytes
    says: tuple[str, ...]


def _history() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(samples.sample_bytes("churn_customers")))


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def current_file_cases() -> list[Bad]:
    """Files of current customers for an analysis of the churn sample."""
    now = _history().drop(columns=["churned"]).head(40)
    text_in_numbers = now.assign(tenure_months=[f"{m} months" for m in now["tenure_months"]])
    return [
        Bad("missing_two.csv", _csv(now.drop(columns=["tenure_months", "region"])), ("lacks 2 column", "'region'")),
        Bad("other_file.csv", b"date,units\n2024-01-01,3\n", ("lacks", "'tenure_months'", "churn_customers.csv")),
        Bad("header_only.csv", _csv(now.head(0)), ("no data rows",)),
        Bad("text_in_numbers.csv", _csv(text_in_numbers), ("'tenure_months' (row 1: '", "Fix those cells")),
        Bad("binary.csv", bytes(range(256)) * 8, ("binary",)),
        Bad("empty.csv", b"", ("empty",)),
    ]


DATABASE_CASES = [
    Bad("text.sqlite", b"this is not a database at all\n" * 200, ("damaged or not a Payoff database", "PAYOFF_DB")),
    Bad("truncated.sqlite", b"SQLite format 3\x00" + b"\x10\x00" + b"\xff" * 4000, ("damaged or not a Payoff",)),
]

ANALYSIS_BYTES_CASES = [
    Bad("not_a_zip", b"hello", ("damaged and cannot be opened",)),
    Bad("zip_without_manifest", b"PK\x05\x06" + b"\x00" * 18, ("damaged and cannot be opened",)),
]

LINK_CASES = [
    ("abc", "not an analysis number"),
    ("999", "no saved analysis 999"),
    ("-1", "no saved analysis -1"),
    ("99999999999999999999", "There is no saved analysis 99999999999999999999;"),  # past SQLite's ids
]
