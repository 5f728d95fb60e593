"""Global regression forecasters: one model over all series, on engineered features.

Same contract as the baseline forecasters, except that they are fitted on a feature table:
``fit(features, panel, end)`` learns from every cell before period `end`; ``predict(horizon)``
returns the series x horizon forecasts from period `end` on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from payoff.models.features import FeatureSet
from payoff.models.panel import Panel

MAX_TRAIN_ROWS = 150_000  # the most recent cells: keeps a 500-series refit to about a second


def _training_rows(features: FeatureSet, panel: Panel, end: int, warmup: int) -> np.ndarray:
    n = panel.n_periods
    periods = np.arange(n)
    usable = (periods >= warmup) & (periods < end)
    cells = (np.arange(panel.n_series)[:, None] * n + periods[None, :])[:, usable].reshape(-1)
    target = panel.y.reshape(-1)[cells]
    cells = cells[~np.isnan(target)]
    if len(cells) > MAX_TRAIN_ROWS:
        order = np.argsort(cells % n, kind="stable")  # oldest periods first
        cells = np.sort(cells[order[-MAX_TRAIN_ROWS:]])
    return cells


def _forecast_rows(panel: Panel, end: int, horizon: int) -> np.ndarray:
    n = panel.n_periods
    periods = np.arange(end, min(end + horizon, n))
    return (np.arange(panel.n_series)[:, None] * n + periods[None, :]).reshape(-1)


@dataclass
class _GlobalModel:
    name: str = ""
    description: str = ""

    def _estimator(self, features: FeatureSet):  # pragma: no cover - overridden
        raise NotImplementedError

    def fit(self, features: FeatureSet, panel: Panel, end: int, horizon: int) -> _GlobalModel:
        rows = _training_rows(features, panel, end, warmup=horizon + panel.season)
        if len(rows) < 20:
            raise ValueError("too little history before this origin to fit a regression")
        self.estimator_ = self._estimator(features)
        self.estimator_.fit(features.matrix[rows], panel.y.reshape(-1)[rows])
        self.features_, self.panel_, self.end_ = features, panel, end
        return self

    def predict(self, horizon: int) -> np.ndarray:
        rows = _forecast_rows(self.panel_, self.end_, horizon)
        values = np.maximum(self.estimator_.predict(self.features_.matrix[rows]), 0.0)
        width = len(rows) // self.panel_.n_series
        out = np.full((self.panel_.n_series, horizon), np.nan)
        out[:, :width] = values.reshape(self.panel_.n_series, width)
        return out


@dataclass
class LinearRegression(_GlobalModel):
    name: str = "linear regression"
    description: str = "Ridge regression on calendar, holidays, lags, rolling means and price/promotion."

    def _estimator(self, features: FeatureSet):
        categorical = [i for i in features.categorical if features.names[i] != "series"]
        numeric = [i for i in range(len(features.names)) if i not in features.categorical]
        transform = ColumnTransformer(
            [
                (
                    "numbers",
                    make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()),
                    numeric,
                ),
                ("categories", OneHotEncoder(handle_unknown="ignore"), categorical),
            ]
        )
        return make_pipeline(transform, Ridge(alpha=1.0))


@dataclass
class GradientBoosting(_GlobalModel):
    name: str = "gradient boosting"
    description: str = "One gradient-boosted tree model over all series, on the same features."
    max_iter: int = 150

    def _estimator(self, features: FeatureSet):
        mask = np.zeros(len(features.names), dtype=bool)
        mask[[i for i in features.categorical if features.names[i] != "series"]] = True
        return HistGradientBoostingRegressor(
            max_iter=self.max_iter,
            learning_rate=0.08,
            max_leaf_nodes=31,
            categorical_features=mask,
            early_stopping=False,
            random_state=0,
        )
