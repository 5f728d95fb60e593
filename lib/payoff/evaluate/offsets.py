"""What a model adds to its forecast to order at a quantile: its own backtest errors' quantile,
window by window (never a later window's errors), or for counted demand the count quantile at its
forecast. Every re-pricing runs it, for every model."""

from __future__ import annotations

import numpy as np

from payoff.evaluate import policies
from payoff.evaluate.predictions import QuantityPredictions


def offsets(
    predictions: QuantityPredictions, name: str, tau: np.ndarray, counts: bool = False, relative: bool = False
) -> np.ndarray:
    """What to add to the forecast for every cell: the residual quantile at tau, from the model's
    errors before its window; with `counts` (whole-unit stock), the count quantile less the
    forecast instead (:func:`count_offsets`).

    With `relative`, a model that learned the decision at its own ratio (Forecasts.ratio) moves
    only by the distance between its errors' quantiles at tau and at that ratio: at the costs it
    was fitted at, its orders are its own; at a what-if's, they shift by its own past errors.

    This runs at every re-pricing, for every model: a series whose ratio is the same over a window
    (costs given as numbers) takes its quantile once."""
    entry = predictions.model(name)
    learned = entry.ratio if relative else None
    if counts and learned is None:  # a learned quantile already counts whole units
        return count_offsets(predictions, name, tau)
    pools = predictions.residual_pools(name)
    h = predictions.horizon
    offsets = np.zeros(tau.shape)
    for k in range(predictions.windows):
        cells = slice(k * h, (k + 1) * h)  # window k's cells: window_of is k there
        window_tau = tau[:, cells]
        if window_tau.shape[1] and bool((window_tau == window_tau[:, :1]).all()):
            window_tau = window_tau[:, :1]
        offsets[:, cells] = policies.residual_quantile(pools[k], window_tau)
        if learned is not None:
            offsets[:, cells] -= policies.residual_quantile(pools[k], learned)
    return offsets


def count_offsets(predictions: QuantityPredictions, name: str, tau: np.ndarray) -> np.ndarray:
    """Every cell's whole-unit count quantile at tau, less the forecast: the quantile of a count
    whose mean is the forecast, negative binomial with the spread of the model's own errors
    before the cell's window (Poisson where they spread no more; :func:`policies.count_ppf`).

    Why not the forecast plus its errors' quantile, as for demand that is not counted: a count's
    spread grows with its mean (a holiday week's is wider than an ordinary one's), and one
    dispersion per series is read reliably from a few dozen errors where a quantile of them is
    not. On Poisson workloads with a known truth auto cost 1.5% to 3.5% less (a naive forecast,
    flat at one hour's value for two days, cost more); on a real restaurant's ingredients, four
    models of the eight it applies to cost less, and auto 2.4% less (see docs/benchmarks.md). A
    series whose errors spread clearly less than a count's keeps its errors' quantile instead
    (:func:`policies.steadier_than_counts`)."""
    forecast, h = predictions.model(name).forecast, predictions.horizon
    reader = predictions.count_reader(name)
    if reader is not None:  # its table, summed once, or its cursor, stepped from the last level
        count: np.ndarray = reader.ppf(tau) - forecast
    else:
        sizes = np.repeat(np.stack(predictions.count_sizes(name), axis=1), h, axis=1)
        count = policies.count_ppf(tau, forecast, sizes) - forecast
    steady = np.repeat(np.stack(predictions.steady(name), axis=1), h, axis=1)
    if steady.any():  # demand steadier than a count's: its own errors' quantile
        count = np.where(steady, offsets(predictions, name, tau), count)
    return count
