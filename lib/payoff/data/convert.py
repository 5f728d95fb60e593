"""Give text columns their real types: numbers written with currency, percent, thousands groups
or a decimal comma; dates in any one common format (mixed formats are reported, not mixed);
times of day; integer-coded dates such as 991031 in a column named ``date``."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from payoff.data.date_formats import cover_formats, detect_date_formats, format_label
from payoff.data.money_columns import CURRENCY, CURRENCY_NOTE

NULL_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "#n/a", "-", "--", "—", "–", "n.a.", "missing", "#value!"})
ARROW_NULLS = [
    "",
    "NA",
    "N/A",
    "n/a",
    "na",
    "NaN",
    "nan",
    "NULL",
    "null",
    "#N/A",
    "-",
    "--",
    "—",
    "–",
]
MOSTLY_NUMERIC = 0.95
_STRIP_FOR_NUMBER = r"[()$€£¥%\s\u00a0+]"
_DATE_SHAPE = re.compile(
    r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|^\d{1,2}[-/ ][A-Za-z]{3}|^[A-Za-z]{3,9}\.? \d{1,2}|^\d{4}-\d{2}$"
)
# An ISO time with its zone: 'Z' (UTC) or an offset from UTC ('+02:00', '-0500').
ZONED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$")
_ZONE = r"\s*(Z|[+-]\d{2}:?\d{2})$"
_TIME_SHAPE = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_DATE_NAME = re.compile(r"date|^day$|^dt$|yyyymmdd|yymmdd|^period$", re.I)


@dataclass(frozen=True)
class ColumnType:
    name: str
    kind: str  # number | integer | text | date | time | boolean | empty
    detail: str = ""


@dataclass(frozen=True)
class LoadIssue:
    """Something about the file the user should know; rows are 1-based file lines."""

    kind: str
    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()


def _describe_rows(lines: list[int], values: list[str] | None = None, limit: int = 5) -> str:
    shown = []
    for i, line in enumerate(lines[:limit]):
        shown.append(f"line {line}" + (f" ({values[i]!r})" if values else ""))
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return ", ".join(shown) + more


def _clean(text: pd.Series) -> pd.Series:
    stripped = text.str.strip()
    return stripped.where(~stripped.str.lower().isin(NULL_TOKENS))


def clean_text(series: pd.Series) -> pd.Series:
    """Strip padding and turn the usual missing-value spellings into real missing values."""
    text = series if pd.api.types.is_string_dtype(series) else series.astype("str").where(series.notna())
    probe = text.head(10_000).dropna()
    if probe.nunique() >= len(probe) // 2:  # ids, notes: nearly every value distinct, clean them all
        return _clean(text)
    uniques = pd.Series(text.dropna().unique(), dtype=text.dtype)
    if len(uniques) < len(text) // 2 and _clean(uniques).equals(uniques):
        return text  # already clean: checking the distinct values is much cheaper than every row
    return _clean(text)


def to_number(text: pd.Series, decimal: str, thousands: str | None) -> tuple[pd.Series, list[str]]:
    """Parse cleaned text as numbers; return values (NaN where unparseable) and notes."""
    notes: list[str] = []
    negative = text.str.startswith("(", na=False) & text.str.endswith(")", na=False)
    percent = text.str.endswith("%", na=False)
    if text.str.contains(CURRENCY, na=False).any():
        notes.append(CURRENCY_NOTE)
    if percent.any():
        notes.append("percentages read as fractions (12.5% → 0.125)")
    if negative.any():
        notes.append("(brackets) read as negative")
    plain = text.str.replace(_STRIP_FOR_NUMBER, "", regex=True)
    if thousands and thousands.strip():
        plain = plain.str.replace(thousands, "", regex=False)
    if decimal == ",":
        plain = plain.str.replace(",", ".", regex=False)
    values = pd.to_numeric(plain, errors="coerce").astype("float64")
    values = values.where(np.isfinite(values))  # "inf", "1e999": not a number to learn from, a missing one
    values = values.where(~negative, -values)
    values = values.where(~percent, values / 100)
    return values, notes


_COMMA_DECIMAL = re.compile(r"^-?\(?\d{1,3}(\.\d{3})*(,\d+)?\)?$|^-?\d+,\d+$")
_POINT_DECIMAL = re.compile(r"^-?\(?\d{1,3}(,\d{3})*(\.\d+)?\)?$|^-?\d+\.\d+$")


def _other_marks(probe: pd.Series, ctx: TypingContext) -> tuple[str, str] | None:
    """The other convention's (decimal, thousands) marks where every sampled value is a number
    written that way and some value has the decimal mark: a workbook's text cells of euros
    ('1.754,98 €') beside a reading of decimal points, or the other way round."""
    plain = probe.str.replace(_STRIP_FOR_NUMBER, "", regex=True)
    decimal, thousands, shape = (",", ".", _COMMA_DECIMAL) if ctx.decimal == "." else (".", ",", _POINT_DECIMAL)
    if plain.empty or not plain.str.match(shape).all():
        return None
    # '1,234' may be a thousands group: a decimal mark needs a value that cannot be one ('12,5', '1.754,98')
    decimals = plain.str.extract(rf"\{decimal}(\d+)\)?$", expand=False).dropna()
    if decimals.empty or (
        (decimals.str.len() == 3).all() and not plain.str.contains(rf"\{thousands}", regex=True).any()
    ):
        return None
    return decimal, thousands


def _numeric_result(values: pd.Series) -> tuple[pd.Series, str]:
    finite = values.dropna()
    if len(finite) and np.all(np.mod(finite.to_numpy(), 1) == 0) and finite.abs().max() < 2**53:
        if values.isna().any():
            return values.astype("Int64"), "integer"
        return values.astype("int64"), "integer"
    return values, "number"


@dataclass(frozen=True)
class TypingContext:
    decimal: str
    thousands: str | None
    dayfirst: bool | None
    date_formats: dict[str, str]
    first_line: int  # file line of the first data row, for messages


def type_column(name: str, series: pd.Series, ctx: TypingContext) -> tuple[pd.Series, ColumnType, list[LoadIssue]]:
    """Decide one column's type and convert it. Infinite numbers are read as missing, and a
    column of dates pandas cannot hold (before 1677 or after 2262) is kept as text: both are said."""
    series, column_type, issues = _type_column(name, series, ctx)
    if column_type.kind == "date":
        return _far_dates(name, series, column_type, issues, ctx)
    if column_type.kind == "number" and pd.api.types.is_float_dtype(series):
        return _infinite(name, series, column_type, issues, ctx)
    return series, column_type, issues


def _far_dates(
    name: str, series: pd.Series, column_type: ColumnType, issues: list[LoadIssue], ctx: TypingContext
) -> tuple[pd.Series, ColumnType, list[LoadIssue]]:
    if series.dt.unit == "ns":  # every value is in the nanosecond range
        return series, column_type, issues
    naive = series.dt.tz_localize(None) if series.dt.tz is not None else series
    far = ((naive < pd.Timestamp.min) | (naive > pd.Timestamp.max)).to_numpy()
    if not far.any():
        return series, column_type, issues
    timed = bool((naive.dropna() != naive.dropna().dt.normalize()).any())
    text = naive.dt.strftime("%Y-%m-%d %H:%M:%S" if timed else "%Y-%m-%d")
    bad = np.flatnonzero(far)
    lines = [ctx.first_line + int(i) for i in bad]
    issue = LoadIssue(
        "far_dates",
        f"Column '{name}' holds {len(bad):,} date(s) before 1677 or after 2262, which Payoff cannot use as dates "
        f"({_describe_rows(lines, [str(text.iloc[i]) for i in bad[:5]])}), so it was read as text. A date such as "
        "9999-12-31 often stands for 'no end date'; leave those cells blank if the column is to be a date.",
        name,
        tuple(lines[:100]),
    )
    return text, ColumnType(name, "text", "dates out of range kept as text"), [*issues, issue]


def _infinite(
    name: str, series: pd.Series, column_type: ColumnType, issues: list[LoadIssue], ctx: TypingContext
) -> tuple[pd.Series, ColumnType, list[LoadIssue]]:
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    infinite = np.isinf(values)
    if not infinite.any():
        return series, column_type, issues
    bad = np.flatnonzero(infinite)
    lines = [ctx.first_line + int(i) for i in bad]
    where = _describe_rows(lines, [str(values[i]) for i in bad[:5]])
    issue = LoadIssue(
        "infinite_values",
        f"Column '{name}' holds {len(bad):,} infinite value(s) ({where}); they were read as missing. Correct them "
        "in the file if they stand for a real amount.",
        name,
        tuple(lines[:100]),
    )
    cleaned, kind = _numeric_result(series.where(~infinite))
    detail = "; ".join(d for d in (column_type.detail, f"{len(bad)} infinite values missing") if d)
    return cleaned, ColumnType(name, kind, detail), [*issues, issue]


def _type_column(name: str, series: pd.Series, ctx: TypingContext) -> tuple[pd.Series, ColumnType, list[LoadIssue]]:
    issues: list[LoadIssue] = []
    if pd.api.types.is_bool_dtype(series):
        return series, ColumnType(name, "boolean"), issues
    if pd.api.types.is_datetime64_any_dtype(series):
        return series, ColumnType(name, "date", "ISO (YYYY-MM-DD)"), issues
    if pd.api.types.is_integer_dtype(series) and _DATE_NAME.search(name):
        converted = _integer_dates(series)
        if converted is not None:
            return converted[0], ColumnType(name, "date", converted[1]), issues
    if pd.api.types.is_numeric_dtype(series):
        kind = "integer" if pd.api.types.is_integer_dtype(series) else "number"
        return series, ColumnType(name, kind), issues
    text = clean_text(series)
    present = text.dropna()
    if present.empty:
        return pd.Series(np.nan, index=series.index, name=name), ColumnType(name, "empty"), issues
    if name in ctx.date_formats:
        return _forced_date(name, text, ctx, issues)
    leading_zero = present.str.match(r"^0\d").any()
    probe = present.head(300)
    probably_numeric = to_number(probe, ctx.decimal, ctx.thousands)[0].notna().mean() >= MOSTLY_NUMERIC
    swapped = None if leading_zero or probably_numeric else _other_marks(probe, ctx)
    if swapped is not None:  # amounts written the other way round from the file's own ('1.754,98 €' in a workbook)
        values, notes = to_number(text, *swapped)
        if values[text.notna()].notna().all():
            written = "a decimal comma" if swapped[0] == "," else "a decimal point"
            values, kind = _numeric_result(values)
            return values, ColumnType(name, kind, "; ".join([*notes, f"written with {written}"])), issues
    if not leading_zero and probably_numeric:
        values, notes = to_number(text, ctx.decimal, ctx.thousands)
        parsed = values.notna() | text.isna()
        share = float(values[text.notna()].notna().mean())
        if share == 1.0:
            values, kind = _numeric_result(values)
            return values, ColumnType(name, kind, "; ".join(notes)), issues
        if share >= MOSTLY_NUMERIC:
            bad = np.flatnonzero(~parsed.to_numpy())
            lines = [ctx.first_line + int(i) for i in bad]
            issues.append(
                LoadIssue(
                    "non_numeric_cells",
                    f"Column '{name}' holds numbers except {len(bad)} cell(s) at "
                    f"{_describe_rows(lines, [str(text.iloc[i]) for i in bad[:5]])}; "
                    "those were read as missing. Correct them in the file if they mean something.",
                    name,
                    tuple(lines[:100]),
                )
            )
            values, kind = _numeric_result(values)
            return (
                values,
                ColumnType(name, kind, "; ".join([*notes, f"{len(bad)} text cells missing"])),
                issues,
            )
    elif leading_zero and present.str.fullmatch(r"\d+").all():
        return (
            text,
            ColumnType(name, "text", "leading zeros kept: an identifier, not a number"),
            issues,
        )
    sample = present.head(50_000).drop_duplicates().head(500)  # the shape of the values, not all of them
    if sample.str.match(ZONED_TIME).all():
        return _zoned_times(name, text, ctx, issues)
    if sample.str.match(_TIME_SHAPE).all():
        padded = text.where(~text.str.fullmatch(r"\d{1,2}:\d{2}", na=False), text + ":00")
        return pd.to_timedelta(padded, errors="coerce"), ColumnType(name, "time", "H:MM:SS"), issues
    if sample.str.match(_DATE_SHAPE).mean() > 0.8:
        formats, ambiguous = detect_date_formats(sample, ctx.dayfirst)
        if formats:
            parsed = pd.to_datetime(text, format=formats[0], errors="coerce")
            failed = parsed.isna() & text.notna()
            if not failed.any():
                detail = format_label(formats[0]) + (
                    " (day/month order guessed; change it if wrong)" if ambiguous else ""
                )
                return parsed, ColumnType(name, "date", detail), issues
        cover = cover_formats(present.drop_duplicates())
        if len(cover) >= 2 or (formats and len(cover) >= 1):
            parts = ", ".join(f"{format_label(f)} ({n} values)" for f, n in cover)
            issues.append(
                LoadIssue(
                    "mixed_date_formats",
                    f"Column '{name}' mixes date formats: {parts}. Payoff keeps it as text rather than "
                    "guess; choose the format to use under 'Reading options' (other rows become missing).",
                    name,
                )
            )
    return text, ColumnType(name, "text"), issues


def _zoned_times(
    name: str, text: pd.Series, ctx: TypingContext, issues: list[LoadIssue]
) -> tuple[pd.Series, ColumnType, list[LoadIssue]]:
    """Times written with their zone, read as the clock shows them: an offset ('+02:00') is the
    place's own clock, so a sale at 00:30 falls on its local day (in UTC it would be the day
    before, and a daily file stamped at local midnight would shift every day by one); 'Z' is UTC's
    clock, the only one such a file gives. Said either way."""
    zones = text.str.extract(_ZONE, expand=False).dropna()
    parsed = pd.to_datetime(text.str.replace(_ZONE, "", regex=True), format="ISO8601", errors="coerce")
    offsets = sorted(set(zones.head(100_000).unique()) - {"Z"})
    if offsets:
        shown = ", ".join(offsets[:3]) + (" ..." if len(offsets) > 3 else "")
        said = (
            f"'{name}' has times written with their offset from UTC ({shown}): read as the clock times written, "
            "so each row falls on its own local day."
        )
    else:
        said = f"'{name}' has times with a time zone (UTC): read as clock times in UTC."
    issues = [*issues, LoadIssue("time_zone", said, name)]
    issues += _unread_dates(name, text, parsed, ctx, "value(s) are not times Payoff can read")
    return parsed, ColumnType(name, "date", "ISO with time zone, clock as written"), issues


def _unread_dates(name: str, text: pd.Series, parsed: pd.Series, ctx: TypingContext, why: str) -> list[LoadIssue]:
    """The cells of a date column that were written but could not be read, said with their lines."""
    bad = np.flatnonzero((parsed.isna() & text.notna()).to_numpy())
    if not len(bad):
        return []
    lines = [ctx.first_line + int(i) for i in bad]
    where = _describe_rows(lines, [str(text.iloc[i]) for i in bad[:5]])
    said = f"{len(bad):,} {why} in '{name}' and were read as missing: {where}."
    return [LoadIssue("date_cells_missing", said, name, tuple(lines[:100]))]


def _forced_date(name: str, text: pd.Series, ctx: TypingContext, issues: list[LoadIssue]):
    fmt = ctx.date_formats[name]
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    issues = [*issues, *_unread_dates(name, text, parsed, ctx, f"value(s) do not match {format_label(fmt)}")]
    return parsed, ColumnType(name, "date", format_label(fmt) + " (chosen)"), issues


def _integer_dates(series: pd.Series) -> tuple[pd.Series, str] | None:
    digits = series.dropna().astype("int64").astype("str")
    if digits.empty:
        return None
    for width, fmt in ((8, "%Y%m%d"), (6, "%y%m%d")):
        if digits.str.len().eq(width).all():
            parsed = pd.to_datetime(series.astype("Int64").astype("str"), format=fmt, errors="coerce")
            if parsed[series.notna()].notna().all():
                return parsed, f"{format_label(fmt)} (integer-coded)"
    return None
