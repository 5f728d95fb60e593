"""A Poisson GLM (log link) over all series on the regression features: the founding idea's
"feature-engineered generalized linear regression". The forecasts at each backtest window come
from scikit-learn's unpenalised PoissonRegressor (lean on memory); the effects shown to the user
come from statsmodels, the tool made for inference, refitting the same model once on the last
window's history: every effect with its 95% interval (quasi-Poisson: the scale is estimated, so
overdispersed counts do not give falsely narrow intervals).

Demand lags and rolling means enter as log(1 + x), so a series' own level sets its scale and the
calendar, holiday and price/promotion effects read as percentages of demand."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from payoff.models.features import FeatureSet
from payoff.models.panel import Panel
from payoff.models.regression import MIN_TRAIN_ROWS, GlobalModel, TooLittleHistory, training_rows

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SKIPPED = {"series", "month"}  # identity, and the season already in year_sin/year_cos


@dataclass
class PoissonGLM(GlobalModel):
    name: str = "poisson regression"

    def _design(self, features: FeatureSet, rows: np.ndarray, fit: bool, y: np.ndarray | None = None) -> np.ndarray:
        """The model matrix: log1p of demand features, one indicator per weekday/hour against the
        busiest one (so "03:00" reads against 10:00, not against an empty midnight), the rest as
        they are; blanks take the training median."""
        columns: list[np.ndarray] = []
        names: list[str] = []
        plain: list[int] = []  # positions of the columns used as they are (not logs, not indicators)
        for i, name in enumerate(features.names):
            if name in SKIPPED:
                continue
            values = features.matrix[rows, i]
            if i in features.demand:
                columns.append(np.log1p(np.maximum(values, 0.0)))
                names.append(name)
            elif i in features.categorical:
                if fit:
                    assert y is not None
                    found = np.unique(values[~np.isnan(values)])
                    busiest = max(found, key=lambda level: float(np.mean(y[values == level])))
                    self.levels_[name] = np.array([busiest, *(v for v in found if v != busiest)])
                levels = self.levels_[name]
                for level in levels[1:]:
                    columns.append((values == level).astype(float))
                    names.append(f"{name}={int(level)}")
            else:
                columns.append(values)
                names.append(name)
                plain.append(len(columns) - 1)
        matrix = np.column_stack(columns) if columns else np.zeros((len(rows), 0))
        if fit:
            # Plain numbers (prices, a dollar column, temperatures) are standardised so that one in
            # the millions cannot wreck the fit; effects are turned back to the column's own units.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                center = np.nanmean(np.where(np.isfinite(matrix), matrix, np.nan), axis=0)
                spread_all = np.nanstd(np.where(np.isfinite(matrix), matrix, np.nan), axis=0)
            self.center_ = np.zeros(matrix.shape[1])
            self.unit_ = np.ones(matrix.shape[1])
            for j in plain:
                if np.isfinite(center[j]) and np.isfinite(spread_all[j]) and spread_all[j] > 0:
                    self.center_[j], self.unit_[j] = center[j], spread_all[j]
        matrix = (matrix - self.center_) / self.unit_
        if fit:
            with warnings.catch_warnings():  # an all-blank column (a lag of two seasons) is dropped below
                warnings.simplefilter("ignore", RuntimeWarning)
                self.median_ = np.nanmedian(np.where(np.isfinite(matrix), matrix, np.nan), axis=0)
                spread = np.nanstd(matrix, axis=0)
            self.keep_ = np.isfinite(self.median_) & (spread > 0)
            filled = np.where(np.isfinite(matrix), matrix, self.median_)
            for j in range(matrix.shape[1]):  # a lag equal to another (horizon = one season): once
                if self.keep_[j] and any(
                    np.array_equal(filled[:, i], filled[:, j]) for i in np.flatnonzero(self.keep_[:j])
                ):
                    self.keep_[j] = False
            self.names_ = [n for n, k in zip(names, self.keep_, strict=True) if k]
        return np.where(np.isfinite(matrix), matrix, self.median_)[:, self.keep_]

    def fit(self, features: FeatureSet, panel: Panel, end: int, horizon: int) -> PoissonGLM:
        from sklearn.linear_model import PoissonRegressor

        rows = training_rows(panel, end, warmup=horizon + panel.season)
        if len(rows) < MIN_TRAIN_ROWS:
            raise TooLittleHistory("too little history before this origin to fit a regression")
        self.levels_: dict[str, np.ndarray] = {}  # per category, the baseline (busiest) level first
        y = np.maximum(panel.y.reshape(-1)[rows], 0.0)
        x = self._design(features, rows, fit=True, y=y)
        self.estimator_ = PoissonRegressor(alpha=0.0, solver="newton-cholesky", max_iter=200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence notes; a failed fit raises below
            self.estimator_.fit(x, y)
        if not np.all(np.isfinite(self.estimator_.coef_)):
            raise ValueError("the Poisson GLM did not converge")
        self.features_, self.panel_, self.end_, self.rows_ = features, panel, end, rows
        return self

    def predict_rows(self, matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
        x = self._design_of(matrix)
        with np.errstate(over="ignore"):
            return np.exp(np.clip(x @ self.estimator_.coef_ + self.estimator_.intercept_, -50, 50))

    def _design_of(self, matrix: np.ndarray) -> np.ndarray:
        """The design of arbitrary feature rows (a stand-in FeatureSet around them)."""
        stand_in = FeatureSet(matrix, self.features_.names, self.features_.categorical, self.features_.demand)
        return self._design(stand_in, np.arange(len(matrix)), fit=False)

    @property
    def baseline(self) -> dict[str, float]:
        """Each category's reference level."""
        return {name: float(levels[0]) for name, levels in self.levels_.items()}

    def effects(self) -> list[tuple[str, float, float, float]]:
        """(term, coefficient, low, high) on the log scale with 95% intervals: the same model
        refitted by statsmodels on the same rows, quasi-Poisson, constant left out."""
        import statsmodels.api as sm

        x = sm.add_constant(self._design(self.features_, self.rows_, fit=False), has_constant="add")
        y = np.maximum(self.panel_.y.reshape(-1)[self.rows_], 0.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = sm.GLM(y, x, family=sm.families.Poisson()).fit(method="newton", scale="X2", maxiter=100)
        low_high = result.conf_int(0.05)
        unit = self.unit_[self.keep_]  # per standard deviation -> per unit of the column
        return [
            (
                name,
                float(result.params[i + 1] / unit[i]),
                float(low_high[i + 1][0] / unit[i]),
                float(low_high[i + 1][1] / unit[i]),
            )
            for i, name in enumerate(self.names_)
        ]


def describe_term(
    term: str, step: float = 1.0, baseline: dict[str, float] | None = None, flag: bool = False
) -> str | None:
    """A model term in business words, or None when it has none. `baseline` names each
    category's reference level (the busiest); a `flag` column (only 0 and 1) reads as set or
    not, any other column as a step of `step` (which may be 1: wind from 1.1 to 11.4)."""
    baseline = baseline or {}
    if term.startswith("weekday="):
        return f"{WEEKDAYS[int(term.split('=')[1])]} (vs {WEEKDAYS[int(baseline.get('weekday', 0))]})"
    if term.startswith("hour="):
        return f"{int(term.split('=')[1]):02d}:00 (vs {int(baseline.get('hour', 0)):02d}:00)"
    if term == "holiday":
        return "a holiday (in the period)"
    if term == "holiday_before":
        return "a holiday in the week before the date"
    if term == "holidays":
        return "one more holiday in the month"
    if term.startswith("x_"):
        column = term[2:]
        return f"{column} = 1 (vs 0)" if flag else f"{column} {step:+g}"
    # Demand lags are left out: each is an effect "with the other lags held fixed", which reads as
    # nonsense to a manager ("10% more recent demand: -14%") although the forecast is sound.
    return None
