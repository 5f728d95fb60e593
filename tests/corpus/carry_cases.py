"""The bad-input corpus for the inputs that carry an analysis away: a file of current entities to
score (targeting's Decisions page and `payoff decide --score`), the saved-analyses database file
(`PAYOFF_DB`), a saved analysis's own bytes, and the `?analysis=` of a link. Each case names the
words its message must contain; none may show a traceback or lose the session."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from payoff.runtime import samples


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

NOT_A_LINK = (
    "The link's analysis '{}' is not a Payoff link (they end in ?analysis= and 32 letters and digits). Copy the "
    "link again from the Saved page or from the address of the page that showed it."
)
BY_NUMBER = (
    "The link names analysis {} by its number, which links no longer do: numbers can be guessed and name another "
    "analysis once the saved-analyses file is replaced. Open it from the Saved page; its link there carries the "
    "analysis's own token."
)
NO_SUCH_TOKEN = (
    "No saved analysis you can open has this link's token: it was deleted, it belongs to someone who has not "
    "shared it with the team, or the saved-analyses file was replaced since the link was made. Ask whoever sent "
    "the link to share the analysis with the team (Saved page) and send its link again."
)
FORGED_TOKEN = "5f0c" * 8  # the shape of a token, naming nothing

# ?analysis= values and the one line each gives (an empty saved-analyses file). Another user's token
# and a token from a replaced file give NO_SUCH_TOKEN too: tests/corpus/owner_cases.py makes them.
LINK_CASES = [
    ("abc", NOT_A_LINK.format("abc")),
    ("<b>x</b>" + "y" * 60, NOT_A_LINK.format("<b>x</b>" + "y" * 32 + "...")),
    ("999", BY_NUMBER.format("999")),  # what links carried before tokens
    ("-1", BY_NUMBER.format("-1")),
    ("99999999999999999999", BY_NUMBER.format("99999999999999999999")),  # past SQLite's ids
    (FORGED_TOKEN, NO_SUCH_TOKEN),
]
