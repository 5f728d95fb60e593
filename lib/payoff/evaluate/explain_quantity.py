"""What drives the quantity models, in the user's units: the Poisson GLM's effects as percentages
of demand with 95% intervals ("promo = 1: +62% units_sold, 95% CI +55% to +70%"), and gradient
boosting's permutation importance in money (how much the last test's decisions would have cost
more with one feature shuffled). Computed once at run time, from the models fitted at the last
test window, and kept with the analysis."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import numpy as np

from payoff.evaluate.backtest import FITTING_ERRORS
from payoff.evaluate.explain import permutation_effects, round_step
from payoff.evaluate.offsets import offsets
from payoff.evaluate.predictions import Effect, Explanation, QuantityPredictions
from payoff.evaluate.quantity_money import cell_columns, costs_for
from payoff.framings.base import FromColumn, ParamValue, QuantityFraming
from payoff.framings.policy import Against, Plan
from payoff.models.catalogue import quantity_spec
from payoff.models.features import FeatureSet, feature_label
from payoff.models.glm import PoissonGLM, describe_term
from payoff.models.protocols import ExplainedBy, GlobalForecaster
from payoff.models.regression import GlobalModel, forecast_rows
from payoff.runtime.side_by_side import in_turn, side_by_side

TOP = 12
# Series the importances are measured on, at most; their extra cost is scaled to every series. On
# the 500-series own-shape workload 200 series rank the top six features as 500 do, within 8% of
# their money; the explanations take 2.2 s instead of 5.0 s in one thread (docs/benchmarks.md).
EXPLAIN_SERIES = 200


def signed(share: float) -> str:
    """A change as a signed whole percentage; one that rounds to nothing is 0%, not '-0%'."""
    text = f"{share:+.0%}"
    return "0%" if text in ("+0%", "-0%") else text


def glm_effects(model: PoissonGLM, features: FeatureSet, target: str) -> Explanation:
    """Each interpretable term as a percentage change of demand, with its 95% interval."""
    effects = []
    rows = forecast_rows(model.panel_, 0, model.end_)  # the history the model learned from
    for term, estimate, low, high in model.effects():
        step, binary = 1.0, False
        if term.startswith("x_"):
            values = features.matrix[rows, features.names.index(term)]
            values = values[np.isfinite(values)]
            binary = bool(values.size) and set(np.unique(values)) <= {0.0, 1.0}
            step = 1.0 if binary else round_step(float(np.std(values)))
        subject = describe_term(term, step, model.baseline, flag=binary)
        if subject is None:
            continue
        if not all(np.isfinite(v) and abs(v * step) < 20 for v in (estimate, low, high)):
            continue  # a term the data cannot pin down (a flag that is almost never set): no effect to state
        change, lo, hi = (float(np.expm1(v * step)) for v in (estimate, low, high))
        effects.append(
            Effect(
                subject, change, lo, hi, f"{subject}: {signed(change)} {target} (95% CI {signed(lo)} to {signed(hi)})"
            )
        )
    effects.sort(key=lambda e: -abs(e.estimate))
    return Explanation(
        model.name,
        f"% change in {target}",
        tuple(effects[:TOP]),
        "Each effect holds the other features fixed; an interval that spans 0% is no clear effect. Fitted on "
        "the history before the last test.",
    )


def money_importance(
    name: str,
    model: GlobalModel,
    predictions: QuantityPredictions,
    framing: QuantityFraming,
    values: Mapping[str, ParamValue | FromColumn],
) -> Explanation:
    """The extra cost of the last test window's decisions when one feature is shuffled across
    that window's cells (three shuffles, averaged). Order-up-to framings are priced cell by cell
    with their unit costs here: a yardstick, not a simulation. On a catalogue of more than
    EXPLAIN_SERIES series, a fixed random sample of them is shuffled and its extra cost scaled to
    every series."""
    panel = predictions.panel
    last = predictions.window_of == predictions.windows - 1
    every = forecast_rows(panel, predictions.starts[-1], predictions.horizon).reshape(panel.n_series, -1)
    # Shuffling 39 times over every series of a big catalogue cost more than the backtest; a
    # fixed sample of series measures the same importances.
    chosen = np.arange(panel.n_series)
    if panel.n_series > EXPLAIN_SERIES:
        chosen = np.sort(np.random.default_rng(0).choice(panel.n_series, EXPLAIN_SERIES, replace=False))
    rows = every[chosen].reshape(-1)
    params, costs = costs_for(framing, values, {k: v[chosen][:, last] for k, v in cell_columns(predictions).items()})
    tau = np.broadcast_to(costs.critical_ratio, (len(chosen), predictions.horizon))
    full_tau = np.zeros(predictions.actual.shape)
    full_tau[np.ix_(chosen, np.flatnonzero(last))] = tau
    counts = panel.whole_units and framing.policy.counts_demand
    offset = offsets(predictions, name, full_tau, counts)[np.ix_(chosen, np.flatnonzero(last))]
    actual = predictions.actual[chosen][:, last]
    seen = ~np.isnan(actual)
    against = Against(np.where(seen, actual, 0.0), seen, params, costs)

    scale = panel.n_series / len(chosen)  # the sample's cost, for every series

    def cost(matrix: np.ndarray) -> float:
        forecast = model.predict_rows(matrix, rows).reshape(len(chosen), predictions.horizon)
        decision = np.maximum(forecast + offset, 0.0)
        return scale * float(framing.policy.cell_cost(Plan(decision, whole_units=panel.whole_units), against).sum())

    features = model.features_
    matrix = features.matrix[rows]
    baseline = cost(matrix)

    def loss(i: int, rng: np.random.Generator) -> float:
        shuffled = matrix.copy()
        column = model.columns_[i]
        shuffled[:, column] = rng.permutation(shuffled[:, column])
        return cost(shuffled) - baseline

    effects = permutation_effects([feature_label(features.names[c]) for c in model.columns_], loss)
    return Explanation(
        name,
        "extra cost when shuffled",
        tuple(effects[:TOP]),
        f"Measured on the last test window ({predictions.horizon} periods)"
        + (
            f", on {len(chosen):,} of the {panel.n_series:,} series chosen at random and scaled to all of them"
            if len(chosen) < panel.n_series
            else ""
        )
        + ", at the run's costs.",
    )


def quantity_explanations(
    fitted: Mapping[str, GlobalForecaster],
    predictions: QuantityPredictions,
    framing: QuantityFraming,
    values: Mapping[str, ParamValue | FromColumn],
    target: str,
    together: bool = False,
) -> tuple[Explanation, ...]:
    """Each fitted model explained as the registry says: effects first, then importances. With
    `together`, shared with a forked copy of this process (runtime.side_by_side): the same
    explanations, sooner (a GLM's effects refit it in statsmodels while the trees are shuffled).
    Not while the app draws the headline: two busy processes held the café's back 0.8 s (3.0 s ->
    3.85 s in Chromium)."""
    effects: list[Callable[[], Explanation]] = []
    importances: list[Callable[[], Explanation]] = []
    for name, model in fitted.items():
        explained_by = quantity_spec(name).explained_by
        if explained_by is ExplainedBy.EFFECTS and isinstance(model, PoissonGLM):
            effects.append(partial(glm_effects, model, model.features_, target))
        elif explained_by is ExplainedBy.MONEY_IMPORTANCE and isinstance(model, GlobalModel):
            importances.append(partial(money_importance, name, model, predictions, framing, values))
    jobs = importances + effects  # the costliest first, as side_by_side wants them
    done = side_by_side(jobs, _run) if together else in_turn(jobs, _run)
    for outcome in done:  # a model that cannot be explained fails them all, as in one process
        if isinstance(outcome, Exception):
            raise outcome
    explained = [outcome for outcome in done if isinstance(outcome, Explanation)]
    return (*explained[len(importances) :], *explained[: len(importances)])


def _run(job: Callable[[], Explanation]) -> Explanation | Exception:
    """The job's explanation, or the fitting error it met: returned, not raised, so that a copy
    hands it back like a result instead of dying on it (and the job running again here)."""
    try:
        return job()
    except FITTING_ERRORS as error:
        return error
