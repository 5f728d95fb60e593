"""Errors a user can cause and fix. ``str(error)`` is a message for a person: what is wrong,
where, and what to do about it. Pages show these with ``st.error``; the CLI prints one line and
exits 2. Anything else escaping the library is a bug."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class PayoffError(Exception):
    """Something the user can fix; ``str()`` says what and how."""

    kind = "error"


class UnreadableFile(PayoffError):
    """The bytes cannot be turned into a table."""

    kind = "unreadable"


class EmptyFile(UnreadableFile):
    kind = "empty"


class FileTooLarge(UnreadableFile):
    kind = "too_large"


class UnsupportedFormat(UnreadableFile):
    kind = "unsupported_format"


class BinaryFile(UnreadableFile):
    kind = "binary"


class UnterminatedQuote(UnreadableFile):
    kind = "unterminated_quote"


class RaggedRows(UnreadableFile):
    kind = "ragged_rows"


class TooManyColumns(UnreadableFile):
    kind = "too_many_columns"


class NoData(UnreadableFile):
    """A header but no data rows."""

    kind = "no_rows"


class BadMapping(PayoffError):
    """Column roles that cannot work for the chosen framing."""

    kind = "bad_mapping"


class BadParameter(PayoffError):
    """A business parameter of the wrong kind or out of range."""

    kind = "bad_parameter"


class NotEnoughData(PayoffError):
    """Too little history or too few events to fit and evaluate honestly."""

    kind = "not_enough_data"


class ComputeError(PayoffError):
    """The chosen place to compute cannot be used (no dask extra, no scheduler at the address, a
    bad PAYOFF_WORKERS)."""


# Where on the Problem page a problem belongs: the choice to change to fix it.
TARGET, FEATURES, SEGMENT = "target", "features", "segment"  # chosen on the Data page
PARAMS, STATUS_QUO, DESIGN, MODELS = "params", "status_quo", "design", "models"  # on the Problem page
MISSING, INVALID = "missing", "invalid"


@dataclass(frozen=True)
class ProblemItem:
    """One thing to fix: the choice it belongs to (`field`: one of the names above, or
    "params.KEY" for one parameter), why (`code`: a number only the user knows is `missing`,
    else the choice is `invalid`) and what to do, in a sentence."""

    field: str
    message: str
    code: str = INVALID


class ProblemErrors(PayoffError):
    """Every problem with a framing, its parameters and the columns it needs, found at once (like a
    lazy validator) so the user fixes them in one go instead of one per run. Each is a
    `ProblemItem`, so a page can show it beside the choice that fixes it."""

    kind = "problem"

    def __init__(self, problems: Sequence[str | ProblemItem], missing: tuple[Any, ...] = ()) -> None:
        """`missing` holds the parameters (``framings.base.Param``) only the user can give that
        are still missing (their items are among `problems`); each front end also asks for
        them in its own way (a field on the Problem page, ``--set KEY=VALUE`` on the command line)."""
        self.missing = tuple(missing)
        self.items = tuple(p if isinstance(p, ProblemItem) else ProblemItem("", p) for p in problems)
        self.problems = tuple(item.message for item in self.items)
        messages = self.problems
        if len(messages) == 1:
            text = messages[0]
        else:
            text = f"{len(messages)} things to fix: " + " ".join(f"({i}) {m}" for i, m in enumerate(messages, 1))
        super().__init__(text)
