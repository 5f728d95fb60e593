"""A framing is a business question: its parameters (with units, defaults and ranges), the money
of a decision, and what the business is assumed to do today when the file does not say.

Parameter keys are a contract shared by the UI, the CLI and the tests (DESIGN.md, "Framing
catalogue"). A money parameter may come from a column of the file (price and cost per item, the
value of each customer): :class:`FromColumn` records that, and which constant fills its blanks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

import numpy as np

from payoff.data.roles import Role, Shape
from payoff.decision_kinds import DecisionKind
from payoff.errors import BadParameter

# The unit costs and the parameters as arrays live with the decision rules, which price with them.
from payoff.framings.cells import BreakEven, Cells
from payoff.framings.fresh import weekday_mask
from payoff.framings.policy import Arrays, Policy, UnitCosts
from payoff.statusquo import QUANTITY_KINDS, TARGETING_KINDS, StatusQuo

Number = float | int
ParamValue = float | int | bool | None
# Where a parameter's value came from: typed by the user, read from a column of the file, or the
# default (Payoff's, or a built-in sample's documented value). The page, the JSON and the report say it.
TYPED, COLUMN, DEFAULT = "typed", "column", "default"
SWEPT_KINDS = ("money", "share", "rate")  # the business assumptions a sensitivity sweep moves
OPTIONAL_KINDS = ("optional_count", "optional_periods", "optional_share", "weekdays")  # may be left empty


@dataclass(frozen=True)
class FromColumn:
    """A parameter priced per row from a column; `fill` prices the rows where it is blank and
    `scale` multiplies every value (a what-if: "customer values 20% lower")."""

    column: str
    fill: float
    scale: float = 1.0


@dataclass(frozen=True)
class Param:
    key: str
    label: str
    default: ParamValue
    unit: str = ""
    help: str = ""
    kind: str = "money"  # money | share | rate | periods | count | bool | optional_count | optional_share | weekdays
    minimum: float | None = 0.0
    maximum: float | None = None
    column_role: str | None = None  # a column with this role may price it per row
    sweep_from: str | None = None  # when 0, a sensitivity sweep runs up to this parameter's value
    # A number only the user knows (a price, a cost, a customer's value): on their own file it is
    # asked, never silently assumed; the default serves the samples and --assume-defaults.
    ask: bool = False
    # An optional number ordered against another parameter ("Lead time from" at most the most
    # likely lead time, "Lead time to" at least it): the other's key, and where a newly set one starts.
    at_most: str | None = None
    at_least: str | None = None

    def labelled(self, period: str | None = None) -> str:
        """The label with its unit, in the file's own periods where known: 'Cost of one person (per
        hour)' on an hourly file, where 'per period' let a clinic type a half hour's pay for the
        hours Payoff works in."""
        unit = self.unit
        if period is not None:
            unit = unit.replace("periods", period + "s").replace("period", period)
        return self.label + (f" ({unit})" if unit else "")

    @property
    def optional(self) -> bool:
        """Empty means something (no limit, no service target, a delivery every period)."""
        return self.kind in OPTIONAL_KINDS

    @property
    def is_swept(self) -> bool:
        """A business assumption a sensitivity sweep moves (money, a share, a rate)."""
        return self.kind in SWEPT_KINDS

    def coerce(self, raw: Any) -> ParamValue:
        """Turn user input (text from the CLI, a widget value) into this parameter's type."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"true", "yes", "1", "on"}:
                return True
            if text in {"false", "no", "0", "off"}:
                return False
            raise BadParameter(f"'{self.key}' must be true or false, not {raw!r}.")
        if self.kind == "weekdays":
            try:
                return weekday_mask(raw)
            except ValueError as error:
                raise BadParameter(f"'{self.key}' must be days of the week such as Mon, Thu: {error}.") from error
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"", "none"}):
            if self.optional:
                return None
            raise BadParameter(f"'{self.key}' needs a value ({self.help or self.label}).")
        try:
            value = float(str(raw).replace(",", "")) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError) as error:
            raise BadParameter(f"'{self.key}' must be a number ({self.unit or self.label}), not {raw!r}.") from error
        if not np.isfinite(value):
            raise BadParameter(f"'{self.key}' must be a finite number, not {raw!r}.")
        shown = _as_percent if "share" in self.kind else _as_number
        if self.minimum is not None and value < self.minimum:
            raise BadParameter(f"'{self.key}' must be at least {shown(self.minimum)}, not {shown(value)}.")
        if self.maximum is not None and value > self.maximum:
            raise BadParameter(f"'{self.key}' must be at most {shown(self.maximum)}, not {shown(value)}.")
        if self.kind in {"periods", "count", "optional_count", "optional_periods"}:
            if value != int(value):
                raise BadParameter(f"'{self.key}' must be a whole number, not {value:g}.")
            return int(value)
        return value


def _as_percent(value: float) -> str:
    return f"{value:.1%}".replace(".0%", "%")


def _as_number(value: float) -> str:
    return f"{value:g}"


Values = Mapping[str, "ParamValue | FromColumn"]


class Direction(StrEnum):
    """Which way the money runs: a cost, where lower is better (orders, staff), or a value, where
    higher is better (customers kept, loans repaid). The one place its sign is decided."""

    COST = "cost"
    VALUE = "value"

    @property
    def sign(self) -> float:
        """What turns "this entry's money minus the status quo's" into a gain (positive: better)."""
        return -1.0 if self is Direction.COST else 1.0


@dataclass(frozen=True, kw_only=True)
class Framing:
    key: str
    title: str
    question: str
    params: tuple[Param, ...]
    default_status_quo: StatusQuo
    direction: Direction = Direction.COST
    act_label: str = "act"

    kind: ClassVar[DecisionKind]
    target_words: ClassVar[str]  # what the target is, in a "mark ... as the target" message
    status_quo_kinds: ClassVar[tuple[type, ...]]  # the status quo forms this kind can price
    status_quo_texts: ClassVar[tuple[str, ...]]  # the rules offered by name (a column comes on top)
    entity_role: ClassVar[Role]  # what a column naming one row's entity is: a series key, an id
    over_time: ClassVar[bool]  # decided per period from a history (a backtest), not per entity
    numeric_decisions: ClassVar[bool]  # today's decisions, in a column, are numbers (quantities)

    def shape_for(self, shape: Shape) -> Shape:
        """The shape the file is read in for this kind of decision, from the shape it looks like."""
        raise NotImplementedError

    @property
    def next_step(self) -> str:
        """What the answer leads to, after "Next: " (the orders to place, whom to contact)."""
        raise NotImplementedError

    def driver(self, component: str, amount: str) -> str:
        """The money component that moved most in the choice's favour, by `amount`, in words."""
        what = "lower" if self.direction is Direction.COST else "better"
        return f"mostly {component} ({amount} {what})"

    def param(self, key: str) -> Param:
        for param in self.params:
            if param.key == key:
                return param
        known = ", ".join(p.key for p in self.params)
        raise BadParameter(f"Framing '{self.key}' has no parameter '{key}'. Its parameters: {known}.")

    def order_problems(self, values: Mapping[str, Any]) -> list[str]:
        """Parameters set out of order with the one they are ranged against, in words."""
        out = []
        for param in self.params:
            value = values.get(param.key)
            for other, worse, words in (
                (param.at_most, float.__gt__, "above"),
                (param.at_least, float.__lt__, "below"),
            ):
                bound = values.get(other) if other else None
                if (
                    isinstance(value, int | float)
                    and isinstance(bound, int | float)
                    and worse(float(value), float(bound))
                ):
                    label = self.param(str(other)).label.lower()
                    out.append(f"{param.label} ({value:g}) cannot be {words} the {label} ({bound:g}).")
        return out

    def defaults(self) -> dict[str, ParamValue]:
        return {p.key: p.default for p in self.params}

    def resolve(self, given: Mapping[str, Any]) -> dict[str, ParamValue | FromColumn]:
        """Defaults overlaid with the given values, each checked and converted. A
        :class:`FromColumn` passes through with its fill checked."""
        values: dict[str, ParamValue | FromColumn] = dict(self.defaults())
        for key, raw in given.items():
            param = self.param(key)
            if isinstance(raw, FromColumn):
                if param.column_role is None:
                    raise BadParameter(f"'{key}' is one number for all rows; it cannot come from a column.")
                fill = param.coerce(raw.fill)
                values[key] = FromColumn(raw.column, float(fill or 0.0), float(raw.scale))
            else:
                values[key] = param.coerce(raw)
        for param in self.params:
            if values[param.key] is None and not param.optional:
                raise BadParameter(f"'{param.key}' needs a value: {param.help}")
        problems = self.order_problems(values)
        if problems:
            raise BadParameter(problems[0])
        return values


def param_arrays(values: Mapping[str, ParamValue | FromColumn], columns: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """Parameters as the money formulas take them: a number, or per-row values from a column
    (blanks filled with the constant, scaled by the what-if multiplier). `columns` holds each
    column-priced parameter's raw values for the rows being priced."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, FromColumn):
            raw = np.asarray(columns[key], dtype="float64")
            out[key] = np.where(np.isfinite(raw), raw, value.fill) * value.scale
        else:
            out[key] = value
    return out


@dataclass(frozen=True, kw_only=True)
class QuantityFraming(Framing):
    """How much to stock, order or schedule. `policy` is the decision rule that turns a demand
    quantile into a decision and prices it (payoff.framings.rules: newsvendor, order-up-to,
    staffing); it also turns the framing's parameters into the two unit costs."""

    policy: Policy

    kind: ClassVar[DecisionKind] = DecisionKind.QUANTITY
    target_words: ClassVar[str] = "the quantity to forecast (units sold, calls)"
    status_quo_kinds: ClassVar[tuple[type, ...]] = QUANTITY_KINDS
    status_quo_texts: ClassVar[tuple[str, ...]] = ("last", "seasonal", "seasonal-average", "moving-average")
    entity_role: ClassVar[Role] = Role.SERIES_KEY
    over_time: ClassVar[bool] = True
    numeric_decisions: ClassVar[bool] = True

    def shape_for(self, shape: Shape) -> Shape:
        # a table of one row per thing, read for a quantity, is a (one-row) time series
        return Shape.TIME_SERIES if shape == Shape.ENTITY else shape

    @property
    def next_step(self) -> str:
        return self.policy.next_step

    def unit_costs(self, arrays: Arrays) -> UnitCosts:
        """One unit too few and one unit too many, from the parameters as numbers or arrays."""
        return self.policy.unit_costs(arrays)


@dataclass(frozen=True, kw_only=True)
class TargetingFraming(Framing):
    """Whom to act on. `words` name the act and the two outcomes ("contact", "churns", "stays")."""

    cells: Callable[[Arrays], Cells] = field(repr=False, compare=False)
    words: tuple[str, str, str] = ("act", "event happens", "no event")
    entities: str = "entities"  # what one row is, in the plural: customers, payments, leads

    kind: ClassVar[DecisionKind] = DecisionKind.TARGETING
    target_words: ClassVar[str] = "the outcome"
    status_quo_kinds: ClassVar[tuple[type, ...]] = TARGETING_KINDS
    status_quo_texts: ClassVar[tuple[str, ...]] = ("nobody", "everybody", "rule")
    entity_role: ClassVar[Role] = Role.ID
    over_time: ClassVar[bool] = False
    numeric_decisions: ClassVar[bool] = False

    def shape_for(self, shape: Shape) -> Shape:
        return Shape.ENTITY

    @property
    def next_step(self) -> str:
        return f"the ones to {self.act_label}"  # short: it sits in a quarter of a 1280-pixel screen

    def driver(self, component: str, amount: str) -> str:
        # a component is a cell of the confusion matrix, "act & event": said in the framing's words
        act, event, no_event = self.words
        decided, happened = component.split(" & ")
        verb = act if decided == "act" else f"do not {act}"
        return f"mostly where you {verb} and it {event if happened == 'event' else no_event} ({amount} better)"

    @property
    def doing(self) -> str:
        """The act as a gerund: contacting, reviewing, approving."""
        return (self.act_label[:-1] if self.act_label.endswith("e") else self.act_label) + "ing"

    def list_columns(self) -> dict[str, str]:
        """The labels of a ranked list of whom to act on (screen, CSV and workbook alike)."""
        return {
            "rank": "Rank",
            "row": "Row in your file",
            "chance": f"Chance it {self.words[1]}",
            "gain": f"Expected gain of {self.doing}",
            "act": f"{self.act_label.capitalize()}?",
        }

    def typical_break_even(self, arrays: Arrays) -> BreakEven:
        """The break-even of a typical entity (the median of each per-row parameter)."""
        typical = {k: float(np.nanmedian(v)) if np.ndim(v) else v for k, v in arrays.items()}
        probability, above = self.cells(typical).break_even_sides()
        return BreakEven(float(np.ravel(probability)[0]), bool(np.ravel(above)[0]))

    def break_even_warning(self, values: Values, arrays: Arrays) -> str | None:
        """When the costs leave the models almost nobody (or everybody) to act on: say so and
        name the numbers that set it, so a one-month value or a typo is caught before a run."""
        found = self.typical_break_even(arrays)
        extreme = found.extreme()
        if extreme is None:
            return None
        act, event, _ = self.words
        numbers = []
        for param in self.params:
            value = values.get(param.key)
            if param.kind not in SWEPT_KINDS or value is None:
                continue
            if isinstance(value, FromColumn):
                column = np.asarray(arrays[param.key], dtype="float64")
                shown = f"{np.nanmedian(column):,.2f} (the median of '{value.column}')"
            else:
                shown = f"{float(value):.0%}" if param.kind == "share" else f"{float(value):,.2f}"
            numbers.append(f"{param.label.lower()} {shown}")
        side = "above" if found.above else "below"
        doing = (act[:-1] if act.endswith("e") else act) + "ing"
        return (
            f"At these numbers almost {extreme} is worth {doing}: it pays only when the chance that it {event} "
            f"is {side} {found.probability:.1%}, so a model can change almost nothing. "
            f"Check {', '.join(numbers)}."
        )
