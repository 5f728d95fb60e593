"""Price every quantity decision over the backtest with the framing's decision rule
(payoff.framings.rules), and Payoff's own choice (`auto`). Runs on kept forecasts only, so it is
what every cost control and every sensitivity point calls.

Every window is priced, the calibration window included: its cost is never reported, but it is
the first of the "earlier windows" on which `auto` chooses a model for each test."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from payoff.evaluate import blend, policies
from payoff.evaluate.backtest import DIVERGED, window_labels
from payoff.evaluate.fresh_plans import SHIFTS, fresh_picks, price_stacked
from payoff.evaluate.offsets import offsets
from payoff.evaluate.predictions import Forecasts, QuantityPredictions
from payoff.framings.base import FromColumn, ParamValue, QuantityFraming, param_arrays
from payoff.framings.lead import safety_stock
from payoff.framings.policy import Against, Costed, Cover, Ledger, Plan, Policy, Stretch, UnitCosts, summed
from payoff.models.catalogue import AUTO, BLEND, STATUS_QUO
from payoff.models.forecasters import nanmean
from payoff.models.panel import Panel


@dataclass(frozen=True, eq=False)
class Priced:
    """One entry's decisions and per-cell costs over every window (calibration first)."""

    name: str
    decisions: np.ndarray  # series x cells
    costs: dict[str, np.ndarray]  # component -> series x cells
    served: np.ndarray | None = None  # inventory: units served per cell
    lost: np.ndarray | None = None
    stock: np.ndarray | None = None
    ledger: Ledger | None = None  # a rule that simulates fresh stock: every unit, per series and cell

    @property
    def total(self) -> np.ndarray:
        return summed(self.costs)


def costs_for(
    framing: QuantityFraming, values: Mapping[str, ParamValue | FromColumn], columns: Mapping[str, np.ndarray]
) -> tuple[dict[str, object], UnitCosts]:
    """The parameters as numbers or per-cell arrays, and the unit costs they give. `columns` holds
    the price columns' values for the cells being priced."""
    arrays = param_arrays(values, columns)
    return arrays, framing.unit_costs(arrays)


def critical_ratio(framing: QuantityFraming, values: Mapping[str, ParamValue | FromColumn], panel: Panel) -> float:
    """The share of demand to cover at these costs, averaged over the panel's cells where a price
    column sets it: what a model that learns the decision is fitted at."""
    columns = {k: v for k, v in panel.columns.items() if k != "decision"}
    _, costs = costs_for(framing, values, columns)
    ratio = np.asarray(costs.critical_ratio, dtype="float64")
    known = ratio[np.isfinite(ratio)]
    return float(np.clip(known.mean(), 0.01, 0.99)) if known.size else 0.5


def cell_columns(predictions: QuantityPredictions) -> dict[str, np.ndarray]:
    return {k: v[:, predictions.periods] for k, v in predictions.panel.columns.items() if k != "decision"}


def cell_weekdays(predictions: QuantityPredictions) -> np.ndarray | None:
    """Each priced cell's day of the week (Monday 0) on a daily file; None otherwise."""
    panel = predictions.panel
    if panel.frequency.unit != "day":
        return None
    weekdays: np.ndarray = pd.DatetimeIndex(panel.dates[predictions.periods]).day_of_week.to_numpy()
    return weekdays


def _tau(costs: UnitCosts, shape: tuple[int, int]) -> np.ndarray:
    return np.broadcast_to(costs.critical_ratio, shape)


def _levels(
    predictions: QuantityPredictions, entry: Forecasts, tau: np.ndarray, cover: Cover, safety: bool
) -> np.ndarray:
    """Order-up-to level per cell: forecast demand over lead time + review period (only the
    forecasts made at the same origin: a decision never uses a later origin's forecast), plus
    safety stock from the model's residual quantile (a sum of `periods` residuals approximated
    as periods*mean + sqrt(periods)*(quantile - mean)), and a late delivery's where the lead time
    varies (payoff.framings.lead.safety_stock). A status-quo rule gets no safety stock."""
    periods = cover.periods
    h = predictions.horizon
    forecast = entry.forecast.reshape(entry.forecast.shape[0], predictions.windows, h)
    cumulative = np.concatenate([np.zeros((*forecast.shape[:2], 1)), np.cumsum(forecast, axis=2)], axis=2)
    start = np.arange(h) + 1
    stop = np.minimum(start + periods, h)
    width = np.maximum(stop - start, 1)
    ahead = np.where(stop > start, (cumulative[:, :, stop] - cumulative[:, :, start]) / width, forecast[:, :, -1:])
    level = (ahead * periods).reshape(entry.forecast.shape)
    if not safety:
        return level
    quantile = offsets(predictions, entry.name, tau)
    means = predictions.residual_means(entry.name)
    mean = np.stack([means[k] for k in predictions.window_of], axis=1)
    rate = ahead.reshape(entry.forecast.shape)
    extra = safety_stock(np.sqrt(periods) * (quantile - mean), rate, tau, cover.lead_spread)
    order_up_to: np.ndarray = np.maximum(level + periods * mean + extra, 0.0)
    return order_up_to


def _stretches(predictions: QuantityPredictions) -> tuple[Stretch, ...]:
    """The calibration window alone, then the tests as one stretch: a rule that carries stock
    starts each from the same shelf for every plan, sized on the demand just before it."""
    panel = predictions.panel
    out = []
    for cells, origin in (
        (predictions.window_of == 0, predictions.starts[0]),
        (predictions.scored, predictions.starts[1]),
    ):
        recent = panel.y[:, max(0, origin - 4 * panel.season) : origin]
        out.append(Stretch(cells, np.nan_to_num(nanmean(recent, axis=1))))
    return tuple(out)


def priced_against(
    framing: QuantityFraming, values: Mapping[str, ParamValue | FromColumn], predictions: QuantityPredictions
) -> Against:
    """What every plan of the backtest is priced against, at these parameters."""
    params, costs = costs_for(framing, values, cell_columns(predictions))
    seen = ~np.isnan(predictions.actual)
    # only a rule that carries stock simulates stretches: the others skip their cost per what-if
    stretches = _stretches(predictions) if framing.policy.carries_stock(params) else ()
    demand = np.where(seen, predictions.actual, 0.0)
    return Against(demand, seen, params, costs, stretches, cell_weekdays(predictions), predictions.window_of)


def fresh_shift(
    framing: QuantityFraming, values: Mapping[str, ParamValue | FromColumn], predictions: QuantityPredictions, name: str
) -> float | None:
    """The shift `name` orders fresh stock at now, as the backtest chose it over every window
    (None for another rule)."""
    against = priced_against(framing, values, predictions)
    policy = framing.policy
    if not policy.carries_stock(against.params) or policy.cover(against.params) is not None:
        return None
    return SHIFTS[fresh_picks(policy, [name], predictions, against)[name][1]]


def price_entries(
    framing: QuantityFraming,
    values: Mapping[str, ParamValue | FromColumn],
    predictions: QuantityPredictions,
    only: str | None = None,
) -> tuple[list[Priced], Priced, np.ndarray, UnitCosts]:
    """Every entry priced (status quo first), then `auto`, and auto's pick per window. With
    `only`, that entry alone (and it stands for auto): what a table of one model's options needs;
    the blend is made of every model, so `only` the blend prices them all."""
    if only == BLEND:
        every, _, _, costs = price_entries(framing, values, predictions)
        alone = [entry for entry in every if entry.name == BLEND]
        return alone, alone[0], np.zeros(predictions.windows, dtype=int), costs
    against = priced_against(framing, values, predictions)
    sources: list[tuple[str, Forecasts | None]] = []
    if predictions.status_quo_decisions is not None:
        sources.append((STATUS_QUO, None))
    sources += [(entry.name, entry) for entry in predictions.models]
    sources = [(name, entry) for name, entry in sources if only is None or name == only]
    policy = framing.policy
    fresh = policy.carries_stock(against.params) and policy.cover(against.params) is None
    models = [name for name, entry in sources if entry is not None and name != STATUS_QUO]
    learned = fresh_picks(policy, models, predictions, against) if fresh else {}
    plans = {
        name: learned[name][0] if name in learned else _plan(policy, name, entry, predictions, against)
        for name, entry in sources
    }
    own = [name for name, plan in plans.items() if plan.given is None]  # priced together: one run
    costed = dict(zip(own, price_stacked(policy, [plans[name] for name in own], against), strict=True))
    entries = [
        _priced(name, costed[name]) if name in costed else _price(policy, name, plan, against)
        for name, plan in plans.items()
    ]
    if only is not None:
        return entries, entries[0], np.zeros(predictions.windows, dtype=int), against.costs
    mixed = _blended_plan(entries, plans, predictions)
    if mixed is not None:  # priced like a model, after them: it is made of their costs
        plans[BLEND] = mixed
        entries.append(_price(policy, BLEND, mixed, against))
    choices = choose_per_window(entries, predictions)
    auto = _auto(entries, choices, framing.policy, plans, against, predictions)
    return entries, auto, choices, against.costs


def _blended_plan(entries: list[Priced], plans: dict[str, Plan], predictions: QuantityPredictions) -> Plan | None:
    """The decisions of the blend of the leading models (payoff.evaluate.blend); None when fewer
    than blend.FEWEST models were fitted, or the predictions were saved before the blend."""
    models = [entry for entry in entries if entry.name != STATUS_QUO]
    if len(models) < blend.FEWEST or not predictions.blend:
        return None
    barred = diverged_windows(models, predictions)
    leaders = blend.leaders_per_window(window_costs(models, predictions), barred)
    return blend.blended_plan(
        [plans[m.name] for m in models], leaders, predictions.window_of, predictions.panel.whole_units
    )


def blend_leaders(entries: list[Priced], predictions: QuantityPredictions) -> tuple[str, ...]:
    """The models the blend mixes for the next periods: the cheapest over every window, of the
    priced entries (none when there is no blend)."""
    if BLEND not in {entry.name for entry in entries}:
        return ()
    models = [e for e in entries if e.name not in (STATUS_QUO, BLEND)]
    return tuple(models[i].name for i in blend.leaders_now(window_costs(models, predictions)))


def _plan(
    policy: Policy, name: str, entry: Forecasts | None, predictions: QuantityPredictions, against: Against
) -> Plan:
    """One entry's decisions to price: the business's own as they were, a rule's forecast, or a
    model's forecast raised to the rule's quantile (fresh stock: each window at the shift that
    did best before it)."""
    if entry is None:  # the business's own decisions, priced as they were
        decisions = np.nan_to_num(predictions.status_quo_decisions[:, predictions.periods])  # type: ignore[index]
        return Plan(np.zeros_like(against.demand), decisions)
    params, rounding = against.params, predictions.panel.whole_units
    cover = policy.cover(params)
    rule = name == STATUS_QUO
    tau = _tau(against.costs, predictions.actual.shape)
    if cover is not None:  # stock carries over: a level for demand over `cover` periods
        quantity = _levels(predictions, entry, tau, cover, not rule)
    elif rule:
        quantity = entry.forecast
    elif policy.carries_stock(params):  # fresh stock
        quantity = fresh_picks(policy, [name], predictions, against)[name][0].quantity
    else:
        counts = rounding and policy.counts_demand
        learned = offsets(predictions, name, tau, counts, relative=True)
        quantity = policies.quantile_decision(entry.forecast, learned)
    return Plan(quantity, whole_units=rounding, forecast=entry.forecast)


def _price(policy: Policy, name: str, plan: Plan, against: Against) -> Priced:
    return _priced(name, policy.price(plan, against))


def _priced(name: str, costed: Costed) -> Priced:
    return Priced(name, costed.decisions, costed.costs, costed.served, costed.lost, costed.stock, costed.ledger)


def window_costs(entries: list[Priced], predictions: QuantityPredictions) -> np.ndarray:
    """Cost of each entry in each window (entries x windows)."""
    totals = np.stack([entry.total.sum(axis=0) for entry in entries])
    return np.stack([totals[:, predictions.window_of == k].sum(axis=1) for k in range(predictions.windows)], axis=1)


def choose_per_window(entries: list[Priced], predictions: QuantityPredictions) -> np.ndarray:
    """Auto's pick at each test window k: the entry with the least cost over the windows before k
    (the calibration window counts), unless it beat the blend there by less than the noise
    (:func:`beats_the_blend`), when the blend decides window k. Ties go to the earlier entry, the
    status quo first: no change without a reason. The blend of the leaders is cheapest-picked
    from the second test on (at the calibration window it blends every model, not leaders), but
    it is the hedge from the first. Index into `entries`, one per window (window 0 repeats window
    1's)."""
    cost = window_costs(entries, predictions)
    earlier = np.cumsum(cost, axis=1) - cost  # cost before each window
    for i, k in diverged_windows(entries, predictions):
        earlier[i, k] = np.inf  # a model that diverged at a window is never chosen there
    blended = [i for i, entry in enumerate(entries) if entry.name == BLEND]
    for i in blended:  # no record of blending leaders before the second test
        earlier[i, :2] = np.inf
    picks = np.argmin(np.round(earlier, 9), axis=0)
    for k in range(1, len(picks)):
        if blended and not beats_the_blend(entries, int(picks[k]), blended[0], predictions.window_of < k):
            picks[k] = blended[0]
    picks[0] = picks[1] if len(picks) > 1 else picks[0]
    chosen: np.ndarray = picks
    return chosen


def choose_now(entries: list[Priced], predictions: QuantityPredictions) -> int:
    """The entry auto would take for the next periods: the cheapest over every window, under the
    same hedge as at each test (:func:`beats_the_blend`), so the next decisions, the headline's
    "now" and the explanations follow the rule the backtest priced."""
    totals = window_costs(entries, predictions).sum(axis=1)
    best = int(np.argmin(np.round(totals, 9)))
    blended = [i for i, entry in enumerate(entries) if entry.name == BLEND]
    every = np.ones(predictions.window_of.shape, dtype=bool)
    if blended and not beats_the_blend(entries, best, blended[0], every):
        return blended[0]
    return best


HEDGE_Z = 1.0  # standard errors: the one-standard-error rule of model selection
FEWEST_SERIES = 5  # fewer, and the differences between series say nothing of the noise


def beats_the_blend(entries: list[Priced], best: int, blended: int, before: np.ndarray) -> bool:
    """Whether the entry cheapest on the cells `before` a test beat the blend there by more than
    HEDGE_Z standard errors of the series' paired differences in cost.

    Why: with ten candidates and a window or two to choose on, the cheapest is often lucky (the
    winner's curse), and the blend, the median of the leaders' decisions, is the hedge. On
    Walmart's 45 stores the model cheapest on the calibration window alone (seasonal naive) cost
    16% more than the blend of every model at the first test; on a restaurant's ingredients the
    leaders of the last three tests beat the blend by 0.4 to 0.8 standard errors before, and cost
    1% to 11% more than it there. Where one model is
    clearly best (the benchmark workloads) it beats the blend by many standard errors and keeps
    every test (docs/benchmarks.md, tenth round). The status quo needs no such margin."""
    if entries[best].name in (STATUS_QUO, BLEND):
        return True
    gap = entries[blended].total[:, before].sum(axis=1) - entries[best].total[:, before].sum(axis=1)
    if gap.size < FEWEST_SERIES:
        return True
    noise = float(np.std(gap, ddof=1)) / np.sqrt(gap.size)
    return bool(gap.mean() > HEDGE_Z * noise)


def diverged_windows(entries: list[Priced], predictions: QuantityPredictions) -> list[tuple[int, int]]:
    """(entry, window) pairs where the entry's model diverged: its forecasts there were far beyond
    anything the series did before, which is known at the origin, without the truth."""
    labels = window_labels(predictions.panel, predictions.starts, predictions.horizon)
    names = {m.name: m for m in predictions.models}
    out = []
    for i, entry in enumerate(entries):
        forecasts = names.get(entry.name)
        if forecasts is None:
            continue
        windows = {f.window for f in forecasts.failures if f.reason.startswith(DIVERGED)}
        out += [(i, k) for k, label in enumerate(labels) if label in windows]
    return out


def _auto(
    entries: list[Priced],
    choices: np.ndarray,
    policy: Policy,
    plans: dict[str, Plan],
    against: Against,
    predictions: QuantityPredictions,
) -> Priced:
    """Each cell decided by the entry auto picked for its window, and the whole plan priced anew:
    where stock carries over, switching models is simulated, not stitched (a rule that prices
    each cell alone gives the chosen entries' own costs)."""
    pick = choices[predictions.window_of]  # the entry deciding each cell
    quantity = np.zeros_like(against.demand)
    forecast = np.zeros_like(against.demand)
    given = np.full(against.demand.shape, np.nan)
    for i, entry in enumerate(entries):
        cells = pick == i
        plan = plans[entry.name]
        quantity[:, cells] = plan.quantity[:, cells]
        forecast[:, cells] = (plan.quantity if plan.forecast is None else plan.forecast)[:, cells]
        if plan.given is not None:
            given[:, cells] = plan.given[:, cells]
    any_given = any(plan.given is not None for plan in plans.values())
    whole_units = predictions.panel.whole_units
    return _price(policy, AUTO, Plan(quantity, given if any_given else None, whole_units, forecast), against)
