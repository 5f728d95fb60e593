"""The "data-driven newsvendor" peer: a gradient-boosting model that learns the decision quantile
itself (scikit-learn's quantile loss at the critical ratio), on Payoff's own features and windows,
ordering its prediction rounded up to whole units. The oracle benchmark prices its orders by the
same formula as every other entry, so `auto` can be held against it."""

from __future__ import annotations

import numpy as np

from payoff.evaluate.predictions import QuantityPredictions
from payoff.models.features import build_features
from payoff.models.regression import _levels, forecast_rows, training_rows


def direct_quantile_orders(predictions: QuantityPredictions, tau: float, country: str | None = None) -> np.ndarray:
    """Series x every backtest cell: the orders of a quantile gradient-boosting model refitted at
    each window's origin, each series scaled to its own level as Payoff's gradient boosting is."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    panel, horizon = predictions.panel, predictions.horizon
    features = build_features(panel, horizon, country)
    categorical = np.array([name in ("weekday", "hour") for name in features.names])
    out = []
    for start in predictions.starts:
        rows = training_rows(panel, start, warmup=horizon + panel.season)
        level = _levels(panel, start)
        x = features.matrix.copy()
        series = np.arange(x.shape[0]) // panel.n_periods
        x[:, features.demand] = x[:, features.demand] / level[series][:, None]
        y = panel.y.reshape(-1)[rows] / level[series[rows]]
        model = HistGradientBoostingRegressor(
            loss="quantile",
            quantile=tau,
            max_iter=150,
            learning_rate=0.08,
            max_leaf_nodes=31,
            categorical_features=categorical,
            early_stopping=False,
            random_state=0,
        )
        model.fit(x[rows], y)
        cells = forecast_rows(panel, start, horizon)
        quantile = np.maximum(model.predict(x[cells]) * level[series[cells]], 0.0)
        out.append(quantile.reshape(panel.n_series, -1))
    orders = np.concatenate(out, axis=1)
    return np.ceil(orders - 1e-9) if panel.whole_units else orders
