"""The full parse of a table's bytes with pyarrow's multi-threaded CSV reader, once the layout is
known: quotes checked, leading-zero identifiers kept as text, and rows with the wrong number of
fields collected and reported, never silently dropped or padded."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from payoff.data import sniff
from payoff.data.convert import ARROW_NULLS, ZONED_TIME, LoadIssue
from payoff.errors import RaggedRows, UnreadableFile, UnterminatedQuote


@dataclass(frozen=True)
class Body:
    """The table's bytes inside the file, without copying them."""

    data: bytes
    start: int
    end: int

    def buffer(self) -> pa.Buffer:
        return pa.py_buffer(self.data).slice(self.start, self.end - self.start)

    def head(self, size: int = sniff.SAMPLE_CHARS) -> str:
        return self.data[self.start : min(self.end, self.start + size)].decode("utf-8", "ignore")

    def text(self) -> str:
        return self.data[self.start : self.end].decode("utf-8", "replace")

    def has_quotes(self) -> bool:
        return self.data.find(b'"', self.start, self.end) >= 0


def check_quotes(data: bytes, start: int, end: int, offset: int) -> None:
    if data.count(b'"', start, end) % 2 == 0:
        return
    open_line = None
    inside = False
    for number, line in enumerate(data[start:end].split(b"\n"), start=1):
        if line.count(b'"') % 2:
            inside = not inside
            open_line = number if inside else None
    if open_line is not None:
        raise UnterminatedQuote(
            f'Line {open_line + offset} opens a quote (") that is never closed, so the rest of the '
            "file would be read as one value. Close or remove that quote and upload again."
        )


def parse(
    body: Body, layout: sniff.Layout, names: list[str], skip: int, ragged_policy: str, name: str
) -> tuple[pd.DataFrame, list[tuple[int, list[str]]]]:
    """Full parse with pyarrow; rows with the wrong number of fields are collected, not lost."""
    text_columns = _text_columns(body.head(), layout, names, skip)
    table, bad = _arrow_read(body, layout, names, skip, text_columns, name)
    table = _dates_as_timestamps(table)
    if not bad:
        return _to_pandas(table), []
    lines = body.text().split("\n")
    ragged = _locate_ragged(lines, layout, skip, bad)
    if ragged_policy == "error":
        first_line, fields = ragged[0]
        raise RaggedRows(
            f"Line {first_line + layout.preamble_lines} has {len(fields)} fields but the header has "
            f"{len(names)} ({len(ragged)} such row(s)). Fix those rows, or choose to pad or skip them."
        )
    if ragged_policy == "skip":
        return _to_pandas(table), ragged
    # Pad: re-read as text so the padded rows join the others before types are decided.
    table, _ = _arrow_read(body, layout, names, skip, names, name)
    padded = pd.DataFrame(
        [(fields + [None] * len(names))[: len(names)] for _, fields in ragged], columns=names, dtype="str"
    )
    numbers = [n for n, line in enumerate(lines, start=1) if n > skip and line.strip()]
    rank = {line: i for i, line in enumerate(numbers)}
    ragged_ranks = [rank.get(line, len(numbers)) for line, _ in ragged]
    taken = set(ragged_ranks)
    good_ranks = [i for i in range(len(numbers)) if i not in taken][: table.num_rows]
    good = _to_pandas(table)
    if len(good_ranks) != len(good):  # quoted line breaks shift the count: keep parse order
        return pd.concat([good, padded], ignore_index=True), ragged
    good.index = good_ranks
    padded.index = ragged_ranks
    return pd.concat([good, padded]).sort_index(kind="stable").reset_index(drop=True), ragged


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    # self_destruct frees each Arrow column as it is converted; the pool then hands the parser's
    # buffers back to the system, so later steps do not stack on top of them.
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    del table
    pa.default_memory_pool().release_unused()
    return frame


def _dates_as_timestamps(table: pa.Table) -> pa.Table:
    """pyarrow reads ISO dates as date32, which pandas turns into slow Python objects. A column
    with a date outside pandas' nanosecond range (1677 to 2262: a 9999-12-31 "no end date") is
    cast to whole seconds instead; its typing then keeps it as text and says so."""
    for i, column in enumerate(table.schema):
        if pa.types.is_date(column.type):
            try:
                stamps = table.column(i).cast(pa.timestamp("ns"))
            except pa.ArrowInvalid:  # out of the nanosecond range
                stamps = table.column(i).cast(pa.timestamp("s"))
            table = table.set_column(i, column.name, stamps)
    return table


def _arrow_read(
    body: Body, layout: sniff.Layout, names: list[str], skip: int, text_columns: list[str], name: str
) -> tuple[pa.Table, list[str]]:
    bad: list[str] = []

    def on_bad_row(row: pacsv.InvalidRow) -> str:
        bad.append(row.text)
        return "skip"

    parse = pacsv.ParseOptions(
        delimiter=layout.delimiter,
        quote_char='"',
        newlines_in_values=body.has_quotes(),
        invalid_row_handler=on_bad_row,
    )
    convert = pacsv.ConvertOptions(
        null_values=ARROW_NULLS,
        strings_can_be_null=True,
        decimal_point=layout.decimal,
        column_types={c: pa.string() for c in text_columns},
    )
    size = body.end - body.start
    # pyarrow's streaming reader (open_csv) peaks ~20% lower in memory but was ~0.2 s slower on
    # a million rows (measured); the whole-file reader is kept for speed.
    for block in (16 * 1024 * 1024, size + 1):
        read = pacsv.ReadOptions(column_names=names, skip_rows=skip, block_size=block)
        bad.clear()
        try:
            source = pa.BufferReader(body.buffer())
            table = pacsv.read_csv(source, read_options=read, parse_options=parse, convert_options=convert)
            return table, list(bad)
        except pa.ArrowInvalid as error:
            if "straddling" in str(error) and block < size + 1:
                continue  # one field larger than a block: read the file as one block
            raise UnreadableFile(
                f"'{name}' could not be parsed ({error}). Check the separator under 'Reading options'."
            ) from error
    raise AssertionError("unreachable")


def _text_columns(head: str, layout: sniff.Layout, names: list[str], skip: int) -> list[str]:
    """Columns Arrow must leave as text: codes with leading zeros (0042), and times written with
    their UTC offset, which Arrow would turn into UTC and lose the local day (a sale at 00:30+02:00
    is the 1st's, not the 31st's); convert.py reads the clock as written."""
    rows = sniff.sample_rows(head, layout.delimiter, sniff.SAMPLE_ROWS + skip)[skip:]
    keep = []
    for j, name in enumerate(names):
        cells = [r[j].strip() for _, r in rows if j < len(r)]
        filled = [c for c in cells if c]
        leading_zero = any(len(c) > 1 and c[0] == "0" and c.isdigit() for c in cells)
        if leading_zero or (filled and all(ZONED_TIME.match(c) for c in filled)):
            keep.append(name)
    return keep


def _locate_ragged(lines: list[str], layout: sniff.Layout, skip: int, bad: list[str]) -> list[tuple[int, list[str]]]:
    """Lines (1-based within the table text) and fields of each ragged row, in file order."""
    wanted = set(bad)
    return [
        (number, sniff.split_line(line, layout.delimiter))
        for number, line in enumerate(lines, start=1)
        if number > skip and line in wanted
    ]


def ragged_issue(ragged: list[tuple[int, list[str]]], n_names: int, policy: str, offset: int) -> LoadIssue:
    lines = [line + offset for line, _ in ragged]
    counts = [len(fields) for _, fields in ragged]
    detail = ", ".join(f"line {line} has {count}" for line, count in list(zip(lines, counts, strict=True))[:5])
    more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
    action = (
        "short rows were padded with missing values and extra fields were dropped"
        if policy == "pad"
        else "those rows were left out"
    )
    return LoadIssue(
        "ragged_rows",
        f"{len(lines)} row(s) do not have {n_names} fields ({detail}{more}); {action}. "
        "Check them; you can choose to skip them or stop instead under 'Reading options'.",
        None,
        tuple(lines[:100]),
    )
