"""Exports for spreadsheets.

A string cell (or header) that a spreadsheet would run as a formula, one starting with =, +, -,
@, tab, carriage return or line feed, is prefixed with a quote, so a value from an uploaded file
such as ``=HYPERLINK(...)`` stays text when a colleague opens the export. Numbers stay numbers.
CSV is UTF-8 with a byte-order mark, which is how Excel knows it is UTF-8."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

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
    # CRLF rows, as Excel writes them; with it pandas also quotes a cell holding a lone CR,
    # which with "\n" rows it leaves bare (and a reader then splits the row).
    return escaped(frame).to_csv(index=False, lineterminator="\r\n").encode(CSV_ENCODING)


def to_excel_bytes(sheets: pd.DataFrame | Mapping[str, pd.DataFrame]) -> bytes:
    """One sheet per frame, in order; a single frame becomes the sheet 'decisions'."""
    named = {"decisions": sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in named.items():
            escaped(frame).to_excel(writer, index=False, sheet_name=name[:EXCEL_SHEET_NAME_LIMIT])
    return buffer.getvalue()
