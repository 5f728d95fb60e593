"""The saved form of each decision kind's predictions: the JSON part of the manifest and the arrays
saved beside it as .npy files, written and read back exactly (serial.py holds the rest)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from payoff.decision_kinds import DecisionKind
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
from payoff.models.panel import Panel
from payoff.timegrid import Frequency


@dataclass(frozen=True)
class PredictionsForm:
    write: Callable[[Any, dict[str, np.ndarray]], dict[str, Any]]
    read: Callable[[dict[str, Any], dict[str, np.ndarray]], Any]


def _failures(failures: tuple[Failure, ...]) -> list[dict[str, Any]]:
    return [asdict(f) for f in failures]


def _explanations(explanations: tuple[Explanation, ...]) -> list[dict[str, Any]]:
    return [asdict(e) for e in explanations]


def _read_explanations(data: list[dict[str, Any]]) -> tuple[Explanation, ...]:
    return tuple(Explanation(e["model"], e["unit"], tuple(Effect(**x) for x in e["effects"]), e["note"]) for e in data)


def _write_quantity(predictions: QuantityPredictions, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
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
        models.append({"name": entry.name, "failures": _failures(entry.failures), "ratio": entry.ratio})
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
        "blend": predictions.blend,
    }


def _write_targeting(predictions: TargetingPredictions, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
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


def _read_quantity(data: dict[str, Any], arrays: dict[str, np.ndarray]) -> QuantityPredictions:
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
            m["name"],
            arrays[f"forecast.{i}"],
            arrays[f"fallback.{i}"],
            tuple(Failure(**f) for f in m["failures"]),
            m.get("ratio"),
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
        bool(data.get("blend", False)),  # saved before the blend: priced as it was saved
    )


def _read_targeting(data: dict[str, Any], arrays: dict[str, np.ndarray]) -> TargetingPredictions:
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


FORMS: dict[DecisionKind, PredictionsForm] = {
    DecisionKind.QUANTITY: PredictionsForm(_write_quantity, _read_quantity),
    DecisionKind.TARGETING: PredictionsForm(_write_targeting, _read_targeting),
}
