"""Local GLMs: a Poisson regression (log link) for each series on its own season dummies (weekday,
hour), yearly Fourier terms, a trend and the known-in-advance regressors, shrunk toward one fit
of the same design pooled over every series.

Each series has its own shape here: a shop that peaks on Tuesday keeps its Tuesday, an item that
sells in winter keeps its winter. A short or quiet series borrows the pooled shape: the shrinkage
is a Gaussian prior centred on the pooled coefficients, worth PRIOR_PERIODS periods of the
series' own demand, so it fades as the series' history grows.

On weekly files with two years, a week of the year is seen only twice: there the prior of each
week-of-year effect and of each yearly term is learned instead (empirical Bayes): how far it varies
between series, from every series' fit. An ordinary week stays pooled; a holiday that some shops
live on and others ignore keeps each series' own; so does a store's own yearly wave.

Every series is fitted at once by Newton's method on stacked small systems (numpy's batched
solve), in blocks of series that keep the design under BLOCK_BYTES: no Python loop over series."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from payoff.models.features import FeatureSet
from payoff.models.forecasters import nanmean
from payoff.models.panel import Panel
from payoff.models.regression import TooLittleHistory, forecast_rows

PRIOR_PERIODS = 2.0  # the pooled shape is worth this many periods of a series' own demand
ITERATIONS = 25
TOLERANCE = 1e-5  # on the log scale: a coefficient still moving by 0.001% of demand has converged
POOLED_SERIES = 500
BLOCK_BYTES = 150e6
YEAR_PERIODS = {"hour": 8766.0, "day": 365.25, "week": 52.18, "month": 12.0}
HARMONICS = {"hour": 1, "day": 3, "week": 6, "month": 0}  # yearly Fourier pairs in the calendar design
HISTORY = {"hour": 24 * 7 * 16, "day": 3 * 365, "week": 4 * 52, "month": 10 * 12}  # the window each fit reads
MIN_PERIODS = 14
WEEK_START = 100.0  # times PRIOR_PERIODS: the week effects' prior before the first round (99% pooled)
LEARNED_ROUNDS = 4  # rounds of learning how far the yearly shape varies between series
ROUND_STEPS = 2  # Newton steps in each round but the last
SPREAD_BOUNDS = (1e-4, 1.0)  # variances: a 1% to a 2.7-fold standard deviation between series


def calendar_design(panel: Panel, end: int) -> tuple[np.ndarray, list[str]]:
    """The columns every series shares, for every period of the panel: an intercept, a trend in
    years from `end`, the season's dummies and yearly Fourier terms (more of them for weekly files,
    whose yearly shape is their season; after two years they also get week-of-year effects).
    Fourier terms only with a year of history before `end`; a shape seen once cannot be told from
    noise, the pooled prior holds it."""
    dates, unit = panel.dates, panel.frequency.unit
    year = YEAR_PERIODS[unit]
    columns: dict[str, np.ndarray] = {
        "intercept": np.ones(len(dates)),
        "trend": (np.arange(len(dates)) - end) / year,
    }
    if unit == "hour":
        for hour in range(1, 24):
            columns[f"hour_{hour}"] = (dates.hour == hour).astype(float)
    if unit in ("hour", "day"):
        for weekday in range(1, 7):
            columns[f"weekday_{weekday}"] = (dates.day_of_week == weekday).astype(float)
    if unit == "month":
        for month in range(2, 13):
            columns[f"month_{month}"] = (dates.month == month).astype(float)
    harmonics = HARMONICS[unit]
    if end >= year:
        angle = 2 * np.pi * dates.day_of_year.to_numpy() / 365.25
        for k in range(1, harmonics + 1):
            columns[f"year_sin_{k}"] = np.sin(k * angle)
            columns[f"year_cos_{k}"] = np.cos(k * angle)
    if unit == "week" and end >= 2 * 52:  # two years: the weeks that stand out from the smooth season
        week = np.minimum(dates.isocalendar().week.to_numpy().astype(int), 52)
        for number in range(1, 53):
            columns[f"week_{number}"] = (week == number).astype(float)
    return np.stack(list(columns.values()), axis=1), list(columns)


def _regressors(panel: Panel, first: int, end: int) -> np.ndarray:
    """The known-in-advance regressors, series x periods x regressors, standardised over the fit
    window; a missing value sits at the mean (0)."""
    out = np.zeros((panel.n_series, panel.n_periods, len(panel.regressors)))
    for j, values in enumerate(panel.regressors.values()):
        window = values[:, first:end]
        mean = nanmean(window.reshape(-1), axis=0) if np.isfinite(window).any() else 0.0
        spread = float(np.nanstd(window)) if np.isfinite(window).any() else 0.0
        out[:, :, j] = np.nan_to_num((values - mean) / (spread if spread > 0 else 1.0))
    return out


def _design(shared: np.ndarray, regressors: np.ndarray, rows: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Series `rows` x `periods` x columns: the shared calendar, then each series' regressors."""
    calendar = np.broadcast_to(shared[periods], (len(rows), len(periods), shared.shape[1]))
    return np.concatenate([calendar, regressors[np.ix_(rows, periods)]], axis=2)


def _newton(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    start: np.ndarray,
    prior: np.ndarray,
    centre: np.ndarray,
    iterations: int = ITERATIONS,
) -> np.ndarray:
    """Penalised Poisson maximum likelihood for every series of a block at once: x is series x
    periods x p, `prior` the precision (series x p) of a Gaussian prior at `centre`. Steps are
    capped so that a series far from its start cannot overflow exp; the prior keeps every system
    solvable, even for a series with no demand at all."""
    beta = start.copy()
    eye = np.eye(x.shape[2])
    for _ in range(iterations):
        eta = np.clip(np.matmul(x, beta[:, :, None])[:, :, 0], -30.0, 30.0)
        mu = np.exp(eta) * weight
        # batched matrix products (BLAS), not einsum: five times faster on an hourly design
        gradient = np.matmul(x.transpose(0, 2, 1), (weight * y - mu)[:, :, None])[:, :, 0] - prior * (beta - centre)
        hessian = np.matmul(x.transpose(0, 2, 1), x * mu[:, :, None]) + prior[:, :, None] * eye
        step = np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0]
        step = np.clip(step, -2.0, 2.0)
        beta = beta + step
        if float(np.abs(step).max(initial=0.0)) < TOLERANCE:
            break
    return beta


def _blocks(n_series: int, n_periods: int, p: int) -> list[np.ndarray]:
    size = max(1, int(BLOCK_BYTES // (8 * max(n_periods, 1) * p * 3)))  # x, and two temporaries
    return [np.arange(i, min(i + size, n_series)) for i in range(0, n_series, size)]


@dataclass
class _SeriesFit:
    """Every series' own fit of one design, block by block, under a prior that can change: the
    yearly shape's prior is learned from the fits themselves (empirical Bayes)."""

    shared: np.ndarray
    regressors: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    periods: np.ndarray
    centre: np.ndarray

    def _each_block(self) -> list[tuple[np.ndarray, np.ndarray]]:
        p = self.centre.shape[1]
        return [
            (rows, _design(self.shared, self.regressors, rows, self.periods))
            for rows in _blocks(len(self.y), len(self.periods), p)
        ]

    def solve(self, prior: np.ndarray, start: np.ndarray, iterations: int = ITERATIONS) -> np.ndarray:
        coef = np.zeros_like(self.centre)
        for rows, x in self._each_block():
            y, weight, centre = self.y[rows], self.weight[rows], self.centre[rows]
            coef[rows] = _newton(x, y, weight, start[rows], prior[rows], centre, iterations)
        return coef

    def spread(self, coef: np.ndarray, prior: np.ndarray, learned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each `learned` coefficient's variance over the catalogue around the pooled one, and each
        series' dispersion (Pearson's over its effective residual degrees of freedom, at least 1),
        which scales its Poisson likelihood. The variance is MacKay's fixed point for a normal
        hierarchy: the squared deviations over the number of series that actually determine
        them (1 - posterior variance / prior variance each), which converges in a few rounds
        where plain EM crawls towards a small variance. A week that every series shares (an
        ordinary one) gets a small variance, so its effect is pooled; a week that differs by
        series (a holiday some shops live on) keeps each series' own."""
        deviation = np.zeros((len(self.y), int(learned.sum())))
        determined = np.zeros_like(deviation)
        dispersion = np.ones(len(self.y))
        for rows, x in self._each_block():
            eta = np.clip(np.matmul(x, coef[rows, :, None])[:, :, 0], -30.0, 30.0)
            mu = np.exp(eta) * self.weight[rows]
            pearson = np.where(mu > 0, (self.weight[rows] * self.y[rows] - mu) ** 2 / np.maximum(mu, 1e-12), 0.0)
            hessian = np.matmul(x.transpose(0, 2, 1), x * mu[:, :, None]) + prior[rows, :, None] * np.eye(x.shape[2])
            inverse = np.diagonal(np.linalg.inv(hessian), axis1=1, axis2=2)
            used = x.shape[2] - (inverse * prior[rows]).sum(axis=1)  # effective degrees of freedom
            known = np.maximum(self.weight[rows].sum(axis=1) - used, 1.0)
            dispersion[rows] = np.maximum(pearson.sum(axis=1) / known, 1.0)
            # 1 - posterior over prior variance: how much of a series' coefficient its own data decide
            determined[rows] = np.clip(1.0 - inverse[:, learned] * prior[rows][:, learned], 0.0, 1.0)
            deviation[rows] = coef[rows][:, learned] - self.centre[rows][:, learned]
        spread = (deviation**2).sum(axis=0) / np.maximum(determined.sum(axis=0), 1e-3)
        return np.clip(spread, SPREAD_BOUNDS[0], SPREAD_BOUNDS[1]), dispersion


@dataclass
class LocalPoissonGLM:
    name: str = "local poisson regression"
    prior_periods: float = PRIOR_PERIODS

    def fit(self, features: FeatureSet, panel: Panel, end: int, horizon: int) -> LocalPoissonGLM:
        first = max(0, end - HISTORY[panel.frequency.unit])
        history = panel.y[:, first:end]
        if int(np.count_nonzero(~np.isnan(history))) < MIN_PERIODS or end - first < MIN_PERIODS:
            raise TooLittleHistory("too little history before this origin to fit a regression")
        shared, self.names_ = calendar_design(panel, end)
        regressors = _regressors(panel, first, end)
        self.names_ += [f"x_{name}" for name in panel.regressors]
        known = ~np.isnan(history)
        y = np.where(known, np.maximum(history, 0.0), 0.0)
        weight = known.astype(float)
        level = nanmean(np.where(known, y, np.nan), axis=1)
        level = np.where(np.isfinite(level), np.maximum(level, 1e-3), 1e-3)
        periods = np.arange(first, end)
        p = shared.shape[1] + regressors.shape[2]
        sample = np.arange(panel.n_series)
        if len(sample) > POOLED_SERIES:  # the prior's centre: a seeded sample of series estimates it as well
            sample = np.sort(np.random.default_rng(0).choice(len(sample), POOLED_SERIES, replace=False))
        pooled = self._pooled(shared, regressors[sample], y[sample], weight[sample], level[sample], periods, p)
        centre = np.repeat(pooled[None, :], panel.n_series, axis=0)
        centre[:, 0] += np.log(level)
        prior = np.repeat(self.prior_periods * level[:, None], p, axis=1)
        prior[:, 0] = 1e-6  # the level is the series' own
        fit = _SeriesFit(shared, regressors, y, weight, periods, centre)
        week = np.array([name.startswith("week_") for name in self.names_])
        prior[:, week] *= WEEK_START  # from nearly pooled weeks: the rounds let the ones that differ grow
        self.coef_ = fit.solve(prior, centre)
        # where the weeks of the year are in the design, how far each of them and each yearly term
        # varies over the catalogue is learned from the catalogue
        learned = week | (np.array([name.startswith("year_") for name in self.names_]) & week.any())
        self.spread_ = dict.fromkeys(np.array(self.names_)[learned].tolist(), 0.0)  # standard deviations between series
        for round_ in range(LEARNED_ROUNDS if learned.any() else 0):  # a few Newton steps a round; the last converges
            spread, dispersion = fit.spread(self.coef_, prior, learned)
            prior[:, learned] = dispersion[:, None] / spread[None, :]
            steps = ITERATIONS if round_ == LEARNED_ROUNDS - 1 else ROUND_STEPS
            self.coef_ = fit.solve(prior, self.coef_, steps)
            self.spread_ = dict(zip(self.spread_, np.sqrt(spread).tolist(), strict=True))
        self.shared_, self.regressors_, self.panel_, self.end_ = shared, regressors, panel, end
        return self

    def _pooled(
        self,
        shared: np.ndarray,
        regressors: np.ndarray,
        y: np.ndarray,
        weight: np.ndarray,
        level: np.ndarray,
        periods: np.ndarray,
        p: int,
    ) -> np.ndarray:
        """One coefficient vector for every series, each series' level an offset: the shape the
        catalogue shares. Newton steps on the Hessian summed over every block."""
        beta = np.zeros(p)
        offset = np.log(level)
        for _ in range(ITERATIONS):
            gradient, hessian = np.zeros(p), 1e-6 * np.eye(p)
            for rows in _blocks(len(level), len(periods), p):
                x = _design(shared, regressors, rows, periods)
                mu = np.exp(np.clip(x @ beta + offset[rows, None], -30, 30)) * weight[rows]
                flat, flat_mu = x.reshape(-1, p), mu.reshape(-1)
                gradient += flat.T @ (weight[rows] * y[rows] - mu).reshape(-1)
                hessian += flat.T @ (flat * flat_mu[:, None])
            step = np.clip(np.linalg.solve(hessian, gradient), -2.0, 2.0)
            beta = beta + step
            if float(np.abs(step).max()) < TOLERANCE:
                break
        return beta

    def predict_rows(self, matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The forecasts of cells `rows` (series * periods + period) from the model's own design:
        the feature matrix is not read, so this model is never explained by shuffling features."""
        n = self.panel_.n_periods
        series, periods = rows // n, rows % n
        x = np.concatenate([self.shared_[periods], self.regressors_[series, periods]], axis=1)
        eta = np.clip(np.einsum("rp,rp->r", x, self.coef_[series]), -30.0, 30.0)
        return np.exp(eta)

    def predict(self, horizon: int) -> np.ndarray:
        panel = self.panel_
        rows = forecast_rows(panel, self.end_, horizon)
        values = self.predict_rows(np.empty((len(rows), 0)), rows)
        width = len(rows) // panel.n_series
        out = np.full((panel.n_series, horizon), np.nan)
        out[:, :width] = values.reshape(panel.n_series, width)
        return out
