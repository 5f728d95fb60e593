"""An Analysis as bytes and back, exactly: the problem (its settings and its table, as Parquet),
the kept predictions (as .npy arrays) and a versioned JSON manifest, in one zip archive. Reading
re-prices the kept predictions, so every money figure comes back to the last digit without a
refit. No pickle anywhere: a saved analysis cannot run code when it is opened, and its bytes are
checked as untrusted input (`serial_check`) before anything is built from them."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from payoff.analysis import Analysis
from payoff.carry.serial_check import read as read_checked
from payoff.carry.serial_predictions import FORMS
from payoff.carry.serial_schema import UnreadableAnalysis, damaged
from payoff.designs import Backtest, CrossFit
from payoff.engines import engine_for
from payoff.framings import catalogue
from payoff.framings.base import FromColumn
from payoff.problem import Problem
from payoff.statusquo import from_dict, to_dict
from payoff.timegrid import Frequency

FORMAT = "payoff-analysis"
VERSION = 1


__all__ = ["FORMAT", "VERSION", "UnreadableAnalysis", "from_bytes", "to_bytes"]


def to_bytes(analysis: Analysis) -> bytes:
    arrays: dict[str, np.ndarray] = {}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "problem": _problem(analysis.problem),
        "predictions": FORMS[analysis.kind].write(analysis.predictions, arrays),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("analysis.json", json.dumps(manifest, sort_keys=True))
        table = io.BytesIO()
        analysis.problem.table.to_parquet(table, index=False)
        archive.writestr("table.parquet", table.getvalue())
        for name, array in arrays.items():
            data = io.BytesIO()
            np.save(data, array, allow_pickle=False)
            archive.writestr(f"arrays/{name}.npy", data.getvalue())
    return buffer.getvalue()


def from_bytes(content: bytes) -> Analysis:
    checked = read_checked(content, FORMAT, VERSION)  # untrusted: every part checked before anything is built
    manifest, table, arrays = checked.manifest, checked.table, checked.arrays
    try:
        problem = _read_problem(manifest["problem"], table)
        predictions = FORMS[problem.kind].read(manifest["predictions"], arrays)
        impact = engine_for(problem.kind).price(problem, predictions, problem.values)
    except (KeyError, TypeError, ValueError, IndexError, OverflowError, ZeroDivisionError) as error:
        raise damaged(f"its parts do not fit together ({type(error).__name__}: {error})") from error
    return Analysis(problem, predictions, impact)


def _problem(problem: Problem) -> dict[str, Any]:
    params = {
        key: ({"column": v.column, "fill": v.fill, "scale": v.scale} if isinstance(v, FromColumn) else v)
        for key, v in problem.params
    }
    design = problem.evaluation
    if isinstance(design, Backtest):
        evaluation: dict[str, Any] = {"kind": "backtest", **asdict(design), "frequency": asdict(design.frequency)}
    else:
        evaluation = {"kind": "crossfit", **asdict(design)}
    return {
        "framing": problem.framing.key,
        "target": problem.target,
        "date": problem.date,
        "keys": list(problem.keys),
        "entity_id": problem.entity_id,
        "features": list(problem.features),
        "params": params,
        "status_quo": to_dict(problem.status_quo),
        "status_quo_source": problem.status_quo_source,
        "models": list(problem.models),
        "evaluation": evaluation,
        "segment": problem.segment,
        "left_out": [list(pair) for pair in problem.left_out],
        "realised": [list(pair) for pair in problem.realised],
        "closed_column": problem.closed_column,
        "closures": problem.closures,
        "rows_combined": problem.rows_combined,
        "sources": dict(problem.sources),
        "defaults_from": problem.defaults_from,
        "currency": problem.currency,
        "money_target": problem.money_target,
        "status_quo_reason": problem.status_quo_reason,
        "source": problem.source,
    }


def _read_problem(data: dict[str, Any], table: pd.DataFrame) -> Problem:
    # The manifest's keys are sorted: the parameters go back in the framing's own order, as a fresh
    # run has them, so a reopened analysis compares (and prints) exactly like the run it came from.
    order = [p.key for p in catalogue.get(data["framing"]).params]
    stored = dict(data["params"])
    params = tuple(
        (key, FromColumn(**stored[key]) if isinstance(stored[key], dict) else stored[key])
        for key in sorted(stored, key=lambda k: order.index(k) if k in order else len(order))
    )
    raw = dict(data["evaluation"])
    kind = raw.pop("kind")
    if kind == "backtest":
        raw["frequency"] = Frequency(**raw["frequency"])
        evaluation: Backtest | CrossFit = Backtest(**raw)
    else:
        evaluation = CrossFit(**raw)
    return Problem(
        framing=catalogue.get(data["framing"]),
        table=table,
        target=data["target"],
        date=data["date"],
        keys=tuple(data["keys"]),
        entity_id=data["entity_id"],
        features=tuple(data["features"]),
        params=params,
        status_quo=from_dict(data["status_quo"]),
        status_quo_source=data["status_quo_source"],
        models=tuple(data["models"]),
        evaluation=evaluation,
        segment=data["segment"],
        left_out=tuple((str(column), str(reason)) for column, reason in data.get("left_out", [])),
        realised=tuple((str(column), str(reason)) for column, reason in data.get("realised", [])),
        closed_column=data.get("closed_column"),
        closures=str(data.get("closures", "")),
        rows_combined=str(data.get("rows_combined", "")),
        sources=tuple(
            (key, str(data["sources"][key])) for key in (*order, "value_periods") if key in data.get("sources", {})
        ),
        defaults_from=data.get("defaults_from"),
        currency=str(data.get("currency", "")),
        money_target=data.get("money_target"),
        status_quo_reason=str(data.get("status_quo_reason", "")),
        source=data["source"],
    )
