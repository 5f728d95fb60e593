"""What a model adds to its forecast to order at a quantile: its own backtest errors' quantile,
window by window (never a later window's errors), or a slow series' count quantile. Every
re-pricing runs it, for every model."""

from __future__ import annotations

import numpy as np

from payoff.evaluate import policies
from payoff.evaluate.predictions import QuantityPredictions


def offsets(
    predictions: QuantityPredictions, name: str, tau: np.ndarray, counts: bool = False, relative: bool = False
) -> np.ndarray:
    """What to add to the forecast for every cell: the residual quantile at tau, from the model's
    errors before its window; with `counts` (whole-unit stock), a slow series' count quantile
    (:func:`policies.count_quantile`) less the forecast instead.

    With `relative`, a model that learned the decision at its own ratio (Forecasts.ratio) moves
    only by the distance between its errors' quantiles at tau and at that ratio: at the costs it
    was fitted at, its orders are its own; at a what-if's, they shift by its own past errors.

    This runs at every re-pricing, for every model: a series whose ratio is the same over a window
    (costs given as numbers) takes its quantile once, and the slow cells of every window go to the
    count quantile in one call, with the dispersions the predictions keep."""
    pools = predictions.residual_pools(name)
    entry = predictions.model(name)
    forecast = entry.forecast
    h = predictions.horizon
    learned = entry.ratio if relative else None
    counts = counts and learned is None  # its own quantile already counts whole units
    offsets = np.zeros(tau.shape)
    slow_cells: list[tuple[np.ndarray, slice]] = []
    for k in range(predictions.windows):
        cells = slice(k * h, (k + 1) * h)  # window k's cells: window_of is k there
        window_tau = tau[:, cells]
        if window_tau.shape[1] and bool((window_tau == window_tau[:, :1]).all()):
            window_tau = window_tau[:, :1]
        offsets[:, cells] = policies.residual_quantile(pools[k], window_tau)
        if learned is not None:
            offsets[:, cells] -= policies.residual_quantile(pools[k], learned)
        if counts and predictions.slow(k).any():
            slow_cells.append((np.flatnonzero(predictions.slow(k)), cells))
    if slow_cells:
        sizes = predictions.count_sizes(name)
        means = [forecast[rows, cells] for rows, cells in slow_cells]
        quantiles = policies.count_ppf(
            np.concatenate([tau[rows, cells].ravel() for rows, cells in slow_cells]),
            np.concatenate([mean.ravel() for mean in means]),
            np.concatenate([np.repeat(sizes[cells.start // h], h) for _, cells in slow_cells]),
        )
        start = 0
        for (rows, cells), mean in zip(slow_cells, means, strict=True):
            offsets[rows, cells] = quantiles[start : start + mean.size].reshape(mean.shape) - mean
            start += mean.size
    return offsets
