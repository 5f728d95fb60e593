"""bytes -> DataFrame, with a record of everything that was detected so the user can check it
and override it. Text files are parsed by pyarrow's multi-threaded CSV reader after the layout
has been worked out on a sample; Excel sheets are turned into the same text path so every quirk
(preamble, totals, number formats) is handled once."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import PurePath

import pandas as pd
import pyarrow as pa
from defusedxml import DefusedXmlException

from payoff.data import archive, parse, sniff
from payoff.data.convert import ColumnType, LoadIssue, TypingContext, type_column
from payoff.data.money_columns import mark_money
from payoff.errors import (
    EmptyFile,
    FileTooLarge,
    NoData,
    PayoffError,
    TooManyColumns,
    UnreadableFile,
    UnsupportedFormat,
)

MAX_COLUMNS = 1000
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".dat", ".data", ""}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
RAGGED_POLICIES = ("pad", "skip", "error")


@dataclass(frozen=True)
class LoadOptions:
    """What the user chose; None means 'detect it'. Hashable so the UI can cache on it."""

    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    header: bool | None = None
    preamble_lines: int | None = None
    footer_lines: int | None = None
    sheet: str | None = None
    dayfirst: bool | None = None
    date_formats: tuple[tuple[str, str], ...] = ()
    ragged: str = "pad"


@dataclass(frozen=True)
class Detection:
    """What Payoff understood of the file, shown to the user and written by `payoff inspect`."""

    file_type: str
    encoding: str = ""
    delimiter: str = ""
    decimal: str = "."
    thousands: str | None = None
    header: bool = True
    line_endings: str = ""
    preamble: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    renamed_columns: tuple[tuple[str, str], ...] = ()
    column_types: tuple[ColumnType, ...] = ()
    issues: tuple[LoadIssue, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "file_type": self.file_type,
            "encoding": self.encoding,
            "delimiter": sniff.DELIMITER_NAMES.get(self.delimiter, self.delimiter),
            "decimal": self.decimal,
            "thousands": self.thousands,
            "header": self.header,
            "line_endings": self.line_endings,
            "preamble": list(self.preamble),
            "footer": list(self.footer),
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "renamed_columns": dict(self.renamed_columns),
            "column_types": {c.name: {"kind": c.kind, "detail": c.detail} for c in self.column_types},
            "issues": [{"kind": i.kind, "message": i.message, "column": i.column} for i in self.issues],
        }


@dataclass(frozen=True)
class LoadedTable:
    frame: pd.DataFrame
    detection: Detection
    name: str = ""


def read_table(
    content: bytes,
    name: str,
    options: LoadOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadedTable:
    """Read an uploaded file of any supported kind. Raises a PayoffError the user can act on."""
    try:
        return _without_time_zones(_read_any(content, name, options or LoadOptions(), max_bytes))
    finally:
        # Arrow's allocator keeps what the reading freed (50 MB on a million-row file) for reuse
        # that numpy, allocating elsewhere, never makes: hand it back before the checks run.
        pa.default_memory_pool().release_unused()


def _without_time_zones(table: LoadedTable) -> LoadedTable:
    """Zone-aware times (a parquet file's, or an Excel cell's) as the clock in their own zone,
    said: every later step (the calendar, the saved analysis) takes plain times, and a zone-aware
    column once failed the save of a whole run. A text file's are read so in convert.py."""
    frame = table.frame
    zoned = [c for c in frame.columns if isinstance(frame[c].dtype, pd.DatetimeTZDtype)]
    if not zoned:
        return table
    notes = tuple(
        LoadIssue(
            "time_zone",
            f"'{c}' has times with a time zone ({frame[c].dt.tz}): read as clock times in {frame[c].dt.tz}.",
            str(c),
        )
        for c in zoned
    )
    frame = frame.assign(**{str(c): frame[c].dt.tz_localize(None) for c in zoned})
    return replace(table, frame=frame, detection=replace(table.detection, issues=(*table.detection.issues, *notes)))


def _read_any(content: bytes, name: str, options: LoadOptions, max_bytes: int) -> LoadedTable:
    if len(content) > max_bytes:
        raise FileTooLarge(
            f"'{name}' is {len(content) / 1e6:,.1f} MB; the limit is {max_bytes / 1e6:,.0f} MB. "
            "Remove columns or rows you do not need, or save it as Parquet, and upload again."
        )
    if not content.strip(b" \t\r\n\x00"):
        raise EmptyFile(f"'{name}' is empty. Upload a file with a header row and at least one data row.")
    suffix = PurePath(name).suffix.lower()
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormat(
            f"'{name}' is an old Excel 97-2003 workbook (.xls) or a password-protected Excel file. "
            "Open it in Excel, remove any password, and save it as .xlsx or CSV, then upload that."
        )
    if archive.is_archive(content):
        inner, inner_name = archive.open_archive(content, name, max_bytes)
        table = _read_any(inner, inner_name, options, max_bytes)
        kind = "gzip file" if content.startswith(archive.GZIP_MAGIC) else "zip file"
        note = LoadIssue("unpacked", f"Payoff read '{inner_name}' from the {kind} '{name}'.")
        detection = replace(
            table.detection,
            file_type=f"{table.detection.file_type} in a {kind}",
            issues=(note, *table.detection.issues),
        )
        return replace(table, detection=detection, name=name)
    if content.startswith(b"PK"):
        archive.check_workbook(content, name, max_bytes)
        return _read_excel(content, name, options, max_bytes)
    if content.startswith(b"PAR1"):
        return _read_parquet(content, name)
    if suffix in {".parquet", ".pq"}:
        raise UnreadableFile(f"'{name}' is named like a Parquet file but is not one. Export it again.")
    table = _read_text(content, name, options)
    if suffix in EXCEL_SUFFIXES | {".xls"}:
        note = LoadIssue(
            "renamed_text",
            f"'{name}' is named like an Excel file but holds plain text; Payoff read it as text.",
        )
        detection = replace(table.detection, issues=(note, *table.detection.issues))
        return replace(table, detection=detection)
    return table


def _utf8_lf(content: bytes, encoding: sniff.Encoding, name: str) -> tuple[bytes, int, str, list[LoadIssue]]:
    """The file as UTF-8 bytes with '\\n' line ends, where its table text starts, what line
    ends it used, and notes. UTF-8 files with LF endings (the common, large case) are not copied."""
    issues: list[LoadIssue] = []
    if not encoding.codec.startswith("utf-16"):
        sniff.reject_binary(content, name)
        nul = content.count(b"\x00")
        if nul:
            content = content.replace(b"\x00", b"")
            issues.append(LoadIssue("nul_bytes", f"{nul} NUL byte(s) were removed from the file."))
    if encoding.codec in ("utf-8", "utf-8-sig") and b"\r" not in content:
        return content, 3 if content.startswith(b"\xef\xbb\xbf") else 0, "LF", issues
    try:
        text = sniff.decode(content, encoding)
    except LookupError as error:
        raise UnreadableFile(f"Unknown encoding '{encoding.codec}'. Choose utf-8, cp1252 or latin-1.") from error
    text, line_endings = sniff.normalise_newlines(text.lstrip("\ufeff").replace("\x00", ""))
    return text.encode("utf-8"), 0, line_endings, issues


def _read_text(content: bytes, name: str, options: LoadOptions, file_type: str = "text") -> LoadedTable:
    encoding = (
        sniff.Encoding(options.encoding, options.encoding) if options.encoding else sniff.detect_encoding(content)
    )
    data, begin, line_endings, issues = _utf8_lf(content, encoding, name)
    sample = data[begin : begin + sniff.SAMPLE_CHARS].decode("utf-8", "ignore")
    tail = data[max(begin, len(data) - sniff.SAMPLE_CHARS // 8) :].decode("utf-8", "ignore")
    layout = sniff.detect_layout(
        sample,
        tail,
        options.delimiter,
        options.header,
        options.preamble_lines,
        options.footer_lines,
        options.decimal,
        options.thousands,
    )
    start, end, preamble, footer = sniff.table_bounds(data, begin, layout.preamble_lines, layout.footer_lines)
    parse.check_quotes(data, start, end, layout.preamble_lines)
    first = sniff.header_cells(data[start : start + 4 * sniff.SAMPLE_CHARS].decode("utf-8", "ignore"), layout.delimiter)
    if not first:
        raise EmptyFile(f"'{name}' has no rows once blank lines are removed.")
    if len(first) > MAX_COLUMNS:
        raise TooManyColumns(
            f"'{name}' has {len(first):,} columns; Payoff works with up to {MAX_COLUMNS:,}. Keep the "
            "columns you need, or if each column is one series, reshape it to one row per date and series."
        )
    raw_names = first if layout.header else [f"column_{i + 1}" for i in range(len(first))]
    names, renamed = sniff.clean_column_names(raw_names)
    header_lines = 1 if layout.header else 0
    frame, ragged = parse.parse(parse.Body(data, start, end), layout, names, header_lines, options.ragged, name)
    first_line = layout.preamble_lines + header_lines + 1
    if ragged:
        issues.append(parse.ragged_issue(ragged, len(names), options.ragged, layout.preamble_lines))
    if frame.empty:
        raise NoData(
            f"'{name}' has a header ({', '.join(names[:6])}{'...' if len(names) > 6 else ''}) "
            "but no data rows. Export the data rows too."
        )
    ctx = TypingContext(layout.decimal, layout.thousands, options.dayfirst, dict(options.date_formats), first_line)
    frame, types, typing_issues = _type_all(frame, ctx)
    detection = Detection(
        file_type=file_type,
        encoding=encoding.label,
        delimiter=layout.delimiter,
        decimal=layout.decimal,
        thousands=layout.thousands,
        header=layout.header,
        line_endings=line_endings,
        preamble=tuple(preamble),
        footer=tuple(footer),
        renamed_columns=tuple(renamed.items()),
        column_types=tuple(types),
        issues=tuple(issues + typing_issues),
    )
    return LoadedTable(frame, detection, name)


def _type_all(frame: pd.DataFrame, ctx: TypingContext) -> tuple[pd.DataFrame, list[ColumnType], list[LoadIssue]]:
    """Type every column. Only converted columns are replaced: building a new frame from all of
    them made pandas consolidate (copy) every numeric column, 50 MB on a million rows."""
    raw = frame
    frame = frame.copy(deep=False)
    types: list[ColumnType] = []
    issues: list[LoadIssue] = []
    for column in list(frame.columns):
        original = frame[column]
        series, column_type, column_issues = type_column(str(column), original, ctx)
        if series is not original:
            frame[column] = series
        types.append(column_type)
        issues.extend(column_issues)
    mark_money(frame, raw, [(t.name, t.kind, t.detail) for t in types])
    return frame, types, issues


def excel_sheets(content: bytes) -> list[str]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _from_entities(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _entities(name: str) -> UnsupportedFormat:
    return UnsupportedFormat(
        f"'{name}' contains XML entity declarations, which Payoff refuses: they can expand to fill the "
        "server's memory (an XML bomb). Open it in Excel, save it again as .xlsx or CSV, and upload that."
    )


def _read_excel(content: bytes, name: str, options: LoadOptions, max_bytes: int) -> LoadedTable:
    try:
        sheets = excel_sheets(content)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        if _from_entities(error):  # openpyxl parses with defusedxml, and wraps what it refuses
            raise _entities(name) from error
        raise UnsupportedFormat(
            f"'{name}' is a zip archive but not an Excel workbook Payoff can read. Save it as .xlsx or CSV."
        ) from error
    if options.sheet is not None and options.sheet not in sheets:
        raise UnreadableFile(f"'{name}' has no sheet '{options.sheet}'. Its sheets are: {', '.join(sheets)}.")
    # The first sheet unless one was chosen; a first sheet with no table (a cover note) is
    # passed over for the next one that has data, and the user is told.
    candidates = [options.sheet] if options.sheet else sheets
    skipped: list[str] = []
    for sheet in candidates:
        try:
            table = _read_sheet(content, name, sheet, options)
        except (DefusedXmlException, ValueError) as error:
            if isinstance(error, PayoffError) or not _from_entities(error):
                raise
            raise _entities(name) from error
        except (EmptyFile, NoData) as error:
            if options.sheet or sheet == candidates[-1]:
                raise error
            skipped.append(sheet)
            continue
        if not options.sheet and sheet != candidates[-1] and table.frame.shape[1] <= 1:
            skipped.append(sheet)  # one column of text (a "Read me" sheet of notes) is no table
            continue
        notes = tuple(
            LoadIssue(
                "sheet_skipped",
                f"Sheet '{s}' holds no table (no data rows, or one column of notes); Payoff read sheet '{sheet}' "
                "instead. Pick another sheet under the reading options.",
            )
            for s in skipped
        )
        detection = replace(
            table.detection,
            encoding="",
            sheet=sheet,
            sheets=tuple(sheets),
            line_endings="",
            issues=notes + table.detection.issues,
        )
        return replace(table, detection=detection)
    raise AssertionError("unreachable: the last sheet either loads or raises")


def _read_sheet(content: bytes, name: str, sheet: str, options: LoadOptions) -> LoadedTable:
    grid = pd.read_excel(io.BytesIO(content), sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    if grid.dropna(how="all").empty:
        raise EmptyFile(f"Sheet '{sheet}' of '{name}' is empty. Choose another sheet.")
    text = grid.map(_excel_cell).to_csv(index=False, header=False)
    excel_options = replace(options, encoding="utf-8", delimiter=",", decimal=".", thousands=None)
    return _read_text(text.encode("utf-8"), name, excel_options, file_type="Excel workbook")


def _excel_cell(value: object) -> object:
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return value


def _read_parquet(content: bytes, name: str) -> LoadedTable:
    try:
        frame = pd.read_parquet(io.BytesIO(content))
    except (pa.ArrowInvalid, OSError, ValueError) as error:
        raise UnreadableFile(f"'{name}' is a damaged Parquet file ({error}). Export it again.") from error
    if len(frame.columns) > MAX_COLUMNS:
        raise TooManyColumns(f"'{name}' has {len(frame.columns):,} columns; Payoff works with up to {MAX_COLUMNS:,}.")
    if frame.empty:
        raise NoData(f"'{name}' has columns but no rows.")
    names, renamed = sniff.clean_column_names([str(c) for c in frame.columns])
    frame.columns = names
    ctx = TypingContext(".", None, None, {}, 1)
    frame, types, issues = _type_all(frame.reset_index(drop=True), ctx)
    detection = Detection(
        "Parquet",
        renamed_columns=tuple(renamed.items()),
        column_types=tuple(types),
        issues=tuple(issues),
    )
    return LoadedTable(frame, detection, name)


__all__ = ["Detection", "LoadOptions", "LoadedTable", "excel_sheets", "read_table"]
