"""The "data-driven newsvendor" peer: a gradient-boosting model that learns the decision quantile
itself (scikit-learn's quantile loss at the critical ratio), on Payoff's own features and windows,
ordering its prediction rounded up to whole units. The oracle benchmark prices its orders by the
same formula as every other entry, so `auto` can be held against it.

It is Payoff's order model (`QuantileBoosting`) at the settings of its gradient boosting (150
steps at 0.08, 150,000 cells), used without the residual shift a what-if adds: the peer as the
operations literature states it, not as Payoff tunes it."""

from __future__ import annotations

import numpy as np

from payoff.evaluate.predictions import QuantityPredictions
from payoff.models.features import build_features
from payoff.models.regression import MAX_TRAIN_ROWS, QuantileBoosting


def direct_quantile_orders(predictions: QuantityPredictions, tau: float, country: str | None = None) -> np.ndarray:
    """Series x every backtest cell: the peer's orders, refitted at each window's origin."""
    panel, horizon = predictions.panel, predictions.horizon
    features = build_features(panel, horizon, country)
    model = QuantileBoosting(quantile=tau, max_iter=150, learning_rate=0.08, max_rows=MAX_TRAIN_ROWS)
    orders = np.concatenate(
        [np.nan_to_num(model.fit(features, panel, start, horizon).predict(horizon)) for start in predictions.starts],
        axis=1,
    )
    return np.ceil(orders - 1e-9) if panel.whole_units else orders
