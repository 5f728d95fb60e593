"""Tables behind the targeting charts: profit curve, calibration, confusion matrix, top features."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance

from payoff.analysis import Analysis
from payoff.evaluate.impact import Impact
from payoff.framings import targeting


def profit_curve(analysis: Analysis, impact: Impact, model: str) -> pd.DataFrame:
    p = analysis.predictions
    money = targeting.cells(analysis.spec.framing, impact.params, p["value"])
    positive = p["positive"]
    gain = impact.details["gain_of_acting"][model]
    order = np.argsort(-gain, kind="stable")
    n = len(positive)
    act_all = money.realised(np.ones(n, bool), positive)
    pass_all = money.realised(np.zeros(n, bool), positive)
    delta = sum(act_all.values()) - sum(pass_all.values())
    base = float(sum(pass_all.values()).sum())
    cumulative = np.concatenate([[0.0], np.cumsum(delta[order])])
    step = max(1, n // 400)  # a few hundred points are enough to draw
    index = np.unique(np.r_[np.arange(0, n + 1, step), n])
    return pd.DataFrame({"share": index / n, "money": base + cumulative[index]})


def calibration_table(probability: np.ndarray, positive: np.ndarray, bins: int = 10) -> pd.DataFrame:
    edges = np.unique(np.quantile(probability, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, len(edges) - 2)
    frame = pd.DataFrame({"bin": which, "p": probability, "y": positive.astype(float)})
    table = frame.groupby("bin").agg(predicted=("p", "mean"), observed=("y", "mean"), entities=("y", "size"))
    return table.reset_index(drop=True)


def confusion(impact: Impact, model: str) -> pd.DataFrame:
    entry = impact.model(model)
    labels = [("act & event", "act & no event"), ("pass & event", "pass & no event")]
    rows = []
    for decision, (event, no_event) in zip(("act", "pass"), labels, strict=True):
        rows.append(
            {
                "decision": decision,
                "event: entities": int(entry.extras[event]),
                "event: money": round(entry.components[event], 2),
                "no event: entities": int(entry.extras[no_event]),
                "no event: money": round(entry.components[no_event], 2),
            }
        )
    return pd.DataFrame(rows)


def top_features(analysis: Analysis, model: str, sample: int = 2000) -> pd.DataFrame:
    """Coefficients for logistic regression (per standardised unit or category), permutation
    importance (drop in AUC when a column is shuffled) for the tree models, on held-out rows."""
    fitted = analysis.predictions["models"][model]
    estimator = fitted.last_model
    if model == "logistic regression":
        names = estimator[0].get_feature_names_out()
        coefficients = estimator[-1].coef_[0]
        table = pd.DataFrame(
            {
                "feature": [n.split("__", 1)[-1] for n in names],
                "importance": np.abs(coefficients),
                "direction": np.where(coefficients > 0, "raises the odds", "lowers the odds"),
            }
        )
        table.attrs["unit"] = "|coefficient| (per standard deviation or category)"
        return table.sort_values("importance", ascending=False).reset_index(drop=True)
    x = analysis.predictions["x"]
    columns = analysis.predictions["columns"]
    ordered = x[columns.categorical + columns.numeric]
    rows = fitted.last_test
    if len(rows) > sample:
        rows = np.random.default_rng(0).choice(rows, sample, replace=False)
    target = np.zeros(len(x), dtype=int)
    target[analysis.predictions["rows"]] = analysis.predictions["positive"]
    result = permutation_importance(
        estimator, ordered.iloc[rows], target[rows], scoring="roc_auc", n_repeats=3, random_state=0, n_jobs=1
    )
    table = pd.DataFrame({"feature": ordered.columns, "importance": result.importances_mean})
    table.attrs["unit"] = "drop in AUC when shuffled"
    return table.sort_values("importance", ascending=False).reset_index(drop=True)
