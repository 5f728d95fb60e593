"""Exports for spreadsheets. Cells that a spreadsheet would run as a formula (starting with
=, +, -, @, tab or carriage return) are prefixed with a quote, so a value from an uploaded file
such as `=HYPERLINK(...)` stays text when a colleague opens the export."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [escape_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(escape_cell)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return escaped(frame).to_csv(index=False).encode("utf-8")


def to_excel_bytes(frame: pd.DataFrame, sheet: str = "decisions") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        escaped(frame).to_excel(writer, index=False, sheet_name=sheet)
    return buffer.getvalue()
