"""Targeting's next decisions: score a file of current entities (this month's customers, today's
transactions) with the recommended model refitted on all of history, and rank whom to act on.

The refitted model is calibrated the way the backtest calibrated it (a logistic map from its
out-of-fold scores to the outcome), so a probability here means what it meant in the money the
analysis showed. Columns are matched by name: every missing one is named at once; extra ones are
ignored and listed; a category never seen in history is scored as "unknown" and listed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payoff.analysis import Analysis, recost, resolved
from payoff.data.outcomes import outcomes_only_where_acted
from payoff.data.time_features import derived, with_time_features
from payoff.designs import CrossFit, outcome
from payoff.engines.targeting import ranked_list
from payoff.errors import PayoffError
from payoff.framings.base import FromColumn, TargetingFraming, param_arrays
from payoff.framings.targeting import budget_of, decide
from payoff.models import classifiers
from payoff.models.catalogue import AUTO, BASE_RATE, STATUS_QUO, business_name
from payoff.problem import Problem
from payoff.statusquo import DecisionColumn

SHOWN_UNSEEN = 5


class CurrentFileError(PayoffError):
    kind = "current_file"


@dataclass(frozen=True)
class ScoredList:
    """The ranked list and what a user should know about how it was made."""

    table: pd.DataFrame
    model: str
    caption: str
    ignored_columns: tuple[str, ...]
    unseen: dict[str, tuple[str, ...]]
    cutoff: dict[str, Any]


def needed_columns(analysis: Analysis | Problem) -> list[str]:
    """The columns a file of current entities must have: the features and any column-priced value."""
    problem = analysis if isinstance(analysis, Problem) else analysis.problem
    priced = [v.column for _, v in problem.params if isinstance(v, FromColumn)]
    stamped = derived(problem.features, problem.date)  # worked out from the file's own stamps
    features = [f for f in problem.features if f not in stamped] + ([str(problem.date)] if stamped else [])
    return list(dict.fromkeys([*features, *priced]))


@dataclass(frozen=True)
class Checked:
    """A file of current entities that can be scored: the history's features and the file's, typed alike."""

    history: pd.DataFrame
    columns: classifiers.Columns
    current: pd.DataFrame


def check_current(problem: Problem, current: pd.DataFrame) -> Checked:
    """Whether a file of current entities can be scored for this problem: asked before anything is
    fitted, so a wrong file is turned away in a moment, not after the refit."""
    if not isinstance(problem.framing, TargetingFraming):
        raise CurrentFileError("Scoring a file of current entities is for targeting framings (churn, fraud, ...).")
    missing = [c for c in needed_columns(problem) if c not in current.columns]
    if missing:
        raise CurrentFileError(
            f"The file of current entities lacks {len(missing)} column(s) the analysis needs: "
            f"{', '.join(repr(c) for c in missing)}. Add them, spelled as in '{problem.source}'."
        )
    if len(current) == 0:
        raise CurrentFileError("The file of current entities has no rows.")
    current = with_time_features(current, problem.date, problem.features)
    unstamped = [f for f in derived(problem.features, problem.date) if f not in current.columns]
    if unstamped:
        raise CurrentFileError(
            f"'{problem.date}' in the file of current entities holds no times of day, and the analysis learned from "
            "the hour and weekday of each row's time. Export it with its times, as in "
            f"'{problem.source}'."
        )
    history = problem.table[problem.table[problem.target].notna()].reset_index(drop=True)
    features = list(problem.features)
    x = classifiers.feature_frame(history, features)
    columns = classifiers.split_columns(x, features)
    return Checked(x, columns, _current_features(current, x, columns))


def score_current(analysis: Analysis, current: pd.DataFrame, params: Mapping[str, Any] | None = None) -> ScoredList:
    problem = analysis.problem
    framing = problem.framing
    checked = check_current(problem, current)
    assert isinstance(framing, TargetingFraming)
    needed = needed_columns(problem)
    keep = {*needed, problem.entity_id}
    ignored = tuple(str(c) for c in current.columns if c not in keep)
    name, caption = _model_for(analysis)

    history = problem.table[problem.table[problem.target].notna()].reset_index(drop=True)
    x, columns, now = checked.history, checked.columns, checked.current
    unseen = _unseen(x, now, columns)
    design = problem.evaluation
    assert isinstance(design, CrossFit)
    y = outcome(history, problem.target, design.positive_class)[0].astype(int)
    if name == BASE_RATE:
        probability = np.full(len(current), float(np.mean(y)))
    else:
        order = history[problem.date].to_numpy() if problem.date else None
        splits = classifiers.folds(y, order, design.folds)
        try:
            probability = classifiers.fit_and_score(name, x, y, splits, columns, now)
        except (ValueError, np.linalg.LinAlgError, FloatingPointError) as error:
            raise CurrentFileError(f"{name} could not be refitted on the history ({error}).") from error

    values = resolved(analysis, params)
    priced = {
        key: pd.to_numeric(current[v.column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        for key, v in values.items()
        if isinstance(v, FromColumn)
    }
    gain = framing.cells(param_arrays(values, priced)).gain_of_acting(probability)
    budget = budget_of(values)
    acts = decide(gain, budget)
    ids = (
        {problem.entity_id: current[problem.entity_id].astype("str").to_numpy()}
        if problem.entity_id and problem.entity_id in current.columns
        else {}
    )
    table = ranked_list(framing, np.arange(1, len(current) + 1), ids, probability, gain, acts)
    label = framing.list_columns()
    chosen = table[table[label["act"]]]
    cutoff = {
        "acted_on": len(chosen),
        "budget": budget,
        "lowest_expected_gain": float(chosen[label["gain"]].min()) if len(chosen) else None,
        "lowest_probability": float(chosen[label["chance"]].min()) if len(chosen) else None,
    }
    limit = f" (budget {int(budget):,})" if budget is not None else ""
    caption += f" {framing.act_label.capitalize()} {len(chosen):,} of {len(table):,}{limit}."
    decided = problem.status_quo.column if isinstance(problem.status_quo, DecisionColumn) else None
    if decided and outcomes_only_where_acted(problem.table, problem.target, decided):
        caption += (
            f" The models learned only from the {framing.entities} your '{decided}' column acted on: for "
            f"{framing.entities} unlike those, their chances are untested."
        )
    return ScoredList(table, name, caption, ignored, unseen, cutoff)


def _model_for(analysis: Analysis) -> tuple[str, str]:
    """The model Payoff picks now; when that is no model, the best model, said plainly."""
    impact = recost(analysis, uncertainty=False)
    picked = impact.recommended.model
    framing = analysis.problem.framing
    assert isinstance(framing, TargetingFraming)
    if picked == BASE_RATE:
        return BASE_RATE, "Payoff's choice now is the base-rate rule (no model): every entity has the history's rate."
    if picked not in (STATUS_QUO, AUTO):
        return picked, (
            f"Whom to {framing.act_label} with Payoff's choice, the {business_name(picked).lower()}, refitted on all "
            "history."
        )
    ranked = [m for m in impact.models if m.kind == "model" and not m.failed]
    if not ranked:
        raise CurrentFileError("Every model failed on this analysis, so there is no model to score with.")
    best = max(ranked, key=lambda m: m.gain or 0.0).name
    return best, (
        f"Payoff's choice now is to keep {impact.status_quo_label}; for comparison, which {framing.entities} "
        f"the best model, the {business_name(best).lower()}, would {framing.act_label}."
    )


def _current_features(current: pd.DataFrame, history: pd.DataFrame, columns: classifiers.Columns) -> pd.DataFrame:
    """The current file's features typed as in history: numbers where history had numbers."""
    out = classifiers.feature_frame(current, columns.categorical)
    bad = []
    for column in columns.numeric:
        raw = current[column]
        numbers = pd.to_numeric(raw, errors="coerce")
        broken = raw.notna() & numbers.isna()
        if broken.any():
            bad.append(f"'{column}' (row {int(np.flatnonzero(broken.to_numpy())[0]) + 1}: {raw[broken].iloc[0]!r})")
        out[column] = numbers.astype("float64")
    if bad:
        raise CurrentFileError(
            f"These columns hold numbers in the history but text in the current file: {', '.join(bad)}. "
            "Fix those cells (or leave them empty) and upload it again."
        )
    return out[history.columns]


def _unseen(history: pd.DataFrame, current: pd.DataFrame, columns: classifiers.Columns) -> dict[str, tuple[str, ...]]:
    out = {}
    for column in columns.categorical:
        new = sorted(set(current[column].unique()) - set(history[column].unique()))
        if new:
            out[column] = tuple(str(v) for v in new[:SHOWN_UNSEEN])
    return out
