"""What drives the models, in business words, computed once at run time and kept with the
analysis: the logistic model's effects as odds ratios with 95% intervals (statsmodels: the tool
made for inference), and the trees' permutation importance in money (how much worse the
decisions get when one column is shuffled)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.evaluate.predictions import Effect, Explanation
from payoff.models.catalogue import BASE_RATE, BLEND, STATUS_QUO, business_name, classifier_spec
from payoff.models.classifiers import Columns, OutOfFold, ordered_columns
from payoff.models.protocols import ExplainedBy

SAMPLE = 50_000  # rows used for the inference fit
PERMUTATION_ROWS = 2_000
MIN_LEVEL_ROWS = 20  # categories rarer than this are pooled as "other"


def round_step(spread: float) -> float:
    """A round step close to a column's spread (1, 2, 5, 10, 20, 50 ...), for effects per step."""
    if not np.isfinite(spread) or spread <= 0:
        return 1.0
    power = 10 ** np.floor(np.log10(spread))
    return float(min((1, 2, 5, 10), key=lambda m: abs(np.log(m * power / spread))) * power)


def _design(x: pd.DataFrame, columns: Columns) -> tuple[pd.DataFrame, dict[str, str]]:
    """Numbers in their own units (per a round step), categories as indicators against their most
    common level; returns the design and, per design column, the sentence subject."""
    parts: dict[str, pd.Series] = {}
    subjects: dict[str, str] = {}
    for column in columns.numeric:
        values = x[column]
        step = round_step(float(values.std()))
        name = f"{column} (+{step:g})"
        parts[name] = values.fillna(values.median()) / step
        subjects[name] = f"{column} {step:+g}"
    for column in columns.categorical:
        counts = x[column].value_counts()
        kept = counts[counts >= MIN_LEVEL_ROWS]
        if len(kept) < 2:
            continue
        reference = str(kept.index[0])
        for level in kept.index[1:21]:
            name = f"{column} = {level}"
            parts[name] = (x[column] == level).astype(float)
            subjects[name] = f"{column} {level} (vs {reference})"
    return pd.DataFrame(parts, index=x.index), subjects


def odds_ratios(
    x: pd.DataFrame, y: np.ndarray, columns: Columns, event: str = "the event", model: str = "logistic regression"
) -> Explanation:
    """A logistic GLM on the features in their own units: odds ratio per step, with its 95% CI,
    under the name of the model it explains."""
    import statsmodels.api as sm

    if len(x) > SAMPLE:
        keep = np.sort(np.random.default_rng(0).choice(len(x), SAMPLE, replace=False))
        x, y = x.iloc[keep], y[keep]
    design, subjects = _design(x, columns)
    design = design.loc[:, design.std() > 0]
    if design.empty:
        return Explanation(model, "odds ratio", (), "No feature varies enough to estimate an effect.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # separation and convergence notes: handled below
        try:
            fit = sm.GLM(y, sm.add_constant(design, has_constant="add"), family=sm.families.Binomial()).fit()
        except (ValueError, np.linalg.LinAlgError) as error:
            return Explanation(model, "odds ratio", (), f"The effects could not be estimated: {error}.")
    table = pd.DataFrame({"estimate": fit.params, "low": fit.conf_int()[0], "high": fit.conf_int()[1]}).drop("const")
    table = table[np.isfinite(table).all(axis=1) & (table["high"] - table["low"] < 20)]
    table = table.reindex(table["estimate"].abs().sort_values(ascending=False).index)
    effects = []
    for name, row in table.head(15).iterrows():
        ratio, low, high = np.exp(row["estimate"]), np.exp(row["low"]), np.exp(row["high"])
        effects.append(
            Effect(
                subjects[str(name)],
                float(ratio),
                float(low),
                float(high),
                f"{subjects[str(name)]}: odds {event} x{ratio:.2f} (95% CI {low:.2f} to {high:.2f})",
            )
        )
    return Explanation(
        model,
        "odds ratio",
        tuple(effects),
        "Each effect holds the other columns fixed; an interval that spans 1 is no clear effect.",
    )


def permutation_effects(labels: list[str], loss: Callable[[int, np.random.Generator], float]) -> list[Effect]:
    """Each column's loss when it alone is shuffled (three seeded shuffles: mean, min and max),
    largest first. `loss(i, rng)` shuffles column i once and returns what was lost."""
    rng = np.random.default_rng(0)
    effects = []
    for i, label in enumerate(labels):
        losses = [loss(i, rng) for _ in range(3)]
        effects.append(Effect(label, float(np.mean(losses)), float(np.min(losses)), float(np.max(losses))))
    return sorted(effects, key=lambda e: -e.estimate)


def money_importance(
    name: str,
    fitted: OutOfFold,
    x: pd.DataFrame,
    columns: Columns,
    money_of: Callable[[np.ndarray, np.ndarray], float],
) -> Explanation:
    """Permutation importance in money on the last fold's held-out rows: the drop in what the
    decisions earn when one column is shuffled. `money_of(probabilities, rows)` prices them."""
    rows = fitted.last_test
    if len(rows) > PERMUTATION_ROWS:
        rows = np.sort(np.random.default_rng(0).choice(rows, PERMUTATION_ROWS, replace=False))
    ordered = ordered_columns(name, x, columns).iloc[rows]  # as the model was fitted
    model = fitted.last_model
    baseline = money_of(model.predict_proba(ordered)[:, 1], rows)  # type: ignore[union-attr]

    def loss(i: int, rng: np.random.Generator) -> float:
        shuffled = ordered.copy()
        column = shuffled.columns[i]
        shuffled[column] = rng.permutation(shuffled[column].to_numpy())
        return baseline - money_of(model.predict_proba(shuffled)[:, 1], rows)  # type: ignore[union-attr]

    effects = permutation_effects(list(ordered.columns), loss)
    return Explanation(
        name,
        "money lost when shuffled",
        tuple(effects[:15]),
        f"Measured on the {len(rows):,} rows of the last part held out of the fit, at the run's costs.",
    )


def targeting_explanations(
    fitted: Mapping[str, OutOfFold],
    x: pd.DataFrame,
    y: np.ndarray,
    columns: Columns,
    money_of: Callable[[np.ndarray, np.ndarray], float] | None = None,
    event: str = "the event",
) -> tuple[Explanation, ...]:
    """Each fitted model explained as the registry says: effects first (from the data: one
    statistical fit, whatever the model), then importances in money when there are costs."""
    kinds = {name: classifier_spec(name).explained_by for name in fitted}
    out = []
    effects = [name for name, kind in kinds.items() if kind is ExplainedBy.EFFECTS]
    if effects:  # the same fit whichever model asks: once
        out.append(odds_ratios(x, y, columns, event, effects[0]))
    if money_of is not None:
        for name, result in fitted.items():
            if kinds[name] is ExplainedBy.MONEY_IMPORTANCE and result.last_model is not None:
                out.append(money_importance(name, result, x, columns, money_of))
    return tuple(out)


FAILED = "explanations"  # the entry that says the explanations could not be worked out


def chosen_explained(now: str, explained: Sequence[str], blended: Sequence[str] = ()) -> str:
    """The first words of "why the models decide this way": which model Payoff's choice uses now
    and whether it is explained below (a blend: which of its leaders are), so a manager never
    reads two other models' drivers as the chosen one's."""
    if now == STATUS_QUO:
        return "Payoff's choice now keeps what you do today: no model decides, so nothing of it is explained here."
    if now == BASE_RATE:
        return "Payoff's choice now is the value rule: it uses no model, so nothing of it is explained here."
    if now == BLEND:
        shown = [business_name(name) for name in blended if name in explained]
        said = f"Payoff's choice now is the blend of {formatting.listed([business_name(n) for n in blended])}: the median of their decisions."
        if shown:
            return said + f" What drives {formatting.listed(shown)} comes first below."
        return said + " None of them has its drivers worked out here."
    if now in explained:
        return f"Payoff's choice now is {business_name(now)}: what drives it comes first below."
    others = " What drives other models is below, for comparison." if explained else ""
    return f"Payoff's choice now is {business_name(now)}, whose drivers are not worked out here.{others}"
