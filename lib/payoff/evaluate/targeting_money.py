"""Price every targeting model's act/pass decisions on the out-of-fold probabilities. Runs on
kept probabilities only: every cost slider and threshold move calls this, nothing refits."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from payoff.evaluate.impact import Impact, ModelMoney, finish
from payoff.evaluate.uncertainty import entity_bootstrap
from payoff.framings import targeting


def accuracy(probability: np.ndarray, positive: np.ndarray) -> dict[str, float]:
    if len(np.unique(positive)) < 2:
        return {}
    return {
        "auc": float(roc_auc_score(positive, probability)),
        "log_loss": float(log_loss(positive, np.clip(probability, 1e-6, 1 - 1e-6))),
        "brier": float(brier_score_loss(positive, probability)),
    }


def price(
    framing: str,
    params: dict[str, Any],
    positive: np.ndarray,
    value: np.ndarray | None,
    probabilities: dict[str, np.ndarray],
    status_quo_acts: np.ndarray,
    status_quo_label: str,
    threshold: float | None = None,
    accuracies: dict[str, dict[str, float]] | None = None,
) -> Impact:
    """`threshold` None: act where the expected gain is positive (the default); a number: act
    where the probability is at least that (a manual override the Impact page offers)."""
    money = targeting.cells(framing, params, value)
    budget = params.get("budget")
    results: list[ModelMoney] = []
    per_entity: dict[str, np.ndarray] = {}
    decisions: dict[str, np.ndarray] = {}
    gains_of_acting: dict[str, np.ndarray] = {}
    for name, acts, probability in [
        ("status quo", status_quo_acts, None),
        *((n, None, p) for n, p in probabilities.items()),
    ]:
        if probability is not None:
            gain = money.gain_of_acting(probability)
            gains_of_acting[name] = gain
            if threshold is None:
                acts = targeting.decide(gain, budget)
            else:  # manual override: the most likely entities above the threshold, within the budget
                acts = targeting.decide(np.where(probability >= threshold, probability + 1e-12, -1.0), budget)
        parts = money.realised(acts, positive)
        total = sum(parts.values())
        per_entity[name] = total
        decisions[name] = acts
        counts = {
            "acted": int(acts.sum()),
            "act & event": int((acts & positive).sum()),
            "act & no event": int((acts & ~positive).sum()),
            "pass & event": int((~acts & positive).sum()),
            "pass & no event": int((~acts & ~positive).sum()),
        }
        results.append(
            ModelMoney(
                name=name,
                money=float(total.sum()),
                components={k: float(v.sum()) for k, v in parts.items()},
                accuracy=(accuracies or {}).get(name, {}) if probability is not None else {},
                extras={k: float(v) for k, v in counts.items()},
                is_status_quo=probability is None,
            )
        )
    gains = {name: values - per_entity["status quo"] for name, values in per_entity.items()}
    impact = Impact(
        framing=framing,
        params=dict(params),
        direction="value",
        status_quo=status_quo_label,
        models=results,
        evaluation={
            "rows": len(positive),
            "events": int(positive.sum()),
            "event_rate": float(positive.mean()) if len(positive) else 0.0,
            "period_text": f"the {len(positive):,} entities scored out of fold",
            "break_even_probability": float(np.mean(money.break_even())),
            "decision_rule": "expected value" if threshold is None else f"probability >= {threshold:.2f}",
        },
        details={"decisions": decisions, "gain_of_acting": gains_of_acting, "per_entity": per_entity},
    )
    return finish(impact, gains, entity_bootstrap)
