"""Rolling-origin backtest for quantity framings.

Windows of `horizon` periods sit every `step` periods over the end of the history; at each
window's origin a model sees only the periods before it. The first window calibrates: it is
never scored, and its errors (with those of every later window before k) give the residual
quantiles that turn a point forecast into a decision at window k, so a decision is never set
on the rows it is scored on. Forecasts are kept, so a new cost needs no refit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from payoff.evaluate.predictions import Failure, Forecasts
from payoff.models import forecasters, regression
from payoff.models.catalogue import STATUS_QUO
from payoff.models.features import FeatureSet, build_features
from payoff.models.glm import PoissonGLM
from payoff.models.panel import Panel
from payoff.statusquo import LastValue, MovingAverage

Progress = Callable[[str, float], None]
FITTING_ERRORS = (ValueError, np.linalg.LinAlgError, FloatingPointError)


def window_starts(n_periods: int, horizon: int, step: int, origins: int) -> tuple[int, ...]:
    """First period of each window, calibration window first, the last ending with the data."""
    last = n_periods - horizon
    return tuple(last - step * i for i in range(origins, -1, -1))


def model_catalogue(panel: Panel) -> dict[str, object]:
    m = panel.season
    return {
        "naive": forecasters.Naive(),
        "seasonal naive": forecasters.SeasonalNaive(season=m),
        "moving average": forecasters.MovingAverage(window=max(4 * m if m <= 12 else m, 8)),
        "exponential smoothing": forecasters.HoltWinters(season=m),
        "linear regression": regression.LinearRegression(),
        "gradient boosting": regression.GradientBoosting(),
        "poisson regression": PoissonGLM(),
        "croston (sba)": forecasters.Croston(),
        "tsb": forecasters.TSB(),
    }


def status_quo_rule(status_quo: LastValue | MovingAverage) -> forecasters.StatusQuoRule:
    if isinstance(status_quo, MovingAverage):
        return forecasters.StatusQuoRule(window=status_quo.window, buffer=status_quo.buffer, name=STATUS_QUO)
    return forecasters.StatusQuoRule(name=STATUS_QUO)


def window_labels(panel: Panel, starts: tuple[int, ...], horizon: int) -> list[str]:
    frequency = panel.frequency
    out = []
    for k, start in enumerate(starts):
        span = frequency.span(panel.dates[start], panel.dates[min(start + horizon, panel.n_periods) - 1])
        out.append(f"{'calibration' if k == 0 else f'test {k}'} ({span})")
    return out


def run_backtest(
    panel: Panel,
    starts: tuple[int, ...],
    horizon: int,
    model_names: tuple[str, ...],
    country: str | None = None,
    rule: forecasters.StatusQuoRule | None = None,
    progress: Progress | None = None,
) -> tuple[tuple[Forecasts, ...], dict[str, regression.GlobalModel], FeatureSet | None]:
    """Every model's forecasts over every window (the status-quo rule first when there is one),
    the global models as fitted at the last window (for explanations) and their features."""
    catalogue = model_catalogue(panel)
    entries: list[tuple[str, object]] = [(STATUS_QUO, rule)] if rule is not None else []
    entries += [(name, catalogue[name]) for name in model_names]
    needs_features = any(isinstance(model, regression.GlobalModel) for _, model in entries)
    features = build_features(panel, horizon, country) if needs_features else None
    labels = window_labels(panel, starts, horizon)
    total, done = len(entries) * len(starts), 0
    result = []
    for name, model in entries:
        windows, fallbacks, failures = [], [], []
        for k, start in enumerate(starts):
            if progress:
                progress(f"{name}: {labels[k].split(' (')[0]}", done / total)
            forecast, fallback, failed = _forecast(name, model, panel, features, start, horizon, labels[k])
            windows.append(forecast)
            fallbacks.append(fallback)
            failures += failed
            done += 1
        result.append(
            Forecasts(name, np.concatenate(windows, axis=1), np.concatenate(fallbacks, axis=1), tuple(failures))
        )
    if progress:
        progress("done", 1.0)
    fitted = {
        name: model
        for name, model in entries
        if isinstance(model, regression.GlobalModel) and getattr(model, "end_", None) == starts[-1]
    }
    return tuple(result), fitted, features


def _forecast(
    name: str, model: object, panel: Panel, features: FeatureSet | None, start: int, horizon: int, window: str
) -> tuple[np.ndarray, np.ndarray, list[Failure]]:
    """One model's forecasts at one origin. Series it cannot forecast are decided with the last
    value seen (0 if none), marked as fallback and listed with the reason, so the run completes
    and nothing is hidden."""
    history = panel.y[:, :start]
    failures: list[Failure] = []
    try:
        if isinstance(model, regression.GlobalModel):
            assert features is not None
            forecast = model.fit(features, panel, start, horizon).predict(horizon)
        else:
            forecast = model.fit(history).predict(horizon)  # type: ignore[attr-defined]
        forecast = np.asarray(forecast, dtype="float64")
    except FITTING_ERRORS as error:
        forecast = np.full((panel.n_series, horizon), np.nan)
        failures.append(Failure(name, _reason(error), None, window))
    observed = np.sum(~np.isnan(history), axis=1)
    short = observed < 2
    missing = np.isnan(forecast).any(axis=1) & ~short
    bad = short | missing
    if bad.any():
        labels = panel.labels()
        if not failures:  # a whole-window failure is listed once, not once per series
            for i in np.flatnonzero(short):
                failures.append(
                    Failure(name, f"only {int(observed[i])} period(s) of history before this window", labels[i], window)
                )
            for i in np.flatnonzero(missing):
                failures.append(Failure(name, "the model gave no forecast for this series", labels[i], window))
        fallback_values = forecasters.Naive().fit(history).predict(horizon)
        forecast[bad] = fallback_values[bad]
    fallback = np.repeat(bad[:, None], horizon, axis=1)
    return np.maximum(forecast, 0.0), fallback, failures


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text[0].lower() + text[1:] if text else text
