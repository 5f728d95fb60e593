"""A saved analysis is untrusted input: a restored backup, a database file someone shared, a row
damaged on disk, or bytes made to harm. Before `serial` builds anything from one, this module
checks it, and every failure is one `UnreadableAnalysis` that says what is wrong:

- the zip: every member read is capped, by what it declares and by what it holds (a lying header
  is stopped at the cap and found out), and the whole by the memory budget;
- the manifest: JSON nested no deeper than Payoff writes it, then its schema (`serial_schema`):
  types, ranges (a horizon within the history), names of columns the table has;
- every array: its .npy header (kind of values, shape) is read before its data and must fit the
  manifest and the panel (series x periods, windows x horizon, one row per scored entity), and
  its values must be what the pricing reads (dates in order, rows within the table, folds in
  range). No pickle is ever allowed."""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from payoff.carry.serial_schema import UnreadableAnalysis, check_manifest, damaged, show
from payoff.runtime import budget

MANIFEST = "analysis.json"
TABLE = "table.parquet"
MAX_MANIFEST_BYTES = 64 * 2**20
# The 20,000-series benchmark's largest array is about 120 MB and its table under 200 MB.
MAX_MEMBER_BYTES = 512 * 2**20
MAX_TOTAL_BYTES = 2 * 2**30
MAX_DEPTH = 32  # Payoff writes 7 levels
MAX_DEFLATE_RATIO = 1032  # deflate cannot inflate more than this
OPENING_FACTOR = 3  # bytes held while opening, per byte unpacked (the bytes, the arrays, pandas' copies)
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
FLOATS, BOOLS, INTEGERS, DATES, TEXTS = "f", "b", "iu", "M", "U"
Header = Callable[[str], tuple[np.dtype[Any], tuple[int, ...]] | None]  # None: no such array


@dataclass(frozen=True)
class Contents:
    """What a checked saved analysis holds: its manifest, its table and the arrays it names."""

    manifest: dict[str, Any]
    table: pd.DataFrame
    arrays: dict[str, np.ndarray]


def read(content: bytes, format_name: str, version: int) -> Contents:
    """The checked contents of a saved analysis's bytes, or an UnreadableAnalysis."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise damaged(f"it is not a readable zip archive ({error})") from error
    with archive:
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        manifest = _manifest(_read(archive, members, MANIFEST, MAX_MANIFEST_BYTES), format_name, version)
        table_bytes = _read(archive, members, TABLE, MAX_MEMBER_BYTES)
        rows, columns, unpacked = _table_shape(table_bytes)
        check_manifest(manifest, columns)

        def header(name: str) -> tuple[np.dtype[Any], tuple[int, ...]] | None:
            return _npy_header(archive, members, name) if _path(name) in members else None

        wanted = _expected_arrays(manifest, header, rows)
        sizes = [members[_path(name)].file_size for name in wanted] + [members[MANIFEST].file_size, unpacked]
        _within_budget(sum(sizes))
        table = _table(table_bytes)
        arrays = {name: _load(archive, members, name, kinds, shape) for name, (kinds, shape) in wanted.items()}
    _check_values(manifest, arrays, rows)
    return Contents(manifest, table, arrays)


def _path(name: str) -> str:
    return f"arrays/{name}.npy"


def _info(members: dict[str, zipfile.ZipInfo], name: str, cap: int) -> zipfile.ZipInfo:
    info = members.get(name)
    if info is None:
        raise damaged(f"it has no '{name}'")
    if info.flag_bits & 0x1:
        raise damaged(f"'{name}' is encrypted")
    for what, size in (("declares", info.file_size), ("takes", info.compress_size)):
        if size > cap:
            raise damaged(f"'{name}' {what} {size:,} bytes, more than the {cap:,} a part of a saved analysis may hold")
    stored = info.compress_type == zipfile.ZIP_STORED
    if (stored and info.compress_size != info.file_size) or (
        info.file_size > MAX_DEFLATE_RATIO * info.compress_size + 1024
    ):
        raise damaged(f"'{name}' declares {info.file_size:,} bytes, which its {info.compress_size:,} cannot hold")
    return info


def _read(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str, cap: int) -> bytes:
    """A member's bytes, never more than it declares (the reading stops one byte past it)."""
    info = _info(members, name, cap)
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError) as error:
        raise damaged(f"'{name}' cannot be unpacked ({error})") from error
    if len(data) != info.file_size:
        raise damaged(f"'{name}' holds {'more' if len(data) > info.file_size else 'less'} than it declares")
    return data


def _manifest(data: bytes, format_name: str, version: int) -> dict[str, Any]:
    deepest = _depth(data)
    if deepest > MAX_DEPTH:
        raise damaged(f"its manifest is nested {deepest:,} levels deep, deeper than Payoff ever writes ({MAX_DEPTH})")
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError) as error:  # JSONDecodeError and bad UTF-8 are ValueErrors
        raise damaged(f"its manifest is not JSON ({error})") from error
    if not isinstance(manifest, dict):
        raise damaged(f"its manifest is a JSON {type(manifest).__name__}, not an object")
    if manifest.get("format") != format_name:
        raise UnreadableAnalysis("This is not a saved Payoff analysis.")
    saved_version = manifest.get("version")
    if isinstance(saved_version, bool) or not isinstance(saved_version, int) or saved_version < 1:
        raise damaged(f"its manifest's version should be a whole number from 1, not {show(saved_version)}")
    if saved_version > version:
        raise UnreadableAnalysis("This analysis was saved by a newer Payoff; upgrade Payoff to open it.")
    return manifest


def _depth(data: bytes) -> int:
    """How deeply the JSON's arrays and objects nest, counted without parsing (a parser recurses)."""
    codes = np.frombuffer(_STRINGS.sub(b'""', data), dtype=np.uint8)
    opens = (codes == ord("[")) | (codes == ord("{"))
    closes = (codes == ord("]")) | (codes == ord("}"))
    steps = opens.astype(np.int64) - closes
    return int(np.cumsum(steps).max()) if len(steps) else 0


def _table_shape(data: bytes) -> tuple[int, tuple[str, ...], int]:
    """The table's rows, columns and unpacked size, from its Parquet footer alone."""
    try:
        meta = pq.ParquetFile(pa.BufferReader(data)).metadata
        columns = tuple(meta.schema.to_arrow_schema().names)
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    except (pa.ArrowException, OSError, ValueError) as error:
        raise damaged(f"its table is not a readable Parquet file ({error})") from error
    if unpacked > MAX_MEMBER_BYTES:
        raise damaged(f"its table unpacks to {unpacked:,} bytes, more than the {MAX_MEMBER_BYTES:,} a part may hold")
    return int(meta.num_rows), columns, int(unpacked)


def _table(data: bytes) -> pd.DataFrame:
    try:
        return pd.read_parquet(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as error:
        raise damaged(f"its table cannot be read ({error})") from error


def _within_budget(unpacked: int) -> None:
    if unpacked > MAX_TOTAL_BYTES:
        raise damaged(f"it unpacks to {unpacked:,} bytes, more than the {MAX_TOTAL_BYTES:,} a saved analysis may")
    needed, limit = OPENING_FACTOR * unpacked, budget.limit()
    if needed > limit:
        raise UnreadableAnalysis(
            f"Opening this saved analysis needs about {budget.size_text(needed)} of memory; the limit is "
            f"{budget.size_text(limit)} ({budget.BUDGET_ENV}). Open it where more memory is allowed."
        )


def _npy_header(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str
) -> tuple[np.dtype[Any], tuple[int, ...]]:
    """An array's kind of values and shape, from its header alone (its data is not unpacked), and
    checked against the size its member declares."""
    path = _path(name)
    info = _info(members, path, MAX_MEMBER_BYTES)
    try:
        with archive.open(info) as stream:
            major, _ = np.lib.format.read_magic(stream)
            reader = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
            shape, _, dtype = reader(stream, max_header_size=10_000)
            header_size = stream.tell()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, SyntaxError, TypeError) as error:
        raise damaged(f"'{path}' is not an array Payoff wrote ({error})") from error
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise damaged(f"'{path}' holds {dtype} values, which Payoff never writes")
    data_size = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if header_size + data_size != info.file_size:
        raise damaged(
            f"'{path}' declares {data_size:,} bytes of values ({'x'.join(map(str, shape)) or 'one'} of {dtype}) "
            f"but its part holds {info.file_size - header_size:,}"
        )
    return dtype, tuple(int(n) for n in shape)


def _load(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    name: str,
    kinds: str,
    shape: tuple[int, ...],
) -> np.ndarray:
    """An array whose header was checked (kinds and shape): read, capped, without pickle."""
    path = _path(name)
    data = _read(archive, members, path, MAX_MEMBER_BYTES)
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise damaged(f"'{path}' cannot be read ({error})") from error
    if array.dtype.kind not in kinds or array.shape != shape:  # the header was checked: this is belt and braces
        raise damaged(f"'{path}' is not the array its header described")
    return np.asarray(array)


def _expected_arrays(
    manifest: dict[str, Any], header: Header, table_rows: int
) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Each array the predictions name, with the kinds of values and the shape it must have; the
    header of each is read (never its data) and held to them."""
    wanted: dict[str, tuple[str, tuple[int, ...]]] = {}
    predictions = manifest["predictions"]

    def expect(name: str, kinds: str, shape: tuple[int, ...] | None = None, optional: bool = False) -> tuple[int, ...]:
        seen = header(name)
        if seen is None:
            if optional:
                return ()
            raise damaged(f"it has no 'arrays/{name}.npy'")
        dtype, found = seen
        if dtype.kind not in kinds:
            what = {"f": "numbers", "b": "true/false values", "M": "dates", "U": "text"}.get(kinds[0], "whole numbers")
            raise damaged(f"'arrays/{name}.npy' should hold {what}, not {dtype}")
        if shape is not None and found != shape:
            raise damaged(f"'arrays/{name}.npy' is {_shape(found)} where the analysis needs {_shape(shape)}")
        wanted[name] = (kinds, found)
        return found

    models = predictions["models"]
    if predictions["kind"] == "quantity":
        series = predictions["series"]
        n_series = len(series["rows"]) if series["columns"] else 1
        (n_periods,) = _one_dimension(expect("dates", DATES), "dates")
        horizon, starts = predictions["horizon"], predictions["starts"]
        if starts[-1] + horizon > n_periods:
            raise damaged(
                f"its windows (horizon {horizon:,}, the last from period {starts[-1]:,}) run past its "
                f"{n_periods:,} periods of history"
            )
        design = manifest["problem"]["evaluation"]
        if design["horizon"] != horizon:
            raise damaged(f"its design's horizon ({design['horizon']:,}) is not its predictions' ({horizon:,})")
        for key, value in (("season", design["season"]), ("step", design["step"]), ("tests", design["origins"])):
            if max(value, predictions["season"]) > n_periods:
                raise damaged(
                    f"its {key} ({max(value, predictions['season']):,}) is more than its {n_periods:,} periods"
                )
        grid, cells = (n_series, n_periods), (n_series, len(starts) * horizon)
        expect("y", FLOATS, grid)
        for name in [*predictions["regressors"].values(), *predictions["columns"].values()]:
            expect(name, FLOATS, grid)
        for i in range(len(models)):
            expect(f"forecast.{i}", FLOATS, cells)
            expect(f"fallback.{i}", BOOLS, cells)
        return wanted
    (n_rows,) = _one_dimension(expect("rows", INTEGERS), "rows")
    if n_rows > table_rows:
        raise damaged(f"it scores {n_rows:,} entities but its table has {table_rows:,} rows")
    for name, kinds in (("positive", BOOLS), ("fold", INTEGERS), ("status_quo_acts", BOOLS)):
        expect(name, kinds, (n_rows,))
    for key in predictions["priced"]:
        expect(f"priced.{key}", FLOATS, (n_rows,))
    for i in range(len(models)):
        expect(f"probability.{i}", FLOATS, (n_rows,))
    expect("ids", TEXTS, (n_rows,), optional=True)
    return wanted


def _one_dimension(shape: tuple[int, ...], name: str) -> tuple[int]:
    if len(shape) != 1:
        raise damaged(f"'arrays/{name}.npy' is {_shape(shape)} where the analysis needs one list")
    return (shape[0],)


def _shape(shape: tuple[int, ...]) -> str:
    return " x ".join(f"{n:,}" for n in shape) if shape else "a single value"


def _check_values(manifest: dict[str, Any], arrays: dict[str, np.ndarray], table_rows: int) -> None:
    """What the pricing reads from the arrays: dates in order, rows in the table, folds in range."""
    if manifest["predictions"]["kind"] == "quantity":
        dates = arrays["dates"]
        if np.isnat(dates).any() or (len(dates) > 1 and not (np.diff(dates) > np.timedelta64(0)).all()):
            raise damaged("its dates are not one strictly increasing run of dates")
        return
    rows, fold = arrays["rows"], arrays["fold"]
    if len(rows) and (rows.min() < 0 or rows.max() >= table_rows):
        raise damaged(f"its scored rows point outside its table of {table_rows:,} rows")
    folds = manifest["problem"]["evaluation"]["folds"]
    if len(fold) and (fold.min() < 0 or fold.max() >= folds):
        raise damaged(f"its folds should be numbered 0 to {folds - 1}, not up to {int(fold.max())}")
    for name, values in arrays.items():
        if name.startswith("probability.") and ((values < 0) | (values > 1)).any():  # NaN: a failed model
            raise damaged(f"'{_path(name)}' holds probabilities outside 0 to 1")
