"""Targeting framings end to end: roles -> features -> out-of-fold probabilities -> priced
act/pass decisions against the status quo."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from payoff.analysis import Analysis, AnalysisSpec, Progress
from payoff.data.roles import Role, RoleMap, positive_class
from payoff.errors import BadMapping, NotEnoughData
from payoff.evaluate import leakage, targeting_money
from payoff.models import classifiers

MIN_EVENTS = 20


def outcome(frame: pd.DataFrame, roles: RoleMap) -> tuple[np.ndarray, str]:
    target = roles.one(Role.TARGET)
    if target is None:
        raise BadMapping(
            "Mark the outcome column (churned, fraud, converted, defaulted) as the target on the Data page."
        )
    values = frame[target]
    present = values.notna()
    distinct = values[present].astype("str").unique()
    if len(distinct) == 1:
        raise NotEnoughData(
            f"The outcome '{target}' has only one value ({distinct[0]}); there is nothing to predict. "
            "Choose a column with two outcomes."
        )
    if len(distinct) > 2:
        raise BadMapping(
            f"The outcome '{target}' has {len(distinct)} values; targeting needs exactly two "
            "(e.g. churned yes/no). Choose another column or recode it."
        )
    label = roles.positive_class or positive_class(values[present])
    positive = (values.astype("str") == str(label)).to_numpy()
    if positive[present.to_numpy()].sum() < MIN_EVENTS:
        raise NotEnoughData(
            f"Only {int(positive.sum())} rows have '{target}' = {label}; at least {MIN_EVENTS} events "
            "are needed to learn anything. Add more history."
        )
    return positive, label


def features_of(frame: pd.DataFrame, roles: RoleMap) -> list[str]:
    return [c for c, r in roles.roles.items() if r in (Role.FEATURE, Role.VALUE, Role.PRICE, Role.COST)]


def run(
    frame: pd.DataFrame, roles: RoleMap, spec: AnalysisSpec, params: dict[str, Any], progress: Progress | None = None
) -> Analysis:
    target = roles.one(Role.TARGET)
    frame = frame[frame[target].notna()].reset_index(drop=True) if target else frame
    positive, label = outcome(frame, roles)
    features = features_of(frame, roles)
    if not features:
        raise BadMapping("No feature columns are left to learn from; mark some columns as features on the Data page.")
    x = classifiers.feature_frame(frame, features)
    columns = classifiers.split_columns(x, features)
    date = roles.one(Role.DATE)
    order = frame[date].to_numpy() if date else None
    splits = classifiers.folds(positive.astype(int), order, spec.folds)
    scored = np.sort(np.concatenate([test for _, test in splits]))
    names = [n for n in (spec.models or classifiers.MODELS) if n in classifiers.MODELS]
    results: dict[str, classifiers.OutOfFold] = {}
    for i, name in enumerate(names):
        results[name] = classifiers.out_of_fold(
            name, x, positive.astype(int), splits, columns, progress, (i, len(names))
        )
    if progress:
        progress("done", 1.0)
    failures = {n: r.failure for n, r in results.items() if r.failure}
    working = {n: r for n, r in results.items() if not r.failure}
    if not working:
        raise NotEnoughData("Every model failed: " + "; ".join(f"{n}: {f}" for n, f in failures.items()))
    value_column = roles.one(Role.VALUE)
    status_quo = spec.status_quo or roles.one(Role.DECISION) or "nobody"
    acts, label_sq = classifiers.status_quo_acts(status_quo, frame)
    analysis = Analysis(
        spec=spec,
        family="targeting",
        params=params,
        impact=None,
        predictions={
            "positive": positive[scored],
            "value": frame[value_column].to_numpy(dtype="float64", na_value=np.nan)[scored] if value_column else None,
            "probabilities": {n: r.calibrated[scored] for n, r in working.items()},
            "raw": {n: r.raw[scored] for n, r in working.items()},
            "status_quo_acts": acts[scored],
            "rows": scored,
            "ids": frame[roles.one(Role.ID)].astype("str").to_numpy()[scored] if roles.one(Role.ID) else None,
            "models": working,
            "x": x,
            "columns": columns,
        },
        status_quo_label=label_sq,
        status_quo_model="status quo",
        model_names=list(working),
        context={
            "positive_label": label,
            "target": target,
            "value_column": value_column,
            "failures": failures,
            "time_ordered": date is not None,
            "features": features,
            "leakage": leakage.check(frame, features, positive.astype(int)),
        },
    )
    analysis.impact = price(analysis, params)
    return analysis


def price(analysis: Analysis, params: dict[str, Any], threshold: float | None = None):
    p = analysis.predictions
    if "accuracy" not in analysis.context:  # cost-free, so computed once per run
        analysis.context["accuracy"] = {
            n: targeting_money.accuracy(prob, p["positive"]) for n, prob in p["probabilities"].items()
        }
    accuracies = analysis.context["accuracy"]
    impact = targeting_money.price(
        analysis.spec.framing,
        params,
        p["positive"],
        p["value"],
        p["probabilities"],
        p["status_quo_acts"],
        analysis.status_quo_label,
        threshold,
        accuracies,
    )
    impact.evaluation["positive_label"] = analysis.context["positive_label"]
    impact.evaluation["time_ordered_folds"] = analysis.context["time_ordered"]
    impact.evaluation["leakage_flags"] = [
        {"column": f.column, "auc": f.auc, "reason": f.reason} for f in analysis.context["leakage"]
    ]
    for model in impact.models:
        if model.name in analysis.context["failures"]:
            model.failed = [analysis.context["failures"][model.name]]
    return impact


def entity_decisions(analysis: Analysis) -> pd.DataFrame:
    """The best model's act/pass list, best expected value first (for the Decisions page)."""
    impact = analysis.impact
    name = (
        impact.best_model
        if impact.best_model in analysis.predictions["probabilities"]
        else next(iter(analysis.predictions["probabilities"]))
    )
    p = analysis.predictions
    table = pd.DataFrame(
        {
            "row": p["rows"] + 1,
            **({"id": p["ids"]} if p.get("ids") is not None else {}),
            "probability": np.round(p["probabilities"][name], 4),
            "expected gain of acting": np.round(impact.details["gain_of_acting"][name], 2),
            "act": impact.details["decisions"][name],
        }
    )
    return table.sort_values("expected gain of acting", ascending=False).reset_index(drop=True)
