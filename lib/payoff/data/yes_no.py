"""Two-valued words: which of an outcome's two values is the event (the churn, the default), and
yes/no text as 1/0 where a regressor is written Y/N."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

# An outcome of up to this many values (Completed, Late, No-show) is one of them, the event, against the rest.
MOST_OUTCOME_VALUES = 10
YES_NO = {"yes", "no", "true", "false", "y", "n", "t", "f", "1", "0", "1.0", "0.0"}
NO_WORDS = {"no", "false", "n", "f", "0", "0.0"}
# What a decision column says when the business acted ('approved', 'contacted'): anything else is not.
TRUTHY = {"1", "1.0", "yes", "true", "y", "t", "contacted", "approved", "reviewed"}
# A yes/no column named for the good outcome: its event (churn, default) is the no.
_GOOD_OUTCOME = re.compile(r"renew|retain|repaid|repay|stayed|paid[\s_]?back|still[\s_]active", re.I)
EVENT_WORDS = {
    "yes",
    "true",
    "1",
    "y",
    "churn",
    "churned",
    "default",
    "fraud",
    "bad",
    "positive",
    "converted",
    "won",
    "cancelled",
    "canceled",
    "lapsed",
    "no-show",
    "no show",
    "noshow",
    "did not attend",
    "dna",
    "2",
}


def positive_class(series: pd.Series, name: str = "") -> str:
    """The value that reads as the event (yes/true/churn/default...), else 1 of 0/1, else the rarer.
    A column named for the good outcome ('Renewed', 'repaid') with yes/no values has its event on
    the no: the customer who did not renew is the one who churned."""
    counts = series.value_counts()  # counted as they are, then named: a million strings once cost 0.3 s a page run
    counts.index = counts.index.astype("str")
    lowered = {value: value.strip().lower() for value in counts.index}
    if named_for_the_good_outcome(series, name):
        return next(str(value) for value in counts.index if lowered[value] in NO_WORDS)
    words = [value for value in counts.index if lowered[value] in EVENT_WORDS - {"1", "2"}]
    if words:
        return str(words[0])
    for value in counts.index:
        if lowered[value] in {"1", "1.0"} and set(lowered.values()) <= {"0", "1", "0.0", "1.0"}:
            return str(value)
    return str(counts.index[-1])


def yes_no_as_numbers(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The text columns among `columns` that hold only yes/no words ('Y'/'N', 'true'/'false') as
    1/0, so that a planned promotion written Y/N is learned from like a 0/1 one (blanks stay
    unknown); every other column as it is."""
    recoded = {}
    for column in columns:
        if column not in table:
            continue
        series = table[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        distinct = {str(value).strip().lower() for value in series.dropna().unique()}
        if not distinct or not distinct <= YES_NO:
            continue  # checked on the distinct values: most text columns stop here, at no cost a row
        words = series.astype("str").str.strip().str.lower()
        recoded[column] = (~words.isin(NO_WORDS)).astype("float64").where(series.notna())
    return table.assign(**recoded) if recoded else table


def named_for_the_good_outcome(series: pd.Series, name: str) -> bool:
    """A yes/no column whose name says the good outcome happened (renewed, retained, repaid)."""
    if not _GOOD_OUTCOME.search(name):
        return False
    values = {str(v).strip().lower() for v in series.dropna().unique()}
    return len(values) == 2 and values <= YES_NO and bool(values & NO_WORDS)
