"""Targeting decisions (churn, fraud, leads, credit): out-of-fold probabilities for every entity,
priced as the act/pass decisions each model (and the base-rate rule, and the status quo) would
have taken."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.data.outcomes import outcomes_only_where_acted
from payoff.data.yes_no import TRUTHY
from payoff.decision_kinds import DecisionKind
from payoff.designs import CrossFit, outcome
from payoff.engines.base import Explain, Progress, Threshold, Values
from payoff.evaluate import leakage
from payoff.evaluate.explain import targeting_explanations
from payoff.evaluate.impact import CrossFitRecord, Entry, Impact
from payoff.evaluate.predictions import Explanation, Failure, Scores, TargetingPredictions
from payoff.evaluate.summary import build_impact, wording
from payoff.evaluate.targeting_money import Decided, counts, fold_money, price_entries, threshold_side
from payoff.evaluate.uncertainty import entity_bootstrap
from payoff.framings.base import FromColumn, TargetingFraming, param_arrays
from payoff.framings.cells import Cells, money_per_entity
from payoff.framings.targeting import decide
from payoff.models import classifiers
from payoff.models.catalogue import AUTO, BASE_RATE, STATUS_QUO, business_name
from payoff.problem import Problem
from payoff.runtime import budget
from payoff.runtime.compute import Compute
from payoff.statusquo import DecisionColumn, Everybody, Nobody, Rule, StatusQuo


def status_quo_acts(status_quo: StatusQuo, frame: pd.DataFrame) -> np.ndarray:
    """Whom the business acts on today."""
    if isinstance(status_quo, Nobody):
        return np.zeros(len(frame), dtype=bool)
    if isinstance(status_quo, Everybody):
        return np.ones(len(frame), dtype=bool)
    if isinstance(status_quo, DecisionColumn):
        values = frame[status_quo.column]
        if pd.api.types.is_numeric_dtype(values):
            return np.asarray(values.fillna(0).to_numpy(dtype="float64") > 0)
        return np.asarray(values.astype("str").str.strip().str.lower().isin(TRUTHY).to_numpy())
    assert isinstance(status_quo, Rule)
    values = frame[status_quo.column]
    if isinstance(status_quo.value, float):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        compare = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal}
        if status_quo.op == "!=":
            return np.asarray(np.not_equal(numbers, status_quo.value) & ~np.isnan(numbers))
        return np.asarray(compare[status_quo.op](numbers, status_quo.value))
    equal = np.asarray(values.astype("str").to_numpy() == status_quo.value)
    return equal if status_quo.op == "==" else ~equal


class TargetingEngine:
    kind = DecisionKind.TARGETING
    framing_type = TargetingFraming

    def fit(
        self, problem: Problem, progress: Progress | None = None, compute: Compute | None = None
    ) -> tuple[TargetingPredictions, Explain]:
        # `compute` is not used here: there is no per-series work, and the classifiers already
        # use every core of this machine through their own threads.
        design = problem.evaluation
        assert isinstance(design, CrossFit)
        table = problem.table
        budget.check_targeting(len(table), len(problem.features))
        known = np.flatnonzero(table[problem.target].notna().to_numpy())
        frame = table.iloc[known].reset_index(drop=True)
        positive, label = outcome(frame, problem.target, design.positive_class)
        y = positive.astype(int)
        features = list(problem.features)
        x = classifiers.feature_frame(frame, features)
        columns = classifiers.split_columns(x, features)
        order = frame[problem.date].to_numpy() if problem.date else None
        splits = classifiers.folds(y, order, design.folds)
        fold = np.full(len(y), -1)
        for i, (_, test) in enumerate(splits):
            fold[test] = i
        scored = np.flatnonzero(fold >= 0)
        scores = [Scores(BASE_RATE, classifiers.base_rate(y, splits)[scored])]
        fitted = {}
        for i, name in enumerate(problem.models):
            result = classifiers.out_of_fold(name, x, y, splits, columns, progress, (i, len(problem.models)))
            failures = (Failure(name, result.failure, fold=result.failed_fold),) if result.failure else ()
            scores.append(Scores(name, result.calibrated[scored], failures))
            if not failures:
                fitted[name] = result
        priced = {
            key: frame[value.column].to_numpy(dtype="float64", na_value=np.nan)[scored]
            for key, value in problem.params
            if isinstance(value, FromColumn)
        }
        predictions = TargetingPredictions(
            rows=known[scored],
            positive=positive[scored],
            fold=fold[scored],
            status_quo_acts=status_quo_acts(problem.status_quo, frame)[scored],
            models=tuple(scores),
            positive_label=label,
            priced=priced,
            ids=frame[problem.entity_id].astype("str").to_numpy()[scored] if problem.entity_id else None,
            leakage=tuple(leakage.check(frame, features, y)),
        )

        def explain(together: bool = False) -> tuple[Explanation, ...]:  # targeting explains in one process
            money = _money_of(problem, frame, positive)
            return targeting_explanations(fitted, x, y, columns, money, f"that it {_words(problem)[1]}")

        return predictions, explain

    def price(
        self,
        problem: Problem,
        predictions: TargetingPredictions,
        values: Values,
        threshold: Threshold | None = None,
        uncertainty: bool = True,
    ) -> Impact:
        framing = problem.framing
        assert isinstance(framing, TargetingFraming)
        cut = None if threshold is None else threshold.probability
        decided, auto, picks, money = price_entries(framing, values, predictions, cut)
        positive = predictions.positive
        entries = [_entry(d, predictions) for d in [*decided, auto]]
        totals = fold_money(decided, predictions).sum(axis=1)
        now = decided[int(np.argmax(np.round(totals, 9)))].name
        n = len(positive)
        probability_even, acts_above = money.break_even_sides()
        evaluation: CrossFitRecord = {
            "rows": n,
            "events": int(positive.sum()),
            "event_rate": float(positive.mean()) if n else 0.0,
            "positive_label": predictions.positive_label,
            "folds": predictions.folds,
            "time_ordered_folds": isinstance(problem.evaluation, CrossFit) and problem.evaluation.time_ordered,
            "period_text": _scored_text(problem, n, framing.entities),
            "break_even_probability": float(np.median(probability_even)),
            "acts_when": "above" if bool(np.median(acts_above)) else "below",
            "decision_rule": "expected value"
            if cut is None
            else f"probability {'>=' if threshold_side(money) else '<='} {cut:.2f}",
            "leakage_flags": [{"column": f.column, "auc": f.auc, "reason": f.reason} for f in predictions.leakage],
        }
        warning = framing.break_even_warning(values, param_arrays(values, predictions.priced))
        if warning:
            evaluation["warnings"] = [warning]
        return build_impact(
            framing,
            values,
            entries,
            tuple(decided[i].name for i in picks),
            now,
            problem.status_quo.label,
            evaluation,
            entity_bootstrap if uncertainty else None,
            wording(problem, values),
        )

    def next_decisions(
        self, problem: Problem, predictions: TargetingPredictions, impact: Impact, values: Values
    ) -> pd.DataFrame:
        return entity_decisions(problem, predictions, impact, values)

    gain_units = "entities"

    def priced_column(self, predictions: TargetingPredictions, key: str) -> np.ndarray:
        return predictions.priced[key]

    def gains_by(
        self, problem: Problem, predictions: TargetingPredictions, impact: Impact, column: str
    ) -> pd.DataFrame:
        """Each scored entity's gain of Payoff's choice, beside its value of `column` (banded)."""
        raw = problem.table[column].iloc[predictions.rows].reset_index(drop=True)
        return pd.DataFrame({"segment": _bands(raw), "gain": impact.per_unit_gain[AUTO]})


def _words(problem: Problem) -> tuple[str, str, str]:
    framing = problem.framing
    assert isinstance(framing, TargetingFraming)
    return framing.words


def _money_of(problem: Problem, frame: pd.DataFrame, positive: np.ndarray) -> Callable[[np.ndarray, np.ndarray], float]:
    """What expected-value decisions earn on some rows at the run's costs (no budget): the yardstick
    of the trees' permutation importance."""
    framing = problem.framing
    assert isinstance(framing, TargetingFraming)
    priced = {
        k: frame[v.column].to_numpy(dtype="float64", na_value=np.nan)
        for k, v in problem.params
        if isinstance(v, FromColumn)
    }
    cells = framing.cells(param_arrays(problem.values, priced))

    def money(probability: np.ndarray, rows: np.ndarray) -> float:
        part = Cells(
            *(
                np.asarray(c)[rows] if np.ndim(c) else np.asarray(c)
                for c in (cells.act_pos, cells.act_neg, cells.pass_pos, cells.pass_neg)
            )
        )
        acts = decide(part.gain_of_acting(probability), None)
        return float(money_per_entity(part.realised(acts, positive[rows])).sum())

    return money


def _entry(decided: Decided, predictions: TargetingPredictions) -> Entry:
    accuracy = predictions.accuracy(decided.name) if decided.kind == "model" and decided.acts is not None else {}
    return Entry(
        name=decided.name,
        kind=decided.kind,
        per_unit=None if decided.acts is None else decided.per_entity,
        components={k: float(v.sum()) for k, v in decided.parts.items()},
        extras={} if decided.acts is None else counts(decided.acts, predictions.positive),
        accuracy=accuracy,
        failures=decided.failures,
        decisions=decided.acts,
    )


def entity_decisions(
    problem: Problem, predictions: TargetingPredictions, impact: Impact, values: Values
) -> pd.DataFrame:
    """The recommended model's act/pass list on the scored entities, best expected value first."""
    from payoff.evaluate.targeting_money import cells_for

    framing = problem.framing
    assert isinstance(framing, TargetingFraming)
    name = impact.recommended.model
    if name in (STATUS_QUO, AUTO):
        ranked = [m for m in impact.models if m.kind == "model" and not m.failed]
        name = max(ranked, key=lambda m: m.gain or 0.0).name
    probability = predictions.model(name).probability
    gain = cells_for(framing, values, predictions).gain_of_acting(probability)
    ids = {problem.entity_id or "id": predictions.ids} if predictions.ids is not None else {}
    table = ranked_list(framing, predictions.rows + 1, ids, probability, gain, impact.decisions[name])
    table.attrs["model"] = name
    table.attrs["caption"] = (
        f"Until you upload this period's file, an example on your history's {framing.entities}: which of "
        f"them {business_name(name)} would {framing.act_label}, best expected value first, at these costs."
    )
    return table


def ranked_list(
    framing: TargetingFraming,
    rows: np.ndarray,
    ids: dict[str, np.ndarray],
    probability: np.ndarray,
    gain: np.ndarray,
    acts: np.ndarray,
) -> pd.DataFrame:
    """Whom to act on, best expected value first, under the framing's own labels: the rank, the
    row of the file it came from, the entity's id, its chance of the event, the expected gain of
    acting (money) and the decision."""
    label = framing.list_columns()
    table = pd.DataFrame(
        {label["row"]: rows, **ids, label["chance"]: probability, label["gain"]: gain, label["act"]: acts}
    )
    table = table.sort_values(label["gain"], ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, label["rank"], np.arange(1, len(table) + 1))
    return formatting.declare(
        table,
        {
            label["rank"]: formatting.COUNT,
            label["row"]: formatting.COUNT,
            label["chance"]: formatting.PROBABILITY,
            label["gain"]: formatting.MONEY,
            label["act"]: formatting.TEXT,
        },
    )


BANDS = 5
MAX_LEVELS = 12  # a number with more values than this is cut into bands


def _bands(values: pd.Series) -> pd.Series:
    """Text as it is; numbers with many values as five equal-count bands ("12 to 30")."""
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > MAX_LEVELS:
        banded = pd.qcut(values, BANDS, duplicates="drop")
        labels = banded.map(lambda b: f"{b.left:,.4g} to {b.right:,.4g}" if pd.notna(b) else "missing")
        return labels.astype("str")
    return values.astype("str").where(values.notna(), "missing")


def _scored_text(problem: Problem, scored: int, entities: str) -> str:
    """Whom the money is counted over, as the sentences say it: with folds in time order the
    earliest block is never scored (only models fitted before an entity score it), and says so:
    "your 750 customers" beside a file of 900 read as rows lost."""
    known = int(problem.table[problem.target].notna().sum())
    ordered = isinstance(problem.evaluation, CrossFit) and problem.evaluation.time_ordered
    decided = problem.status_quo.column if isinstance(problem.status_quo, DecisionColumn) else None
    # a claim never investigated has no outcome: the money is the investigated ones' alone, and said
    acted, notes = "", []
    if decided and outcomes_only_where_acted(problem.table, problem.target, decided):
        acted = f" that your '{decided}' column acted on"
        notes.append(f"the only ones with an outcome; {len(problem.table) - known:,} others have none")
    if ordered and known > scored and problem.date is not None:
        notes.append(
            f"the {known - scored:,} earliest by '{problem.date}' only train the models, as each of these is "
            f"scored by models fitted on earlier {entities}"
        )
        return f"your {scored:,} most recent {entities}{acted} ({'; '.join(notes)})"
    return f"your {scored:,} {entities}{acted}" + (f" ({'; '.join(notes)})" if notes else "")
