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
from payoff.carry.serial_schema import UnreadableAnalysis, damaged
from payoff.designs import Backtest, CrossFit
from payoff.engines import engine_for
from payoff.evaluate.predictions import (
    Effect,
    Explanation,
    Failure,
    Forecasts,
    LeakageFlag,
    QuantityPredictions,
    Scores,
    TargetingPredictions,
)
from payoff.framings import catalogue
from payoff.framings.base import FromColumn
from payoff.models.panel import Panel
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
        "predictions": _predictions(analysis.predictions, arrays),
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
        predictions = _read_predictions(manifest["predictions"], arrays)
        impact = engine_for(problem.family).price(problem, predictions, problem.values)
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
        sources=tuple(
            (key, str(data["sources"][key])) for key in (*order, "value_periods") if key in data.get("sources", {})
        ),
        defaults_from=data.get("defaults_from"),
        currency=str(data.get("currency", "")),
        money_target=data.get("money_target"),
        status_quo_reason=str(data.get("status_quo_reason", "")),
        source=data["source"],
    )


def _failures(failures: tuple[Failure, ...]) -> list[dict[str, Any]]:
    return [asdict(f) for f in failures]


def _explanations(explanations: tuple[Explanation, ...]) -> list[dict[str, Any]]:
    return [asdict(e) for e in explanations]


def _read_explanations(data: list[dict[str, Any]]) -> tuple[Explanation, ...]:
    return tuple(Explanation(e["model"], e["unit"], tuple(Effect(**x) for x in e["effects"]), e["note"]) for e in data)


def _predictions(
    predictions: QuantityPredictions | TargetingPredictions, arrays: dict[str, np.ndarray]
) -> dict[str, Any]:
    if isinstance(predictions, QuantityPredictions):
        panel = predictions.panel
        arrays["y"] = panel.y
        arrays["dates"] = panel.dates.to_numpy()
        regressors = {}
        for i, (name, values) in enumerate(panel.regressors.items()):
            arrays[f"regressor.{i}"], regressors[name] = values, f"regressor.{i}"
        columns = {}
        for name, values in panel.columns.items():  # price, unit_cost, decision
            arrays[f"column.{name}"], columns[name] = values, f"column.{name}"
        models = []
        for i, entry in enumerate(predictions.models):
            arrays[f"forecast.{i}"], arrays[f"fallback.{i}"] = entry.forecast, entry.fallback
            models.append({"name": entry.name, "failures": _failures(entry.failures)})
        return {
            "kind": "quantity",
            "series": {"columns": list(panel.series.columns), "rows": panel.series.astype("str").to_numpy().tolist()},
            "frequency": asdict(panel.frequency),
            "season": panel.season,
            "counted": panel.counted,
            "regressors": regressors,
            "columns": columns,
            "starts": list(predictions.starts),
            "horizon": predictions.horizon,
            "models": models,
            "has_decisions": predictions.status_quo_decisions is not None,
            "explanations": _explanations(predictions.explanations),
        }
    for key in ("rows", "positive", "fold", "status_quo_acts"):
        arrays[key] = getattr(predictions, key)
    if predictions.ids is not None:
        arrays["ids"] = predictions.ids.astype("str")
    for key, values in predictions.priced.items():
        arrays[f"priced.{key}"] = values
    models = []
    for i, scores in enumerate(predictions.models):
        arrays[f"probability.{i}"] = scores.probability
        models.append({"name": scores.name, "failures": _failures(scores.failures)})
    return {
        "kind": "targeting",
        "positive_label": predictions.positive_label,
        "priced": list(predictions.priced),
        "models": models,
        "leakage": [asdict(f) for f in predictions.leakage],
        "explanations": _explanations(predictions.explanations),
    }


def _read_predictions(
    data: dict[str, Any], arrays: dict[str, np.ndarray]
) -> QuantityPredictions | TargetingPredictions:
    if data["kind"] == "quantity":
        series = pd.DataFrame(data["series"]["rows"], columns=data["series"]["columns"])
        if not data["series"]["columns"]:
            series = pd.DataFrame(index=[0])
        panel = Panel(
            y=arrays["y"],
            dates=pd.DatetimeIndex(arrays["dates"]),
            series=series,
            frequency=Frequency(**data["frequency"]),
            season=int(data["season"]),
            counted=data.get("counted"),
            regressors={name: arrays[key] for name, key in data["regressors"].items()},
            columns={name: arrays[key] for name, key in data["columns"].items()},
        )
        models = tuple(
            Forecasts(
                m["name"], arrays[f"forecast.{i}"], arrays[f"fallback.{i}"], tuple(Failure(**f) for f in m["failures"])
            )
            for i, m in enumerate(data["models"])
        )
        return QuantityPredictions(
            panel,
            tuple(data["starts"]),
            int(data["horizon"]),
            models,
            panel.columns.get("decision") if data["has_decisions"] else None,
            _read_explanations(data["explanations"]),
        )
    return TargetingPredictions(
        rows=arrays["rows"],
        positive=arrays["positive"],
        fold=arrays["fold"],
        status_quo_acts=arrays["status_quo_acts"],
        models=tuple(
            Scores(m["name"], arrays[f"probability.{i}"], tuple(Failure(**f) for f in m["failures"]))
            for i, m in enumerate(data["models"])
        ),
        positive_label=data["positive_label"],
        priced={key: arrays[f"priced.{key}"] for key in data["priced"]},
        ids=arrays.get("ids"),
        leakage=tuple(LeakageFlag(**f) for f in data["leakage"]),
        explanations=_read_explanations(data["explanations"]),
    )
