"""Guess how a delimited text file is written: encoding, separator, decimal and thousands marks,
header, preamble lines above the header and total/footer lines below the data.

Everything here looks at a sample (the first rows and the last lines) so it stays fast on large
files; the full parse happens in :mod:`payoff.data.load`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from payoff.errors import BinaryFile, EmptyFile

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|", " ")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", " ": "space"}
SAMPLE_ROWS = 1000
SAMPLE_CHARS = 256 * 1024
TAIL_LINES = 12

# A cell that reads as a number in any common business notation: currency, percent,
# thousands groups, decimal comma, accounting negatives in parentheses.
NUMBER_LIKE = re.compile(r"^\(?[-+]?\s*[$€£¥]?\s*\d[\d.,' \u00a0]*\s*(%|[$€£¥])?\)?$")
FOOTER_WORDS = re.compile(r"^\s*(grand\s+total|sub-?total|totals?|sum|average|avg|mean)\b", re.I)
# "0,250" is a decimal too: no thousands group starts with a 0
_COMMA_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$|^-?\d+,(\d{1,2}|\d{4,})$|^-?0,\d+$")
_DOT_DECIMAL = re.compile(r"^-?\d{1,3}(,\d{3})+\.\d+$|^-?\d+\.(\d{1,2}|\d{4,})$|^-?0\.\d+$")
_DOT_GROUPS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA_GROUPS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACE_GROUPS = re.compile(r"^-?\d{1,3}([ \u00a0]\d{3})+([.,]\d+)?$")
_APOS_GROUPS = re.compile(r"^-?\d{1,3}('\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class Encoding:
    codec: str
    label: str


@dataclass(frozen=True)
class Layout:
    """Where the table sits in the text and how its cells are separated."""

    delimiter: str
    n_fields: int
    header: bool
    preamble_lines: int
    footer_lines: int
    decimal: str
    thousands: str | None


def detect_encoding(raw: bytes) -> Encoding:
    """BOMs first, then strict UTF-8, then UTF-16 without BOM, then cp1252, then latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return Encoding("utf-8-sig", "UTF-8 with BOM")
    if raw.startswith(b"\xff\xfe"):
        return Encoding("utf-16", "UTF-16 (little-endian, with BOM)")
    if raw.startswith(b"\xfe\xff"):
        return Encoding("utf-16", "UTF-16 (big-endian, with BOM)")
    head = raw[:4096]
    if len(head) >= 8 and head[1::2].count(0) > 0.8 * (len(head) // 2):
        return Encoding("utf-16-le", "UTF-16 (little-endian, no BOM)")
    if len(head) >= 8 and head[0::2].count(0) > 0.8 * (len(head) // 2):
        return Encoding("utf-16-be", "UTF-16 (big-endian, no BOM)")
    try:
        raw.decode("utf-8")
        return Encoding("utf-8", "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("cp1252")
        return Encoding("cp1252", "Windows-1252 (Western European)")
    except UnicodeDecodeError:
        return Encoding("latin-1", "Latin-1 (ISO-8859-1)")


def reject_binary(raw: bytes, name: str) -> None:
    """Refuse files that are clearly not text (images, executables, zip archives ...)."""
    head = raw[:8192]
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        raise BinaryFile(
            f"'{name}' looks like a binary file, not a table: {controls} of its first "
            f"{len(head)} bytes are control characters. Upload a CSV, TSV, TXT, XLSX or Parquet file."
        )


def decode(raw: bytes, encoding: Encoding) -> str:
    return raw.decode(encoding.codec, errors="replace")


def normalise_newlines(text: str) -> tuple[str, str]:
    """Return text with '\\n' line ends and a label for what the file used."""
    if "\r" not in text:
        return text, "LF"
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    label = "CRLF (Windows)" if lone_cr == 0 else ("CR (old Mac)" if crlf == 0 else "mixed")
    return text.replace("\r\n", "\n").replace("\r", "\n"), label


def sample_rows(text: str, delimiter: str, limit: int) -> list[tuple[int, list[str]]]:
    """(physical line where the row ends, cells) for up to `limit` non-blank rows."""
    buffer = io.StringIO(text)
    reader = csv.reader(buffer, delimiter=delimiter, quotechar='"')
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
                if len(rows) >= limit:
                    break
    except csv.Error:
        pass  # an unterminated quote in the sample; the full parse reports it with its line
    return rows


def _score(counts: list[int]) -> tuple[float, int]:
    """Consistency of the field count over the body of the sample, and that count."""
    if not counts:
        return 0.0, 0
    body = counts[len(counts) // 5 :] or counts
    mode = Counter(body).most_common(1)[0][0]
    if mode < 2:
        return 0.0, mode
    return sum(1 for c in body if c == mode) / len(body), mode


def choose_delimiter(sample: str) -> tuple[str, int]:
    """The separator that splits the sample's rows most consistently. On a tie, the one whose rows
    start agreeing soonest (the fewest lines above the table), then the one finding more columns:
    a decimal comma in every row of a semicolon file ("10.810,52 €") splits each row in two as
    consistently as the semicolons split it in four, and the header, with no comma, was then
    taken for a line above the table. (A comma file's text column with as many semicolons on
    every row still goes by its commas: its header agrees with them first.)"""
    best = (",", 1)
    best_key: tuple[float, int, int] = (0.0, 0, 0)
    for delimiter in DELIMITERS:
        counts = [len(cells) for _, cells in sample_rows(sample, delimiter, 200)]
        score, n_fields = _score(counts)
        if delimiter == " ":
            score -= 0.05  # prose in preambles has spaces too: prefer a real separator on ties
        above = next((i for i, count in enumerate(counts) if count == n_fields), len(counts))
        key = (round(score, 9), -above, n_fields)
        if score > 1e-9 and (best_key[0] == 0.0 or key > best_key):
            best, best_key = (delimiter, n_fields), key
    return best


def _is_number(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and bool(NUMBER_LIKE.match(cell))


def _looks_like_header(first: list[str], body: list[list[str]]) -> bool:
    text_over_numbers = numbers_over_numbers = 0
    for j, cell in enumerate(first):
        column = [r[j] for r in body if j < len(r) and r[j].strip()]
        if len(column) < 1:
            continue
        numeric_share = sum(_is_number(c) for c in column) / len(column)
        if numeric_share < 0.9:
            continue
        if _is_number(cell):
            numbers_over_numbers += 1
        elif cell.strip():
            text_over_numbers += 1
    return not (numbers_over_numbers > 0 and text_over_numbers == 0)


_ONE_COMMA_GROUP = re.compile(r"^-?[1-9]\d{0,2},\d{3}$")  # "0,250" is a decimal: no group starts with 0
_ONE_DOT_GROUP = re.compile(r"^-?[1-9]\d{0,2}\.\d{3}$")


def detect_number_format(cells: list[str], delimiter: str | None = None) -> tuple[str, str | None]:
    """Decimal mark and thousands separator, from unambiguous cells only ("1,5" but not "1,500").

    A cell with one group ("1,051") is ambiguous alone, but not once the other mark is known to be
    the decimal one (a till's "£105.10" beside its "1,051"), nor in a comma-separated file, where a
    decimal comma would have to be quoted and nobody writes it so: then it is a thousands group,
    where read as text it turned a quantity into a category without a word."""
    votes: Counter[str] = Counter()
    for raw in cells:
        cell = raw.strip().strip("()").strip("$€£¥%").strip().lstrip("+")
        if not cell or not cell[-1].isdigit():
            continue
        if _COMMA_DECIMAL.match(cell):
            votes["comma_decimal"] += 1
        elif _DOT_DECIMAL.match(cell):
            votes["dot_decimal"] += 1
        if _DOT_GROUPS.match(cell) and ("," in cell or cell.count(".") > 1):
            votes["dot_groups"] += 1
        if _COMMA_GROUPS.match(cell) and ("." in cell or cell.count(",") > 1):
            votes["comma_groups"] += 1
        if _SPACE_GROUPS.match(cell):
            votes["space_groups"] += 1
        if _APOS_GROUPS.match(cell):
            votes["apostrophe_groups"] += 1
        if _ONE_COMMA_GROUP.match(cell):
            votes["one_comma_group"] += 1
        elif _ONE_DOT_GROUP.match(cell):
            votes["one_dot_group"] += 1
    decimal = "," if votes["comma_decimal"] > votes["dot_decimal"] else "."
    thousands: str | None = None
    if decimal == "," and votes["dot_groups"]:
        thousands = "."
    elif decimal == "." and votes["comma_groups"]:
        thousands = ","
    elif votes["space_groups"]:
        thousands = " "
    elif votes["apostrophe_groups"]:
        thousands = "'"
    elif decimal == "." and votes["one_comma_group"] and (votes["dot_decimal"] or delimiter == ","):
        thousands = ","
    elif decimal == "," and votes["one_dot_group"] and votes["comma_decimal"]:
        thousands = "."
    return decimal, thousands


def _footer_lines(text: str, delimiter: str, n_fields: int) -> int:
    """How many physical lines at the end are totals or notes rather than data."""
    lines = text.rstrip("\n").split("\n")
    tail = lines[-TAIL_LINES:] if len(lines) > TAIL_LINES else lines
    footer = 0
    for line in reversed(tail):
        if not line.strip():
            footer += 1
            continue
        try:
            cells = next(csv.reader([line], delimiter=delimiter, quotechar='"'))
        except (csv.Error, StopIteration):
            break
        first_cells = [c for c in cells if c.strip()][:2]
        is_total = any(FOOTER_WORDS.match(c) for c in first_cells)
        if is_total or (len(cells) < n_fields and len(cells) <= max(1, n_fields // 2)):
            footer += 1
        else:
            break
    # trailing blank lines alone are not a footer
    blank_tail = len(tail) - len("\n".join(tail).rstrip().split("\n")) if tail else 0
    return footer if footer > blank_tail else 0


def detect_layout(
    sample: str,
    tail: str,
    delimiter: str | None = None,
    header: bool | None = None,
    preamble_lines: int | None = None,
    footer_lines: int | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
) -> Layout:
    """Work out the table's layout from its first and last part; any argument overrides the guess."""
    if not sample.strip():
        raise EmptyFile("The file is empty or holds only blank lines. Upload a file with a header row and data.")
    if delimiter is None:
        delimiter, n_fields = choose_delimiter(sample)
    else:
        _, n_fields = _score([len(c) for _, c in sample_rows(sample, delimiter, 200)])
        n_fields = max(n_fields, 1)
    rows = sample_rows(sample, delimiter, SAMPLE_ROWS)
    if preamble_lines is None:
        preamble_lines = 0
        for i, (_, cells) in enumerate(rows):
            upcoming = [len(c) for _, c in rows[i : i + 6]]
            # a title padded with delimiters ("Daily depot report,,,,,") has every field, but few filled
            filled = sum(bool(str(c).strip()) for c in cells) * 2 >= n_fields
            if len(cells) == n_fields and filled and sum(u == n_fields for u in upcoming) >= 0.6 * len(upcoming):
                preamble_lines = rows[i][0] - 1  # the header is one physical line
                break
    body_rows = [cells for end, cells in rows if end > preamble_lines]
    first, body = (body_rows[0], body_rows[1:]) if body_rows else ([], [])
    if header is None:
        header = _looks_like_header(first, body[:200]) if body else True
    if footer_lines is None:
        footer_lines = _footer_lines(tail, delimiter, n_fields) if n_fields > 1 else 0
    if decimal is None or thousands is None:
        guessed_decimal, guessed_thousands = detect_number_format([c for r in body[:SAMPLE_ROWS] for c in r], delimiter)
        decimal = decimal or guessed_decimal
        thousands = thousands if thousands is not None else guessed_thousands
    if decimal == delimiter:
        decimal = "."
    return Layout(delimiter, n_fields, header, preamble_lines, footer_lines, decimal, thousands)


def table_bounds(
    data: bytes, begin: int, preamble_lines: int, footer_lines: int
) -> tuple[int, int, list[str], list[str]]:
    """Byte offsets of the table inside the file (preamble and footer cut off), and the lines cut."""
    start = begin
    for _ in range(preamble_lines):  # walk line ends instead of splitting a large file
        found = data.find(b"\n", start)
        start = len(data) if found < 0 else found + 1
    preamble = [line for line in data[begin:start].decode("utf-8", "replace").split("\n") if line.strip()]
    end = len(data)
    while end > start and data[end - 1 : end] == b"\n":
        end -= 1
    footer: list[str] = []
    for _ in range(footer_lines):
        cut = data.rfind(b"\n", start, end)
        line = data[cut + 1 : end].decode("utf-8", "replace")
        if line.strip():
            footer.insert(0, line)
        end = max(cut, start)
    if end < len(data) and data[end : end + 1] == b"\n":
        end += 1  # keep the last row's line end: the CSV reader needs it after a lone header
    return start, end, preamble, footer


def header_cells(table_text: str, delimiter: str) -> list[str]:
    rows = sample_rows(table_text, delimiter, 1)
    return rows[0][1] if rows else []


def clean_column_names(names: list[str]) -> tuple[list[str], dict[str, str]]:
    """Strip padding, name blank headers and make duplicates unique; report every change."""
    cleaned: list[str] = []
    changes: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for i, raw in enumerate(names):
        name = " ".join(raw.replace("\x00", "").split())
        if not name:
            name = f"column_{i + 1}"
        base = name
        seen[base] += 1
        if seen[base] > 1:
            name = f"{base}_{seen[base]}"
            while name in seen:
                seen[base] += 1
                name = f"{base}_{seen[base]}"
            seen[name] += 1
        cleaned.append(name)
        if name != raw:
            changes[raw if raw.strip() else f"(blank header in column {i + 1})"] = name
    return cleaned, changes


def split_line(line: str, delimiter: str) -> list[str]:
    """The fields of one line, honouring quotes."""
    return next(iter(csv.reader([line], delimiter=delimiter, quotechar='"')), [])
