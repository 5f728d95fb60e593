"""Quantity decisions (perishable stock, replenishment, staffing): a table becomes a series x
period panel, every model is backtested over rolling windows, and the kept forecasts are priced
as the orders, stock levels or schedules the business would have set."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from payoff.closures import without_closures
from payoff.decision_kinds import DecisionKind
from payoff.designs import Backtest
from payoff.engines.base import Explain, Progress, Threshold, Values
from payoff.engines.quantity_next import next_decisions, series_values
from payoff.evaluate.backtest import (
    FITTING_ERRORS,
    run_backtest,
    shares_two_cores,
    status_quo_rule,
    window_labels,
    window_starts,
)
from payoff.evaluate.explain import FAILED
from payoff.evaluate.explain_quantity import quantity_explanations
from payoff.evaluate.impact import BacktestRecord, Entry, Impact
from payoff.evaluate.predictions import Explanation, QuantityPredictions
from payoff.evaluate.quantity_money import (
    Priced,
    blend_leaders,
    choose_now,
    critical_ratio,
    price_entries,
)
from payoff.evaluate.summary import build_impact, wording
from payoff.evaluate.uncertainty import block_bootstrap
from payoff.framings.base import FromColumn, QuantityFraming
from payoff.framings.fresh import always_short
from payoff.models.catalogue import AUTO, BLEND, MODELS, REPEATERS, STATUS_QUO, business_name, quantity_spec
from payoff.models.panel import build_panel
from payoff.problem import Problem
from payoff.runtime import budget
from payoff.runtime.compute import Compute
from payoff.statusquo import DecisionColumn
from payoff.timegrid import Frequency


class QuantityEngine:
    kind = DecisionKind.QUANTITY
    framing_type = QuantityFraming

    def fit(
        self, problem: Problem, progress: Progress | None = None, compute: Compute | None = None
    ) -> tuple[QuantityPredictions, Explain]:
        design = problem.evaluation
        assert isinstance(design, Backtest)
        columns = {key: value.column for key, value in problem.params if isinstance(value, FromColumn)}
        if isinstance(problem.status_quo, DecisionColumn):
            columns["decision"] = problem.status_quo.column
        marked = (*problem.features, problem.closed_column) if problem.closed_column else problem.features
        framing = problem.framing
        assert isinstance(framing, QuantityFraming)
        panel = build_panel(
            problem.table,
            design.frequency,
            design.season,
            str(problem.date),
            problem.keys,
            problem.target,
            marked,
            columns,
            frozenset({"decision"}) if framing.policy.decision_is_level else frozenset(),
        )
        panel, _ = without_closures(panel, problem.closed_column)  # closed days: no demand, no order, no cost
        if problem.money_target:  # money is not counted in whole units: orders are not rounded up
            panel = replace(panel, counted=False)
        budget.check_quantity(panel.n_series, panel.n_periods)  # before anything is fitted
        starts = window_starts(panel.n_periods, design.horizon, design.step, design.origins)
        rule = None if isinstance(problem.status_quo, DecisionColumn) else status_quo_rule(problem.status_quo)  # type: ignore[arg-type]
        forecasts, fitted, _ = run_backtest(
            panel,
            starts,
            design.horizon,
            problem.models,
            design.country,
            rule,
            progress,
            compute,
            critical_ratio(framing, problem.values, panel),
        )
        predictions = QuantityPredictions(panel, starts, design.horizon, forecasts, panel.columns.get("decision"))

        def explain(together: bool = False) -> tuple[Explanation, ...]:
            together = together and shares_two_cores(compute or Compute(), panel)
            try:
                return quantity_explanations(fitted, predictions, framing, problem.values, problem.target, together)
            except FITTING_ERRORS as error:  # said, not hidden: the money does not depend on it
                return (Explanation(FAILED, "", (), f"The explanations could not be computed: {error}."),)

        return predictions, explain

    def price(
        self,
        problem: Problem,
        predictions: QuantityPredictions,
        values: Values,
        threshold: Threshold | None = None,
        uncertainty: bool = True,
    ) -> Impact:
        framing = problem.framing
        assert isinstance(framing, QuantityFraming)
        priced, auto, picks, costs = price_entries(framing, values, predictions)
        scored = predictions.scored
        actual = predictions.actual
        entries = [_entry(p, predictions, framing) for p in priced]
        entries.append(_entry(auto, predictions, framing))
        now = priced[choose_now(priced, predictions)].name
        choices = tuple(priced[i].name for i in picks[1:])
        panel = predictions.panel
        periods = predictions.periods[scored]
        dates = panel.dates[periods]
        frequency = panel.frequency
        labels = window_labels(panel, predictions.starts, predictions.horizon)
        evaluation: BacktestRecord = {
            "rows": int((~np.isnan(actual[:, scored])).sum()),
            "series": panel.n_series,
            "periods": int(scored.sum()),
            "frequency": frequency.unit,
            "grid": frequency.alias,
            "start": dates.min().date().isoformat(),
            "end": dates.max().date().isoformat(),
            "tests": predictions.windows - 1,
            "horizon": predictions.horizon,
            "season": panel.season,
            "calibration": labels[0],
            "windows": labels[1:],
            "period_text": _period_text(actual[:, scored], frequency, dates),
            "critical_ratio": float(np.mean(costs.critical_ratio)),
            "whole_units": panel.whole_units,
            "closures": problem.closures or None,
            "rows_combined": problem.rows_combined or None,
            "leakage_flags": [
                {"column": column, "reason": reason, "used": column in problem.features}
                for column, reason in problem.realised
            ],
        }
        warnings = accuracy_outliers(entries) + _as_placed(problem, predictions, values)
        gap = always_short(values.get("order_days"), int(values.get("shelf_life") or 1))  # type: ignore[arg-type]
        warnings += [gap] if gap else []
        if warnings:
            evaluation["warnings"] = warnings
        # Blocks of a season, but at least five blocks in the window so the resampling varies.
        block = max(1, min(panel.season, int(scored.sum()) // 5))
        impact = build_impact(
            framing,
            values,
            entries,
            choices,
            now,
            problem.status_quo.label,
            evaluation,
            (lambda gain: block_bootstrap(gain, block)) if uncertainty else None,
            wording(problem, values),
        )
        leaders = blend_leaders(priced, predictions)
        return replace(impact, recommended=replace(impact.recommended, blend_of=leaders)) if leaders else impact

    def next_decisions(
        self, problem: Problem, predictions: QuantityPredictions, impact: Impact, values: Values
    ) -> pd.DataFrame:
        return next_decisions(problem, predictions, impact, values)

    gain_units = "series"

    def priced_column(self, predictions: QuantityPredictions, key: str) -> np.ndarray:
        return predictions.panel.columns[key]

    def gains_by(self, problem: Problem, predictions: QuantityPredictions, impact: Impact, column: str) -> pd.DataFrame:
        """Each series' gain of Payoff's choice over the status quo, beside its value of `column`."""
        sign = impact.direction.sign
        auto, status_quo = impact.model(AUTO).per_series, impact.model(STATUS_QUO).per_series
        gains = np.array([sign * (auto[label] - status_quo[label]) for label in predictions.panel.labels()])
        return pd.DataFrame({"segment": series_values(problem, predictions, column), "gain": gains})


def _as_placed(problem: Problem, predictions: QuantityPredictions, values: Values) -> list[str]:
    """Said when the business's own orders are priced as placed while the settings constrain
    Payoff's: the delivery days, cases and order limits are what-ifs the history did not live by."""
    if predictions.status_quo_decisions is None:
        return []
    words = {"case_pack": "case size", "min_order": "minimum order", "max_order": "most", "order_days": "delivery days"}
    set_here = [
        words[param.key]
        for param in problem.framing.params
        if param.key in words and values.get(param.key) not in (None, param.default)
    ]
    if not set_here:
        return []
    return [
        f"Today's orders are priced as you placed them ({problem.status_quo.label}), on the days you placed them: "
        f"the {' and '.join(set_here)} you set {'applies' if len(set_here) == 1 else 'apply'} to Payoff's orders only."
    ]


BROKEN_TIMES = 3.0  # a model whose error is this many times the others' typical error is not to be trusted
LEARNS_THE_ORDER = {
    spec.name for spec in MODELS if spec.kind == DecisionKind.QUANTITY and quantity_spec(spec.name).learns_decision
}


def accuracy_outliers(entries: list[Entry]) -> list[str]:
    """Fitted models whose backtest error is several times the other models' typical error: listed
    with their numbers, so a broken model is never priced without a word. The models that only
    repeat the data (naive ...) can be weak but cannot break, so they are compared, not flagged."""
    errors = {e.name: e.accuracy["mae"] for e in entries if e.kind == "model" and "mae" in e.accuracy}
    out = []
    for name, mae in errors.items():
        # a model that forecasts the order itself (a high quantile) misses the middle by design
        if name in REPEATERS or name in LEARNS_THE_ORDER:
            continue
        others = [v for other, v in errors.items() if other != name and np.isfinite(v)]
        typical = float(np.median(others)) if others else float("nan")
        if others and typical > 0 and mae > BROKEN_TIMES * typical:
            out.append(
                f"{business_name(name)}'s forecasts missed by {mae / typical:.1f} times the other models' typical "
                f"miss ({mae:,.1f} against {typical:,.1f} on average): something in the data breaks it, so do not "
                "trust its money."
            )
    return out


def _entry(priced: Priced, predictions: QuantityPredictions, framing: QuantityFraming) -> Entry:
    scored = predictions.scored
    labels = predictions.panel.labels()
    total = priced.total[:, scored]
    extras: dict[str, float] = {}
    if priced.lost is not None and priced.served is not None and priced.stock is not None:
        demand = priced.served[:, scored].sum() + priced.lost[:, scored].sum()
        extras = {
            "fill_rate": float(priced.served[:, scored].sum() / demand) if demand else 1.0,
            "stockout_units": float(priced.lost[:, scored].sum()),
            "average_stock": float(priced.stock[:, scored].mean()),
        }
    names = {m.name for m in predictions.models}
    kind = priced.name if priced.name in (AUTO, STATUS_QUO, BLEND) else "model"
    forecasts = predictions.model(priced.name) if priced.name in names else None
    return Entry(
        name=priced.name,
        kind=kind,
        per_unit=total.sum(axis=0),
        components={k: float(v[:, scored].sum()) for k, v in priced.costs.items()},
        extras=extras,
        accuracy=predictions.accuracy(priced.name) if forecasts is not None and kind == "model" else {},
        failures=forecasts.failures if forecasts is not None else (),
        per_series=dict(zip(labels, total.sum(axis=1).tolist(), strict=True)),
        decisions=priced.decisions[:, scored],
    )


def _period_text(actual: np.ndarray, frequency: Frequency, dates: pd.DatetimeIndex) -> str:
    """'the last 672 hours (...)', and how many of them were open where many were shut (a gym's
    nights): the money is the open hours', and 672 alone reads as round the clock."""
    periods = actual.shape[1]
    said = f"the last {periods} {frequency.plural} ({frequency.span(dates.min(), dates.max())})"
    open_periods = int((~np.isnan(actual)).any(axis=0).sum())
    if open_periods < 0.9 * periods:
        said += f", {open_periods} of them open"
    return said
