"""Rolling-origin backtest for quantity framings.

Windows of `horizon` periods sit every `step` periods over the end of the history; at each
window's origin a model sees only the periods before it. The first window calibrates: it is
never scored, and its errors (with those of every later window before k) give the residual
quantiles that turn a point forecast into a decision at window k, so a decision is never set
on the rows it is scored on. Forecasts are kept, so a new cost needs no refit."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from payoff.decision_kinds import DecisionKind
from payoff.errors import NotEnoughData
from payoff.evaluate.predictions import Failure, Forecasts
from payoff.models import forecasters
from payoff.models.catalogue import MODELS, STATUS_QUO, business_name, quantity_spec
from payoff.models.features import FeatureSet, build_features
from payoff.models.panel import Panel
from payoff.models.protocols import Forecaster, ForecasterSpec, GlobalForecaster, GlobalForecasterSpec
from payoff.runtime.budget import room_for_two
from payoff.runtime.compute import Compute
from payoff.runtime.side_by_side import in_turn, side_by_side
from payoff.statusquo import LastValue, MovingAverage, Seasonal, SeasonalAverage

Progress = Callable[[str, float], None]
FITTING_ERRORS = (ValueError, np.linalg.LinAlgError, FloatingPointError)
DIVERGED = "the model diverged"
DIVERGED_TIMES = 10


def shares_two_cores(compute: Compute, panel: Panel) -> bool:
    """Whether a run's heavy work on this panel (its global models' fits, their explanations) may
    be shared with a forked copy of this process: allowed by `compute` and within the budget."""
    return compute.side_by_side and room_for_two(panel.n_series, panel.n_periods)


def window_starts(n_periods: int, horizon: int, step: int, origins: int) -> tuple[int, ...]:
    """First period of each window, calibration window first, the last ending with the data."""
    last = n_periods - horizon
    return tuple(last - step * i for i in range(origins, -1, -1))


def model_catalogue(panel: Panel) -> dict[str, Forecaster | GlobalForecaster]:
    """Every registered quantity model, built for this panel's season."""
    return {spec.name: build(spec.name, panel) for spec in MODELS if spec.kind is DecisionKind.QUANTITY}


def build(name: str, panel: Panel, ratio: float = 0.5) -> Forecaster | GlobalForecaster:
    """A fresh, unfitted quantity model `name` for this panel and critical ratio."""
    spec = quantity_spec(name)
    return spec.build(panel.season) if isinstance(spec, ForecasterSpec) else spec.build(ratio)


StatusQuoForecaster = forecasters.StatusQuoRule | forecasters.SeasonalNaive | forecasters.SeasonalAverageRule


def status_quo_rule(status_quo: LastValue | MovingAverage | Seasonal | SeasonalAverage) -> StatusQuoForecaster:
    """The business's rule as a forecaster that sees what the models see (the history before each
    origin): its forecast is the decision, with no safety margin added."""
    if isinstance(status_quo, MovingAverage):
        return forecasters.StatusQuoRule(window=status_quo.window, buffer=status_quo.buffer, name=STATUS_QUO)
    if isinstance(status_quo, Seasonal):
        return forecasters.SeasonalNaive(season=status_quo.season, name=STATUS_QUO)
    if isinstance(status_quo, SeasonalAverage):
        return forecasters.SeasonalAverageRule(status_quo.season, status_quo.seasons, status_quo.buffer, STATUS_QUO)
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
    rule: StatusQuoForecaster | None = None,
    progress: Progress | None = None,
    compute: Compute | None = None,
    ratio: float = 0.5,
) -> tuple[tuple[Forecasts, ...], dict[str, GlobalForecaster], FeatureSet | None]:
    """Every model's forecasts over every window (the status-quo rule first when there is one),
    the global models as fitted at the last window (for explanations) and their features. `ratio`
    is the decision's critical ratio at the run's costs, for a model that learns the decision.

    The per-series models run in partitions of series (`compute`: this process, local processes
    or a Dask cluster), first; in this process, as one more task beside the global models' when
    those are shared with a forked copy. The global models learn from every series at once, here."""
    check_something_to_score(panel, starts, horizon)
    local: list[tuple[str, Forecaster]] = [(STATUS_QUO, rule)] if rule is not None else []
    global_models: dict[str, GlobalForecaster] = {}
    for name in model_names:
        spec = quantity_spec(name)
        if isinstance(spec, GlobalForecasterSpec):
            global_models[name] = spec.build(ratio)
        else:
            local.append((name, spec.build(panel.season)))
    order = ([STATUS_QUO] if rule is not None else []) + list(model_names)  # results in this order
    needs_features = bool(global_models)
    labels = window_labels(panel, starts, horizon)
    raw: dict[str, list[tuple[np.ndarray | None, str | None]]] = {}
    compute = compute or Compute()
    features = build_features(panel, horizon, country) if needs_features else None

    def per_series() -> dict[str, list[Outcome]]:
        return local_forecasts(panel.y, local, starts, horizon, compute)

    if local and progress:
        progress(f"Fitting each series' own models: {', '.join(business_name(name) for name, _ in local)}", 0.0)
    # Where the global models' fits are shared and the per-series models run in this process,
    # these are one more task beside them: neither process works through them while the other
    # waits (0.6 s of a 500-series run). Else they run first, as they always did.
    together = features is not None and shares_two_cores(compute, panel)
    alongside = bool(local) and together and compute.workers == 1 and not compute.dask
    if local and not alongside:
        raw = per_series()
        if progress:
            progress("Each series' own models: fitted", len(local) / (len(local) + len(global_models)))
    if features is not None:
        raw |= global_forecasts(
            global_models,
            panel,
            features,
            starts,
            horizon,
            progress,
            together,
            0 if alongside else len(local),
            (per_series, len(local)) if alongside else None,
        )
    result = []
    for name in order:
        windows, fallbacks, failures = [], [], []
        for k, start in enumerate(starts):
            forecast, error = raw[name][k]
            forecast, fallback, failed = _finish(name, forecast, error, panel, start, horizon, labels[k])
            windows.append(forecast)
            fallbacks.append(fallback)
            failures += failed
        learns = name in global_models and quantity_spec(name).learns_decision
        result.append(
            Forecasts(
                name,
                np.concatenate(windows, axis=1),
                np.concatenate(fallbacks, axis=1),
                tuple(failures),
                ratio if learns else None,
            )
        )
    if progress:
        progress("done", 1.0)
    fitted = {name: model for name, model in global_models.items() if getattr(model, "end_", None) == starts[-1]}
    return tuple(result), fitted, features


def check_something_to_score(panel: Panel, starts: tuple[int, ...], horizon: int) -> None:
    """Refuse, before fitting, a backtest whose tests hold no known quantity at all: every model
    would cost 0 on 0 rows, which reads as "keep what you do" when nothing was evaluated."""
    tested = [np.arange(start, min(start + horizon, panel.n_periods)) for start in starts[1:]]
    if not tested or not np.isnan(panel.y[:, np.concatenate(tested)]).all():
        return
    frequency = panel.frequency
    span = frequency.span(panel.dates[tested[0][0]], panel.dates[tested[-1][-1]])
    known = int(np.count_nonzero(~np.isnan(panel.y)))
    cells = f"{panel.n_periods:,} {frequency.plural}"
    if panel.n_series > 1:
        cells = f"{panel.n_series * panel.n_periods:,} {frequency.plural} of its {panel.n_series:,} series"
    raise NotEnoughData(
        f"There is nothing to evaluate: the quantity to forecast is missing on every {frequency.unit} the tests "
        f"score ({span}); it is known on only {known:,} of the {cells}. Fill in the quantities in the file, or "
        "choose the column that holds them as the target (on the Data page; --target on the command line)."
    )


Outcome = tuple[np.ndarray | None, str | None]  # a window's forecasts, or why there are none


def local_forecasts(
    y: np.ndarray, models: list[tuple[str, Forecaster]], starts: tuple[int, ...], horizon: int, compute: Compute
) -> dict[str, list[Outcome]]:
    """The per-series models' forecasts at every origin, computed partition by partition and put
    back in series order. A window that fails in any partition fails whole, as it would in one
    process, so the numbers never depend on the split."""
    parts = compute.partitions(y.shape[0])
    chunks = compute.map(_partition, [(y[part], models, starts, horizon) for part in parts])
    out: dict[str, list[Outcome]] = {}
    for name, _ in models:
        per_window: list[Outcome] = []
        for k in range(len(starts)):
            outcomes = [chunk[name][k] for chunk in chunks]
            errors = [error for _, error in outcomes if error is not None]
            if errors:
                per_window.append((None, errors[0]))
            else:
                per_window.append((np.concatenate([f for f, _ in outcomes], axis=0), None))
        out[name] = per_window
    return out


def _partition(task: tuple[np.ndarray, list[tuple[str, Forecaster]], tuple[int, ...], int]) -> dict[str, list[Outcome]]:
    """One block of series: every per-series model at every origin (runs in a worker)."""
    y, models, starts, horizon = task
    out: dict[str, list[Outcome]] = {}
    for name, model in models:
        out[name] = []
        for start in starts:
            try:
                forecast = np.asarray(model.fit(y[:, :start]).predict(horizon), dtype="float64")
                out[name].append((forecast, None))
            except FITTING_ERRORS as error:
                out[name].append((None, _reason(error)))
    return out


def global_forecasts(
    models: dict[str, GlobalForecaster],
    panel: Panel,
    features: FeatureSet,
    starts: tuple[int, ...],
    horizon: int,
    progress: Progress | None,
    together: bool,
    finished: int = 0,
    per_series: tuple[Callable[[], dict[str, list[Outcome]]], int] | None = None,
) -> dict[str, list[Outcome]]:
    """Every global model's forecasts at every origin, each model fitted at the origins in turn
    and left in `models` as fitted at the last. With `together`, shared with a forked copy of this
    process (`runtime.side_by_side`, see shares_two_cores); the numbers are the same either way.
    `finished`: models already done, for the progress share. `per_series`: the call that works
    out the per-series models' forecasts, and how many models it fits: one more task, the last."""
    names = sorted(models, key=lambda name: -_fit_cost(name))
    total = finished + len(names) + (per_series[1] if per_series else 0)
    tasks: list[str | None] = [*names, *([None] if per_series else [])]  # None: the per-series models

    def fit(name: str | None) -> tuple[dict[str, list[Outcome]], GlobalForecaster | None]:
        if name is None:
            assert per_series is not None
            return per_series[0](), None
        model = models[name]
        return {name: [_global_forecast(model, panel, features, start, horizon) for start in starts]}, model

    def landed(i: int, result: tuple[dict[str, list[Outcome]], GlobalForecaster | None]) -> None:
        nonlocal finished
        name, model = tasks[i], result[1]
        if name is None:
            assert per_series is not None
            finished += per_series[1]
        elif model is not None:
            models[name] = model  # the copy's fitted model, for the explanations
            finished += 1
        if progress:
            what = business_name(name) if name else "Each series' own models"
            progress(f"{what}: fitted", finished / total)

    if progress:
        progress(f"Fitting the models over every series: {', '.join(map(business_name, names))}", finished / total)
    fitted = side_by_side(tasks, fit, (features, panel), landed) if together else in_turn(tasks, fit, landed)
    out: dict[str, list[Outcome]] = {}
    for outcomes, _ in fitted:
        out |= outcomes
    return out


def _fit_cost(name: str) -> float:
    spec = quantity_spec(name)
    return spec.fit_cost if isinstance(spec, GlobalForecasterSpec) else 1.0


def _global_forecast(model: GlobalForecaster, panel: Panel, features: FeatureSet, start: int, horizon: int) -> Outcome:
    try:
        return np.asarray(model.fit(features, panel, start, horizon).predict(horizon), dtype="float64"), None
    except FITTING_ERRORS as error:
        return None, _reason(error)


def _finish(
    name: str, forecast: np.ndarray | None, error: str | None, panel: Panel, start: int, horizon: int, window: str
) -> tuple[np.ndarray, np.ndarray, list[Failure]]:
    """One model's forecasts at one origin, made whole. Series it could not forecast are decided
    with the last value seen (0 if none), marked as fallback and listed with the reason, so the
    run completes and nothing is hidden."""
    history = panel.y[:, :start]
    failures: list[Failure] = []
    if forecast is None:
        forecast = np.full((panel.n_series, horizon), np.nan)
        failures.append(Failure(name, error or "the model failed", None, window))
    observed = np.sum(~np.isnan(history), axis=1)
    short = observed < 2
    missing = np.isnan(forecast).any(axis=1) & ~short
    # A forecast far beyond anything the series ever did is a model that diverged (a dollar column
    # next to counts once broke a regression this way): known without the truth, so it is decided
    # with the last value and never left to price as if it were a forecast.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        peak = np.nan_to_num(np.nanmax(np.abs(history), axis=1), nan=0.0) if history.shape[1] else np.zeros(len(short))
        top = np.nanmax(np.where(np.isfinite(forecast), forecast, -np.inf), axis=1)
    diverged = (top > DIVERGED_TIMES * np.maximum(peak, 1.0)) & ~short & ~missing
    bad = short | missing | diverged
    if bad.any():
        labels = panel.labels()
        if not failures:  # a whole-window failure is listed once, not once per series
            for i in np.flatnonzero(short):
                failures.append(
                    Failure(name, f"only {int(observed[i])} period(s) of history before this window", labels[i], window)
                )
            for i in np.flatnonzero(missing):
                failures.append(Failure(name, "the model gave no forecast for this series", labels[i], window))
            for i in np.flatnonzero(diverged):
                failures.append(
                    Failure(
                        name,
                        f"{DIVERGED}: its forecasts reached {top[i]:,.0f}, over {DIVERGED_TIMES} times anything "
                        f"this series did before ({peak[i]:,.0f})",
                        labels[i],
                        window,
                    )
                )
        fallback_values = forecasters.Naive().fit(history).predict(horizon)
        forecast[bad] = fallback_values[bad]
    fallback = np.repeat(bad[:, None], horizon, axis=1)
    return np.maximum(forecast, 0.0), fallback, failures


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text[0].lower() + text[1:] if text else text
