"""The bad-input corpus for saved analyses: real small saved analyses (one quantity, one
targeting), tampered with as a damaged disk, a careless restore or someone who means harm would
(wrong types, absurd sizes, 100,000-deep JSON, arrays that lie about their size), and the
saved-analyses database rows that break a list. Each case names the words of its one message."""

from __future__ import annotations

import functools
import io
import json
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from payoff.analysis import Analysis, run_analysis
from payoff.carry import serial
from payoff.carry.store import Store
from payoff.data.roles import suggest_roles
from payoff.problem import make_problem

ZIP_TIME = (2026, 1, 1, 0, 0, 0)


@functools.cache
def quantity_bytes() -> bytes:
    return serial.to_bytes(quantity_analysis())


@functools.cache
def targeting_bytes() -> bytes:
    return serial.to_bytes(targeting_analysis())


@functools.cache
def quantity_analysis() -> Analysis:
    """Two series of 90 days, two models: a saved analysis of 5 KB, made in a fraction of a second."""
    rng = np.random.default_rng(0)
    dates = pd.date_range("2025-01-01", periods=90)
    frame = pd.DataFrame(
        {"date": np.tile(dates, 2), "store": np.repeat(["north", "south"], 90), "units": rng.poisson(6, 180)}
    )
    problem = make_problem(
        frame,
        suggest_roles(frame),
        "custom-quantity",
        params={"under": 2, "over": 1},
        models=["naive", "seasonal naive"],
        source="small.csv",
    )
    return run_analysis(problem)


@functools.cache
def targeting_analysis() -> Analysis:
    """300 customers, one model."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=300)
    frame = pd.DataFrame(
        {
            "customer": [f"c{i}" for i in range(300)],
            "tenure": rng.integers(1, 60, 300),
            "spend": rng.gamma(2, 50, 300),
            "churned": np.where(rng.random(300) < 1 / (1 + np.exp(-x)), "yes", "no"),
            "x": x,
        }
    )
    problem = make_problem(
        frame,
        suggest_roles(frame),
        "churn",
        params={"value": 200, "contact_cost": 10, "offer_cost": 30},
        models=["logistic regression"],
        source="small_churn.csv",
    )
    return run_analysis(problem)


def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


Part = bytes | Callable[[dict[str, bytes]], bytes] | None


def with_parts(base: Callable[[], bytes], changes: dict[str, Part]) -> Callable[[], bytes]:
    """`base` with members replaced (bytes, or made from the original parts) or dropped (None)."""

    def build() -> bytes:
        parts = members(base())
        for name, change in changes.items():
            if change is None:
                del parts[name]
            else:
                parts[name] = change if isinstance(change, bytes) else change(parts)
        return rezip(parts)

    return build


def with_manifest(base: Callable[[], bytes], change: Callable[[dict[str, Any]], Any]) -> Callable[[], bytes]:
    """`base` with its manifest edited (`change` edits it in place, or returns a replacement)."""

    def build() -> bytes:
        parts = members(base())
        manifest = json.loads(parts["analysis.json"])
        replaced = change(manifest)
        parts["analysis.json"] = json.dumps(manifest if replaced is None else replaced).encode()
        return rezip(parts)

    return build


def with_text(base: Callable[[], bytes], edit: Callable[[str], str]) -> Callable[[], bytes]:
    """`base` with its manifest's JSON text edited (for what json.dumps cannot write: 1e999)."""

    def build() -> bytes:
        parts = members(base())
        parts["analysis.json"] = edit(parts["analysis.json"].decode()).encode()
        return rezip(parts)

    return build


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def declaring(shape: tuple[int, ...], dtype: str = "<f8") -> bytes:
    """A .npy header declaring `shape` (a gigabyte, say) followed by ten values only."""
    header = repr({"descr": dtype, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(80)


def declared_size(base: Callable[[], bytes], name: str, size: int) -> Callable[[], bytes]:
    """`base` whose central directory says member `name` unpacks to `size` bytes (it does not)."""

    def build() -> bytes:
        content = bytearray(base())
        at = content.find(b"PK\x01\x02")
        while at >= 0:
            length = struct.unpack_from("<H", content, at + 28)[0]
            if bytes(content[at + 46 : at + 46 + length]) == name.encode():
                struct.pack_into("<I", content, at + 24, size)
            at = content.find(b"PK\x01\x02", at + 4)
        return bytes(content)

    return build


def _array(base: Callable[[], bytes], name: str, transform: Callable[[np.ndarray], np.ndarray]) -> Callable[[], bytes]:
    """`base` with the array `name` changed by `transform`."""
    return with_parts(base, {name: lambda parts: npy(transform(np.load(io.BytesIO(parts[name]))))})


def _deep(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest)[:-1] + ', "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = manifest
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = manifest
        for key in parents:
            target = target[key]
        del target[last]

    return change


@dataclass(frozen=True)
class Crafted:
    name: str
    build: Callable[[], bytes]
    says: str


Q, T = quantity_bytes, targeting_bytes
GIGABYTE = 2**30
CRAFTED = (
    Crafted("manifest_a_list", with_manifest(Q, lambda m: [m]), "its manifest is a JSON list, not an object"),
    Crafted(
        "version_a_list", with_manifest(Q, _set("version", [2])), "version should be a whole number from 1, not [2]"
    ),
    Crafted("version_1e999", with_text(Q, lambda t: t.replace('"version": 1', '"version": 1e999')), "not inf"),
    Crafted(
        "price_1e999",
        with_text(Q, lambda t: t.replace('"under": 2.0', '"under": 1e999')),
        "problem.params.under should be a finite number, not inf",
    ),
    Crafted("keys_5", with_manifest(Q, _set("problem.keys", 5)), "problem.keys should be a list of names, not 5"),
    Crafted("no_problem", with_manifest(Q, _drop("problem")), "its manifest lacks 'problem'"),
    Crafted("deep_json", with_text(Q, lambda t: _deep(json.loads(t))), "nested 100,001 levels deep"),
    Crafted(
        "horizon_1e9",
        with_manifest(Q, _set("predictions.horizon", 1e9)),
        "predictions.horizon should be a whole number, not 1000000000.0",
    ),
    Crafted(
        "horizon_a_billion",
        with_manifest(Q, _set("problem.evaluation.horizon", 10**9)),
        "its horizon of 1,000,000,000 periods is longer than its history of 90",
    ),
    Crafted(
        "windows_past_the_history",
        with_manifest(Q, _set("predictions.horizon", 10**9)),
        "its windows (horizon 1,000,000,000, the last from period 76) run past its 90 periods of history",
    ),
    Crafted(
        "dates_as_text",
        _array(Q, "arrays/dates.npy", lambda dates: np.datetime_as_string(dates, unit="D")),
        "'arrays/dates.npy' should hold dates, not <U",
    ),
    Crafted(
        "truncated_array",
        with_parts(Q, {"arrays/y.npy": lambda parts: parts["arrays/y.npy"][:-400]}),
        "'arrays/y.npy' declares 1,440 bytes of values (2x90 of float64) but its part holds 1,040",
    ),
    Crafted(
        "array_a_period_short",
        _array(Q, "arrays/y.npy", lambda y: y[:, :-1]),
        "'arrays/y.npy' is 2 x 89 where the analysis needs 2 x 90",
    ),
    Crafted(
        "small_blob_declaring_a_gigabyte",
        with_parts(Q, {"arrays/y.npy": declaring((GIGABYTE // 8,))}),
        "declares 1,073,741,824 bytes of values (134217728 of float64) but its part holds 80",
    ),
    Crafted(
        "member_declaring_a_gigabyte",
        declared_size(Q, "arrays/y.npy", GIGABYTE),
        "'arrays/y.npy' declares 1,073,741,824 bytes, more than the 536,870,912 a part of a saved analysis may hold",
    ),
    Crafted(
        "pickled_array",
        with_parts(Q, {"arrays/y.npy": npy(np.array([{"x": 1}], dtype=object), allow_pickle=True)}),
        "'arrays/y.npy' holds object values, which Payoff never writes",
    ),
    Crafted("no_table", with_parts(Q, {"table.parquet": None}), "it has no 'table.parquet'"),
    Crafted(
        "table_not_parquet", with_parts(Q, {"table.parquet": b"date,units\n"}), "its table is not a readable Parquet"
    ),
    Crafted(
        "unknown_status_quo",
        with_manifest(Q, _set("problem.status_quo", {"kind": "Oracle"})),
        "problem.status_quo.kind should be one of",
    ),
    Crafted(
        "column_not_in_table",
        with_manifest(Q, _set("problem.target", "sold")),
        "it names column(s) its table does not have: 'sold'",
    ),
    Crafted(
        "failure_with_a_stray_field",
        with_manifest(
            Q,
            _set(
                "predictions.models",
                [
                    {"name": "naive", "failures": [{"model": "x", "reason": "y", "evil": 1}]},
                    {"name": "seasonal naive", "failures": []},
                ],
            ),
        ),
        "predictions.models[0].failures[0] has a field 'evil' Payoff does not know",
    ),
    Crafted(
        "rows_outside_the_table",
        _array(T, "arrays/rows.npy", lambda rows: rows + 10**6),
        "its scored rows point outside its table of 300 rows",
    ),
    Crafted(
        "a_trillion_folds",
        _array(T, "arrays/fold.npy", lambda fold: np.where(fold == 0, 10**12, fold)),
        "its folds should be numbered 0 to 4, not up to 1000000000000",
    ),
    Crafted(
        "probabilities_as_text",
        _array(T, "arrays/probability.1.npy", lambda p: p.astype(str)),
        "'arrays/probability.1.npy' should hold numbers",
    ),
    Crafted(
        "folds_a_string",
        with_manifest(T, _set("problem.evaluation.folds", "5")),
        "problem.evaluation.folds should be a whole number",
    ),
)


# --- rows of the saved-analyses database that a list must survive ---------------------------------


@dataclass(frozen=True)
class BadRow:
    name: str
    summary: str = "{}"
    analysis: bytes | str | None = b"x"
    title: Any = "damaged"  # the row's name column


BAD_ROWS = (
    BadRow("summary not JSON", summary="not json {"),
    BadRow("summary a JSON list", summary="[1, 2, 3]"),
    BadRow("analysis stored as text", analysis="a blob stored as TEXT"),
    BadRow("gain as text", summary='{"recommended": {"gain": "lots"}}'),
    BadRow("name stored as bytes", title=b"\xff\xfe"),
)


def add_row(path: Path, summary: str, analysis: bytes | str | None, name: Any = "damaged") -> int:
    """A row written past Payoff (by hand, by another tool, by a damaged disk)."""
    Store(path).list()  # the file and its schema exist
    with sqlite3.connect(path) as connection:
        cursor = connection.execute(
            "insert into analyses (name, saved_at, dataset, framing, headline, summary, analysis, autosave) "
            "values (?, '2026-01-01T00:00:00+00:00', 'x.csv', 'churn', '', ?, ?, 0)",
            (name, summary, analysis),
        )
        return int(cursor.lastrowid or 0)


def add_analysis_bytes(path: Path, content: bytes, name: str = "crafted") -> int:
    """A row holding `content` as its analysis (the summary of a real one, so the list shows it)."""
    return add_row(path, json.dumps({"framing": "custom-quantity", "narrative": "crafted"}), content, name)


OUT_OF_RANGE = "99999999999999999999"
