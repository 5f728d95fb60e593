"""Exports for spreadsheets.

A string cell (or header) that a spreadsheet would run as a formula, one starting with =, +, -,
@, tab, carriage return or line feed, is prefixed with a quote, so a value from an uploaded file
such as ``=HYPERLINK(...)`` stays text when a colleague opens the export. Numbers stay numbers.
CSV is UTF-8 with a byte-order mark, which is how Excel knows it is UTF-8."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from payoff import formatting

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_ENCODING = "utf-8-sig"
EXCEL_SHEET_NAME_LIMIT = 31


def escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [escape_cell(str(c)) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column)):
            out.isetitem(i, column.map(escape_cell))
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Numbers rounded to what they mean, as in the workbook: 12.5 units at 4.13, not
    12.499999999 at 4.1312903."""
    # CRLF rows, as Excel writes them; with it pandas also quotes a cell holding a lone CR,
    # which with "\n" rows it leaves bare (and a reader then splits the row).
    return escaped(rounded(frame)).to_csv(index=False, lineterminator="\r\n").encode(CSV_ENCODING)


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Each float column rounded by its kind (DECIMALS; six decimals where it has none)."""
    out = frame.copy()
    for column, kind in formatting.kinds_of(frame).items():
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(DECIMALS.get(kind, 6))
    return out


def to_excel_bytes(sheets: pd.DataFrame | Mapping[str, pd.DataFrame], currency: str = "") -> bytes:
    """One sheet per frame, in order (a single frame becomes the sheet 'decisions'), as a manager
    opens it: money, percent and whole-number formats by each column's kind (the values stay
    numbers, rounded to what they mean: no float noise), widths that fit, the header frozen."""
    named = {"decisions": sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in named.items():
            title = name[:EXCEL_SHEET_NAME_LIMIT]
            kinds = formatting.kinds_of(frame)
            numbers = rounded(frame)
            escaped(numbers).to_excel(writer, index=False, sheet_name=title)
            _lay_out(writer.sheets[title], numbers, kinds, currency)
    return buffer.getvalue()


# Decimals kept per kind in the workbook: cents, tenths of a percent point, whole units.
DECIMALS = {formatting.MONEY: 2, formatting.PERCENT: 4, formatting.PROBABILITY: 4, formatting.COUNT: 0}


def _lay_out(sheet: Any, frame: pd.DataFrame, kinds: dict[str, str], currency: str) -> None:
    """Number formats by kind, column widths to fit the header and the values, header frozen."""
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        number_format = formatting.excel_format(kinds.get(column, formatting.TEXT), currency)
        if number_format is not None:
            for cell in sheet[letter][1:]:
                cell.number_format = number_format
        sample = [formatting.cell(v, kinds.get(column, formatting.TEXT), currency) for v in frame[column].head(200)]
        width = max([len(str(column)), *(len(v) for v in sample)], default=8)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
