"""Rolling-origin backtest for quantity framings.

Origins sit every `step` periods over the end of the history; at each origin a model sees only
the periods before it and forecasts `horizon` periods. One extra origin before the evaluated ones
is used only for calibration: the residual quantiles that turn a point forecast into a decision
at origin k come from the model's own errors at origins before k, never from the rows it is scored
on. Forecasts and residuals are kept, so a new cost (a new critical ratio) needs no refit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from payoff.errors import NotEnoughData
from payoff.models import forecasters, regression
from payoff.models.features import build_features
from payoff.models.panel import Panel

MIN_RESIDUALS = 10  # per series; fewer and the series uses residuals pooled over all series
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class BacktestSettings:
    horizon: int
    origins: int = 4
    step: int | None = None  # default: the horizon
    country: str | None = None

    @property
    def stride(self) -> int:
        return self.step or self.horizon


@dataclass
class ModelForecasts:
    name: str
    description: str
    forecast: np.ndarray  # series x evaluated periods (NaN where the model failed)
    residuals: list[np.ndarray]  # per evaluated origin: series x pooled residuals, sorted, NaN padded
    failed: list[str] = field(default_factory=list)  # series labels the model could not forecast

    def accuracy(self, actual: np.ndarray) -> dict[str, float]:
        """MAE, WAPE and bias of the point forecasts (cost-free, so computed once)."""
        cached = self.__dict__.get("_accuracy")
        if cached is None:
            seen = ~np.isnan(actual)
            error = self.forecast[seen] - actual[seen]
            total = np.abs(actual[seen]).sum()
            cached = {
                "mae": float(np.mean(np.abs(error))) if error.size else float("nan"),
                "wape": float(np.abs(error).sum() / total) if total else float("nan"),
                "bias": float(error.sum() / total) if total else float("nan"),
            }
            self.__dict__["_accuracy"] = cached
        return dict(cached)


@dataclass
class Predictions:
    panel: Panel
    settings: BacktestSettings
    periods: np.ndarray  # panel period index of each evaluated period
    origin_of: np.ndarray  # which evaluated origin each evaluated period belongs to
    origin_starts: list[int]
    models: dict[str, ModelForecasts]

    @property
    def actual(self) -> np.ndarray:
        return self.panel.y[:, self.periods]


NATURAL_HORIZONS = {"hour": (168, 72, 48, 24), "day": (28, 14, 7), "week": (8, 4), "month": (3, 1)}


def default_horizon(frequency: str, n_periods: int | None = None, origins: int = 4) -> int:
    """The longest natural horizon (a week of hours, four weeks of days ...) the history allows."""
    choices = NATURAL_HORIZONS[frequency]
    season = {"hour": 24, "day": 7, "week": 52, "month": 12}[frequency]
    for horizon in choices:
        if n_periods is None or horizon * (origins + 1) + max(season, horizon) + 2 <= n_periods:
            return horizon
    return choices[-1]


def origin_starts(n_periods: int, settings: BacktestSettings) -> list[int]:
    """Period indices where each origin's forecast window starts, calibration origin first."""
    h, step, k = settings.horizon, settings.stride, settings.origins
    last = n_periods - h
    starts = [last - step * i for i in range(k, -1, -1)]
    return starts


def check_history(panel: Panel, settings: BacktestSettings) -> list[int]:
    if settings.horizon < 1 or settings.origins < 1 or settings.stride < 1:
        raise NotEnoughData("Horizon, number of tests and step must all be at least 1.")
    if settings.stride < settings.horizon:
        raise NotEnoughData("The step between tests must be at least the horizon, so each period is tested once.")
    starts = origin_starts(panel.n_periods, settings)
    minimum = max(panel.season, settings.horizon) + 2  # one season of history before calibrating
    needed = settings.horizon + settings.stride * settings.origins + minimum
    if starts[0] < minimum:
        raise NotEnoughData(
            f"The data has {panel.n_periods} {panel.frequency}s; {settings.origins} tests of "
            f"{settings.horizon} {panel.frequency}s plus a calibration window need at least {needed}. "
            "Use fewer tests or a shorter horizon."
        )
    return starts


def _baselines(panel: Panel) -> list:
    m = panel.season
    return [
        forecasters.Naive(),
        forecasters.SeasonalNaive(season=m),
        forecasters.MovingAverage(window=max(4 * m if m <= 12 else m, 8)),
        forecasters.HoltWinters(season=m),
    ]


ALL_MODELS = (
    "naive",
    "seasonal naive",
    "moving average",
    "exponential smoothing",
    "linear regression",
    "gradient boosting",
)


def model_catalogue(panel: Panel) -> dict[str, object]:
    models = {m.name: m for m in _baselines(panel)}
    models["linear regression"] = regression.LinearRegression()
    models["gradient boosting"] = regression.GradientBoosting()
    return models


def _sorted_residuals(errors: list[np.ndarray]) -> np.ndarray:
    pooled = np.concatenate(errors, axis=1) if errors else np.zeros((0, 0))
    return np.sort(pooled, axis=1)  # NaNs sort last


def run_backtest(
    panel: Panel,
    settings: BacktestSettings,
    model_names: list[str] | None = None,
    progress: Progress | None = None,
    status_quo_rule: forecasters.StatusQuoRule | None = None,
) -> Predictions:
    starts = check_history(panel, settings)
    h = settings.horizon
    catalogue = model_catalogue(panel)
    names = [n for n in (model_names or list(ALL_MODELS)) if n in catalogue]
    if status_quo_rule is not None:
        catalogue[status_quo_rule.name] = status_quo_rule
        names = [status_quo_rule.name, *names]
    needs_features = any(n in ("linear regression", "gradient boosting") for n in names)
    features = build_features(panel, h, settings.country) if needs_features else None
    evaluated = starts[1:]
    periods = np.concatenate([np.arange(s, s + h) for s in evaluated])
    origin_of = np.repeat(np.arange(len(evaluated)), h)
    result: dict[str, ModelForecasts] = {}
    total_steps = len(names) * len(starts)
    done = 0
    for name in names:
        model = catalogue[name]
        windows: list[np.ndarray] = []
        errors: list[np.ndarray] = []
        failed: set[int] = set()
        for k, start in enumerate(starts):
            if progress:
                progress(f"{name}: test {k} of {len(evaluated)}" if k else f"{name}: calibration", done / total_steps)
            forecast = _forecast(model, panel, features, start, h, failed)
            actual = panel.y[:, start : start + h]
            errors.append(actual - forecast)
            if k:
                windows.append(forecast)
            done += 1
        residuals = [_sorted_residuals(errors[:k]) for k in range(1, len(starts))]
        result[name] = ModelForecasts(
            name,
            getattr(model, "description", ""),
            np.concatenate(windows, axis=1),
            residuals,
            [panel.label(i) for i in sorted(failed)],
        )
    if progress:
        progress("done", 1.0)
    return Predictions(panel, settings, periods, origin_of, evaluated, result)


def _forecast(model, panel: Panel, features, start: int, horizon: int, failed: set[int]) -> np.ndarray:
    """One model's forecasts at one origin; series it cannot handle come back NaN and are listed."""
    history = panel.y[:, :start]
    try:
        if features is not None and isinstance(model, regression._GlobalModel):
            forecast = model.fit(features, panel, start, horizon).predict(horizon)
        else:
            forecast = model.fit(history).predict(horizon)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError):
        forecast = np.full((panel.n_series, horizon), np.nan)
    forecast = np.maximum(np.asarray(forecast, dtype="float64"), 0.0)
    observed = np.sum(~np.isnan(history), axis=1)
    # Series the model cannot handle (too short, or the fit failed) are listed and decided with
    # the last value seen (0 if none), so the rest of the run completes.
    bad = np.isnan(forecast).any(axis=1) | (observed < 2)
    if bad.any():
        failed.update(int(i) for i in np.flatnonzero(bad))
        fallback = forecasters.Naive().fit(history).predict(horizon)
        forecast[bad] = fallback[bad]
    return forecast
