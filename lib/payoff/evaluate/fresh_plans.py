"""Fresh stock kept over between deliveries: how far above its costs' own ratio each model
orders (a "shift"), chosen walking forward as auto chooses models, and plans priced in one
stacked run."""

from __future__ import annotations

from typing import Any

import numpy as np

from payoff.evaluate import policies
from payoff.evaluate.offsets import offsets
from payoff.evaluate.predictions import QuantityPredictions
from payoff.framings.policy import LEDGER, Against, Costed, Ledger, Plan, Policy, Stretch, UnitCosts

# Fresh stock carried from one delivery to the next costs less to over-order than a newsvendor's
# unit (it often sells next time) and more where it expires first: how far above its costs' own
# ratio each model orders is chosen walking forward, as auto chooses models: for each test window
# on the windows before it, among these shares of the way to 1.
SHIFTS = (0.0, 0.25, 0.5, 0.75, 0.9)


def shifted(ratio: np.ndarray, shift: float, shape: tuple[int, ...]) -> np.ndarray:
    moved: np.ndarray = np.broadcast_to(ratio + shift * (1.0 - ratio), shape)
    return moved


def _stacked(values: Any, times: int, rows: int) -> Any:
    """A per-row array repeated for `times` copies of the rows stacked on each other; a number
    as it is."""
    if isinstance(values, np.ndarray) and values.ndim >= 1 and values.shape[0] == rows:
        return np.concatenate([values] * times, axis=0)
    return values


def _stack_against(against: Against, times: int) -> Against:
    """What `times` plans for the same series are priced against, stacked as if more series."""
    rows = against.demand.shape[0]

    def stack(values: np.ndarray) -> np.ndarray:
        return np.concatenate([values] * times, axis=0)

    return Against(
        stack(against.demand),
        stack(against.seen),
        {key: _stacked(value, times, rows) for key, value in against.params.items()},
        UnitCosts(
            _stacked(np.asarray(against.costs.under), times, rows),
            _stacked(np.asarray(against.costs.over), times, rows),
            against.costs.least_ratio,
        ),
        tuple(Stretch(st.cells, stack(st.recent_demand)) for st in against.stretches),
        against.weekdays,
        against.windows,
    )


def price_stacked(policy: Policy, plans: list[Plan], against: Against) -> list[Costed]:
    """Plans of the rule's own (no business's orders) priced in one run, stacked as if they were
    more series: a rule that simulates runs its period loop once, not once a plan."""
    if len(plans) <= 1:
        return [policy.price(plan, against) for plan in plans]
    rows = against.demand.shape[0]
    stacked = Plan(
        np.concatenate([p.quantity for p in plans], axis=0),
        whole_units=plans[0].whole_units,
        forecast=np.concatenate([p.quantity if p.forecast is None else p.forecast for p in plans], axis=0),
    )
    costed = policy.price(stacked, _stack_against(against, len(plans)))

    def part(values: np.ndarray | None, k: int) -> np.ndarray | None:
        return None if values is None else values[k * rows : (k + 1) * rows]

    out = []
    for k in range(len(plans)):
        ledger = costed.ledger
        own = (
            None
            if ledger is None
            else Ledger(**{name: getattr(ledger, name)[k * rows : (k + 1) * rows] for name in LEDGER})
        )
        out.append(
            Costed(
                costed.decisions[k * rows : (k + 1) * rows],
                {name: values[k * rows : (k + 1) * rows] for name, values in costed.costs.items()},
                part(costed.served, k),
                part(costed.lost, k),
                part(costed.stock, k),
                own,
            )
        )
    return out


def _fresh_tries(
    policy: Policy, names: list[str], predictions: QuantityPredictions, against: Against
) -> tuple[dict[str, list[Plan]], dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Each model's plan at each shift, and per model, shift and window its cost and periods
    short, with the periods seen per window (the service level's denominators). Every model's
    every shift is simulated in one stacked run."""
    whole_units = predictions.panel.whole_units
    counts = whole_units and policy.counts_demand
    windows = [predictions.window_of == k for k in range(predictions.windows)]
    plans: dict[str, list[Plan]] = {}
    for name in names:
        forecast = predictions.model(name).forecast
        plans[name] = []
        for shift in SHIFTS:
            tau = shifted(against.costs.cost_ratio, shift, predictions.actual.shape)
            quantity = policies.quantile_decision(forecast, offsets(predictions, name, tau, counts, relative=True))
            plans[name].append(Plan(quantity, whole_units=whole_units, forecast=forecast))
    priced = iter(price_stacked(policy, [plan for name in names for plan in plans[name]], against))
    results = {}
    for name in names:
        costs, shorts = [], []
        for _ in SHIFTS:
            costed = next(priced)
            lost = (costed.lost if costed.lost is not None else np.zeros(against.demand.shape)) > 1e-9
            costs.append([float(costed.total[:, cells].sum()) for cells in windows])
            shorts.append([int((lost & against.seen)[:, cells].sum()) for cells in windows])
        results[name] = (np.array(costs), np.array(shorts))
    seen = np.array([int(against.seen[:, cells].sum()) for cells in windows])
    return plans, results, seen


def _pick(costs: np.ndarray, shorts: np.ndarray, seen: np.ndarray, allowed: float | None) -> int:
    """The cheapest shift over these windows, or, with a service level, the cheapest that ran
    short in at most the share allowed (the one short least when none did)."""
    cost, short = costs.sum(axis=1), shorts.sum(axis=1) / max(int(seen.sum()), 1)
    if allowed is None:
        return int(np.argmin(np.round(cost, 9)))
    meeting = short <= allowed + 1e-12
    if not meeting.any():
        return int(np.argmin(short))
    return int(np.argmin(np.where(meeting, np.round(cost, 9), np.inf)))


def fresh_picks(
    policy: Policy, names: list[str], predictions: QuantityPredictions, against: Against
) -> dict[str, tuple[Plan, int]]:
    """Each model's fresh-stock plan with each window ordered at the shift that did best on the
    windows before it (the calibration window takes the first test's), and the shift that did
    best over every window: what the next orders use."""
    plans, results, seen = _fresh_tries(policy, names, predictions, against)
    allowed = 1.0 - against.costs.least_ratio if against.costs.least_ratio > 0 else None
    out = {}
    for name in names:
        costs, shorts = results[name]
        picks = [_pick(costs[:, :k], shorts[:, :k], seen[:k], allowed) for k in range(1, predictions.windows)]
        picks = [picks[0], *picks] if picks else [0]
        quantity = np.zeros(against.demand.shape)
        for k, pick in enumerate(picks):
            cells = predictions.window_of == k
            quantity[:, cells] = plans[name][pick].quantity[:, cells]
        first = plans[name][0]
        out[name] = (
            Plan(quantity, whole_units=first.whole_units, forecast=first.forecast),
            _pick(costs, shorts, seen, allowed),
        )
    return out
