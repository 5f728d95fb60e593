"""What if our cost guesses are wrong? Every business assumption is moved over a range (by
default -50% to +100% of its value, 9 points) and the gains are recomputed from the kept
predictions, for Payoff's choice and for each model: no refit, so every point equals a full
re-run at that value. For each assumption, the break-even value where the recommendation stops
beating the status quo ("pays off as long as a missed sale costs more than 1.80")."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from payoff import formatting
from payoff.analysis import Analysis, recost
from payoff.engines import engine_for
from payoff.errors import PayoffError
from payoff.framings.base import FromColumn, Param
from payoff.models.catalogue import AUTO, STATUS_QUO
from payoff.runtime.budget import room_for_two
from payoff.runtime.side_by_side import in_turn, side_by_side

SPAN = (-0.5, 1.0)
POINTS = 9
BISECTIONS = 30


@dataclass(frozen=True)
class Sweep:
    param: str
    label: str
    base: float  # the run's value, or 1.0 when the values multiply a column
    column: str | None  # the parameter comes from this column; the values scale it
    values: tuple[float, ...]
    gains: dict[str, tuple[float, ...]]  # entry -> gain against the status quo at each value
    break_even: float | None  # where Payoff's choice stops (or starts) beating the status quo
    pays_above: bool | None  # True: it pays above the break-even; False: below it
    unpriced: tuple[tuple[float, str], ...] = ()  # points that cannot be priced, with why: shown, not dropped

    @property
    def priced(self) -> tuple[tuple[float, float], ...]:
        """(value, Payoff's choice's gain) at the points that could be priced."""
        return tuple((x, g) for x, g in zip(self.values, self.gains[AUTO], strict=True) if np.isfinite(g))

    @property
    def sentence(self) -> str:
        return self._sentence() + self._unpriced_note()

    def _unpriced_note(self) -> str:
        if not self.unpriced:
            return ""
        shown = ", ".join(_number(x, self.column) for x, _ in self.unpriced)
        return f" Not priced at {shown}: {self.unpriced[0][1][0].lower()}{self.unpriced[0][1][1:]}"

    def _sentence(self) -> str:
        what = f"the values of '{self.column}'" if self.column else self.label.lower()
        priced = self.priced
        if not priced:
            return f"No point of the range of {what} could be priced."
        low, high = _number(priced[0][0], self.column), _number(priced[-1][0], self.column)
        gains = [g for _, g in priced]
        if self.break_even is None:
            if min(gains) > 0:
                return f"Pays off over the whole range of {what} ({low} to {high})."
            if max(gains) > 0:  # it crosses where the costs could not be priced
                return (
                    f"Pays off at some of the values of {what} ({low} to {high}) and not at others; where it "
                    "changes could not be priced."
                )
            return f"Does not pay off anywhere in the range of {what} ({low} to {high})."
        side = "more than" if self.pays_above else "less than"
        now = _number(self.base, self.column)
        return f"Pays off as long as {what} {'are' if self.column else 'is'} {side} {_number(self.break_even, self.column)} (now {now})."

    def as_rows(self) -> list[dict[str, Any]]:
        """The JSON rows: one per entry, as in DESIGN.md."""
        rows = []
        for name, gains in self.gains.items():
            break_even = self.break_even if name == AUTO else _crossing(*_finite(self.values, gains), self.base)
            rows.append(
                {
                    "param": self.param,
                    "model": name,
                    "values": list(self.values),
                    "gain": list(gains),
                    "break_even": break_even,
                    **({"column": self.column, "values_scale_the_column": True} if self.column else {}),
                    **({"sentence": self.sentence} if name == AUTO else {}),
                    **(
                        {"unpriced": [{"value": x, "reason": why} for x, why in self.unpriced]}
                        if self.unpriced and name == AUTO
                        else {}
                    ),
                }
            )
        return rows


def _number(value: float, column: str | None) -> str:
    return f"{value:.2f}x" if column else formatting.number(value)


def typical(analysis: Analysis, key: str) -> float:
    """A parameter's typical value: the constant, or the median of the column that prices it."""
    value = analysis.values[key]
    if not isinstance(value, FromColumn):
        return float(value)  # type: ignore[arg-type]
    raw = engine_for(analysis.kind).priced_column(analysis.predictions, key)
    known = raw[np.isfinite(raw)]
    return float(np.median(known)) * value.scale if known.size else value.fill


def sweep_values(analysis: Analysis, param: Param, span: tuple[float, float], points: int) -> tuple[float, ...]:
    """The values a parameter is swept over: its value x (1 + span), or a column's multiplier;
    a parameter at 0 runs from 0 up to the parameter it is measured against (salvage up to the
    unit cost). Always includes the run's own value, clipped to the parameter's allowed range."""
    value = analysis.values[param.key]
    steps = 1 + np.linspace(span[0], span[1], points)
    if isinstance(value, FromColumn):
        grid = np.r_[value.scale * steps, value.scale]
        return tuple(float(v) for v in np.unique(np.round(np.maximum(grid, 0.0), 12)))
    base = float(value)  # type: ignore[arg-type]
    if base == 0:
        if param.sweep_from is None:
            return ()
        reference = typical(analysis, param.sweep_from)
        grid = np.linspace(0.0, reference, points)
    else:
        grid = np.r_[base * steps, base]
    low = param.minimum if param.minimum is not None else -np.inf
    high = param.maximum if param.maximum is not None else np.inf
    grid = np.clip(grid, low, high)
    return tuple(float(v) for v in np.unique(np.round(grid, 12)))


def _with(analysis: Analysis, key: str, x: float) -> dict[str, Any]:
    value = analysis.values[key]
    return {key: FromColumn(value.column, value.fill, x) if isinstance(value, FromColumn) else x}


# Called before every re-pricing of a sweep, when set. The app sets it to draw a line of progress:
# each such call is where Streamlit can stop a sweep that a newer cost change has made stale, so the
# new headline shows at once instead of after the old sweep's last point.
CHECKPOINT: ContextVar[Callable[[], None] | None] = ContextVar("sensitivity_checkpoint", default=None)


def _gains(analysis: Analysis, key: str, x: float) -> dict[str, float]:
    checkpoint = CHECKPOINT.get()
    if checkpoint is not None:
        checkpoint()
    impact = recost(analysis, _with(analysis, key, x), uncertainty=False)
    return {m.name: float(m.gain) for m in impact.models if m.gain is not None and m.name != STATUS_QUO}


def _crossing(values: tuple[float, ...], gains: tuple[float, ...], base: float) -> float | None:
    """Where a gain crosses zero nearest the base value, by linear interpolation on the grid."""
    bracket = _bracket(values, gains, base)
    if bracket is None:
        return None
    (x0, g0), (x1, g1) = bracket
    return float(x0 + (x1 - x0) * g0 / (g0 - g1)) if g0 != g1 else float(x0)


def _bracket(
    values: tuple[float, ...], gains: tuple[float, ...], base: float
) -> tuple[tuple[float, float], ...] | None:
    """The pair of neighbouring grid points nearest the base between which the gain changes sign."""
    pairs = [
        ((values[i], gains[i]), (values[i + 1], gains[i + 1]))
        for i in range(len(values) - 1)
        if (gains[i] > 0) != (gains[i + 1] > 0)
    ]
    if not pairs:
        return None
    return min(pairs, key=lambda p: min(abs(p[0][0] - base), abs(p[1][0] - base)))


def sweep(analysis: Analysis, param: Param, span: tuple[float, float] = SPAN, points: int = POINTS) -> Sweep | None:
    return sweeps(analysis, [param], span, points)[0]


def sweeps(
    analysis: Analysis, params: list[Param], span: tuple[float, float] = SPAN, points: int = POINTS
) -> list[Sweep | None]:
    """Each parameter's sweep (None when it has fewer than two values). Every point is a
    re-pricing, and so is every step of a break-even's bisection: both are shared with a forked
    copy of this process when a core is free and no page is waiting to interrupt them (the
    numbers are the same either way)."""
    grids = [sweep_values(analysis, param, span, points) for param in params]
    tasks = [(param.key, x) for param, values in zip(params, grids, strict=True) if len(values) >= 2 for x in values]
    together = CHECKPOINT.get() is None and _room_for_a_copy(analysis)

    def price(task: tuple[str, float]) -> dict[str, float] | str:
        try:
            return _gains(analysis, *task)
        except PayoffError as error:  # e.g. a price below the unit cost: said, not dropped
            return str(error)

    priced = dict(zip(tasks, side_by_side(tasks, price) if together else in_turn(tasks, price), strict=True))
    found = [
        _swept(analysis, param, values, [priced[(param.key, x)] for x in values]) if len(values) >= 2 else None
        for param, values in zip(params, grids, strict=True)
    ]
    bisected = [one for one in found if one is not None and AUTO in one.gains]

    def bisect(one: Sweep) -> Sweep:
        break_even, pays_above = _bisect(analysis, one.param, *_finite(one.values, one.gains[AUTO]), one.base)
        return replace(one, break_even=break_even, pays_above=pays_above)

    ended = {one.param: one for one in (side_by_side if together else in_turn)(bisected, bisect)}
    return [None if one is None else ended.get(one.param, one) for one in found]


def _room_for_a_copy(analysis: Analysis) -> bool:
    """A quantity's re-pricings hold arrays of every cell: shared only where the budget has room for
    two processes. A targeting one's are a few numbers per row."""
    panel = getattr(analysis.predictions, "panel", None)
    return panel is None or room_for_two(panel.n_series, panel.n_periods)


def _swept(analysis: Analysis, param: Param, values: tuple[float, ...], at: list[dict[str, float] | str]) -> Sweep:
    """A sweep from its priced points (a point that could not be priced holds why), before its
    break-even is found."""
    value = analysis.values[param.key]
    column = value.column if isinstance(value, FromColumn) else None
    base = value.scale if isinstance(value, FromColumn) else float(value)  # type: ignore[arg-type]
    unpriced = tuple((x, point) for x, point in zip(values, at, strict=True) if isinstance(point, str))
    names = next((list(point) for point in at if not isinstance(point, str)), None)
    nan = float("nan")
    if names is None:
        return Sweep(param.key, param.label, base, column, values, {AUTO: (nan,) * len(values)}, None, None, unpriced)
    gains = {name: tuple(nan if isinstance(point, str) else point.get(name, nan) for point in at) for name in names}
    return Sweep(param.key, param.label, base, column, values, gains, None, None, unpriced)


def _finite(values: tuple[float, ...], gains: tuple[float, ...]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The points of a sweep that could be priced."""
    kept = [(x, g) for x, g in zip(values, gains, strict=True) if np.isfinite(g)]
    return tuple(x for x, _ in kept), tuple(g for _, g in kept)


def _bisect(
    analysis: Analysis, key: str, values: tuple[float, ...], gains: tuple[float, ...], base: float
) -> tuple[float | None, bool | None]:
    """Payoff's choice's break-even, refined by bisection on re-priced gains (each a recost)."""
    bracket = _bracket(values, gains, base)
    if bracket is None:
        return None, None
    (x0, g0), (x1, _) = bracket
    pays_above = not g0 > 0  # the gain is positive on the upper side of the crossing
    for _ in range(BISECTIONS):
        middle = (x0 + x1) / 2
        if abs(x1 - x0) <= 1e-6 * max(1.0, abs(middle)):
            break
        try:
            above = _gains(analysis, key, middle)[AUTO] > 0
        except PayoffError:  # the bracket spans values that cannot be priced: no break-even to state
            return None, None
        if above == (g0 > 0):
            x0 = middle
        else:
            x1 = middle
    return float((x0 + x1) / 2), pays_above


def sensitivity(
    analysis: Analysis, span: tuple[float, float] = SPAN, points: int = POINTS, keys: list[str] | None = None
) -> tuple[Sweep, ...]:
    """A sweep for every business assumption of the framing (money, shares, rates). Kept with the
    analysis's predictions for its parameters: the summary, the Impact page and the report ask for
    the same sweeps, and a fresh-stock sweep is over a hundred re-pricings (17 s on the café sample)."""
    key = _sweep_key(analysis, span, points, keys)
    kept = _kept(analysis)
    if key not in kept:
        chosen = [p for p in analysis.problem.framing.params if p.is_swept and (keys is None or p.key in keys)]
        if analysis.problem.money_target:  # a dollar of sales sells for a dollar: only what it costs is swept
            chosen = [_as_margin_cost(p) for p in chosen if p.key != "price"]
        kept[key] = tuple(s for s in sweeps(analysis, chosen, span, points) if s is not None)
    return kept[key]


def _as_margin_cost(param: Param) -> Param:
    """A money target's unit cost, in the words its margin was asked in."""
    if param.key != "unit_cost":
        return param
    return replace(param, label="Cost of one unit of sales (1 - the gross margin)", unit="", maximum=1.0)


def remember(
    analysis: Analysis, sweeps: tuple[Sweep, ...], span: tuple[float, float] = SPAN, points: int = POINTS
) -> None:
    """Keep sweeps worked out elsewhere (in the fit's process, for its summary) with `analysis`,
    which has the same predictions and parameters, so that asking for them again is instant."""
    _kept(analysis)[_sweep_key(analysis, span, points, None)] = sweeps


def _kept(analysis: Analysis) -> dict[tuple[Any, ...], tuple[Sweep, ...]]:
    kept: dict[tuple[Any, ...], tuple[Sweep, ...]] = analysis.predictions.__dict__.setdefault("_sweeps", {})
    if len(kept) > 8:  # a few what-ifs' worth: older ones are worked out again if asked
        kept.pop(next(iter(kept)))
    return kept


def _sweep_key(analysis: Analysis, span: tuple[float, float], points: int, keys: list[str] | None) -> tuple[Any, ...]:
    values = tuple(sorted((key, repr(value)) for key, value in analysis.values.items()))
    return (values, analysis.problem.framing.key, tuple(span), int(points), None if keys is None else tuple(keys))


def tornado(sweeps: tuple[Sweep, ...]) -> list[tuple[str, float, float]]:
    """(assumption, lowest gain, highest gain) of Payoff's choice, widest swing first."""
    bars = [(s.label, min(g for _, g in s.priced), max(g for _, g in s.priced)) for s in sweeps if s.priced]
    return sorted(bars, key=lambda bar: bar[2] - bar[1], reverse=True)
