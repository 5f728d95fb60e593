"""Targeting benchmark: 100,000 entities x 25 features (20 numeric, 5 categorical): every default
model's out-of-fold probabilities and decisions, a cost change re-priced, and scikit-learn's
TunedThresholdClassifierCV on gradient boosting alone for comparison."""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd

from tests.bench.common import peak_rss_bytes, rss_bytes, trust_seconds

ROWS = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 100_000


def workload() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    numeric = rng.normal(size=(ROWS, 20))
    frame = pd.DataFrame(numeric, columns=[f"n{i:02d}" for i in range(20)])
    for i in range(5):
        frame[f"c{i}"] = rng.choice([f"level{j}" for j in range(3 + 4 * i)], ROWS)
    score = -3.2 + numeric[:, 0] - 0.8 * numeric[:, 1] + 0.5 * numeric[:, 2] * numeric[:, 3] + (frame["c0"] == "level1")
    frame["value"] = np.round(rng.lognormal(5, 0.8, ROWS), 2)
    frame["churned"] = np.where(rng.random(ROWS) < 1 / (1 + np.exp(-score)), "yes", "no")
    return frame


def main() -> None:
    from payoff.analysis import recost, run_analysis
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.problem import make_problem

    frame = workload()
    roles = {c: Role.FEATURE for c in frame.columns}
    roles.update(value=Role.VALUE, churned=Role.TARGET)
    role_map = RoleMap(roles, Shape.ENTITY, positive_class="yes")
    before = rss_bytes()
    start = time.perf_counter()
    analysis = run_analysis(make_problem(frame, role_map, "churn"))
    fitted = time.perf_counter() - start
    timings = []
    for contact in np.linspace(5, 40, 21):
        tick = time.perf_counter()
        recost(analysis, {"contact_cost": float(contact)})
        timings.append(time.perf_counter() - tick)
    trust, points = trust_seconds(analysis, {"contact_cost": 10.0})
    figures = {
        "entities": ROWS,
        "all_models_s": fitted,
        "recost_median_ms": float(np.median(timings) * 1000),
        "bootstrap_and_sensitivity_s": trust,
        "sweep_points": points,
        "peak_memory_mb": (peak_rss_bytes() - before) / 1e6,
        "recommended": analysis.impact.recommended.model,
        "auto_gain": analysis.impact.recommended.gain,
    }
    if "--no-tuned" not in sys.argv:
        figures["tuned_threshold_gbm_s"] = tuned_threshold_seconds(frame)
    print(json.dumps(figures))


def gbm_pipeline(frame: pd.DataFrame, features: list[str]):
    """HistGradientBoosting with the text columns ordinal-encoded as categories: the peer model."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder

    categorical = [c for c in features if not pd.api.types.is_numeric_dtype(frame[c])]
    numeric = [c for c in features if c not in categorical]
    encode = ColumnTransformer([("c", OrdinalEncoder(), categorical), ("n", "passthrough", numeric)])
    return make_pipeline(
        encode,
        HistGradientBoostingClassifier(
            max_iter=150,
            learning_rate=0.08,
            early_stopping=False,
            categorical_features=[True] * len(categorical) + [False] * len(numeric),
            random_state=0,
        ),
    )


def tuned_threshold_seconds(frame: pd.DataFrame) -> float:
    """scikit-learn's TunedThresholdClassifierCV (5 inner folds) on gradient boosting, once, on the
    same data: what a textbook nested threshold search costs next to Payoff's cross-fitting."""
    from sklearn.model_selection import TunedThresholdClassifierCV

    features = [c for c in frame.columns if c not in ("churned",)]
    y = (frame["churned"] == "yes").astype(int).to_numpy()
    start = time.perf_counter()
    TunedThresholdClassifierCV(gbm_pipeline(frame, features), scoring="balanced_accuracy", cv=5).fit(frame[features], y)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
