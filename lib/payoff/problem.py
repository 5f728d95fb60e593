"""A table and the user's choices become one question: :func:`make_problem` is the ONE way, called
by the Problem page and by ``payoff analyze`` alike. The frozen :class:`Problem` it returns holds
the columns in play, every parameter with where its value came from (a constant, or a column),
the status quo, the models and the evaluation design (a backtest or cross-fitting).

Explicit beats detected: a constant the user typed prices the decisions even when a column was
detected in that role, and the problem records which was used so every output says the same."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from payoff import status_quo_of
from payoff.data.roles import Role, RoleMap, Shape
from payoff.data.time_features import time_features
from payoff.data.yes_no import yes_no_as_numbers
from payoff.decision_kinds import DecisionKind
from payoff.designs import CrossFit, Evaluation, backtest_design, outcome
from payoff.errors import (
    DESIGN,
    FEATURES,
    MISSING,
    MODELS,
    PARAMS,
    SEGMENT,
    STATUS_QUO,
    TARGET,
    PayoffError,
    ProblemErrors,
    ProblemItem,
)
from payoff.framings import catalogue
from payoff.framings.base import DEFAULT, Framing, FromColumn, ParamValue
from payoff.framings.fresh import weekday_names
from payoff.left_out import columns_left_out, set_with_the_outcome
from payoff.models.catalogue import MOSTLY_ZEROS, models_for
from payoff.params import (
    FROM_FRAMING,
    LEAD_TIME,
    VALUE_PERIODS,
    check_schedule,
    missing_message,
    money_target,
    resolve,
)
from payoff.quantity_side import QuantitySide, quantity_side
from payoff.statusquo import StatusQuo


@dataclass(frozen=True, eq=False)
class Problem:
    framing: Framing
    table: pd.DataFrame = field(repr=False)
    target: str
    date: str | None
    keys: tuple[str, ...]  # quantity: the columns that name a series
    entity_id: str | None  # targeting: the column that names an entity
    features: tuple[str, ...]
    params: tuple[tuple[str, ParamValue | FromColumn], ...]
    status_quo: StatusQuo
    status_quo_source: str  # "given", "decision column" or "framing default"
    models: tuple[str, ...]
    evaluation: Evaluation
    segment: str | None = None
    source: str = ""  # the file's name
    left_out: tuple[tuple[str, str], ...] = ()  # (column, why it is not used): nothing is dropped silently
    realised: tuple[tuple[str, str], ...] = ()  # quantity regressors that look realised with demand, and why
    closed_column: str | None = None  # the file's column that marks closed days, if any
    closures: str = ""  # how the closed days were found, in a sentence ("" when none)
    rows_combined: str = ""  # how rows finer than the periods were combined, in a sentence ("" when not)
    sources: tuple[tuple[str, str], ...] = ()  # parameter -> typed | column | default
    defaults_from: str | None = None  # whose defaults price what was not given: "sample" or "framing"
    currency: str = ""  # shown with every amount ("$", "EUR"); empty: no symbol
    money_target: str | None = None  # why the quantity reads as money (priced per unit of money), if it does
    status_quo_reason: str = ""  # why this status quo, when Payoff chose it

    @property
    def kind(self) -> DecisionKind:
        return self.framing.kind

    @property
    def values(self) -> dict[str, ParamValue | FromColumn]:
        return dict(self.params)

    @property
    def assumed(self) -> tuple[str, ...]:
        """The asked parameters priced with a default (a sample's or Payoff's): said in every headline."""
        sources = dict(self.sources)
        asked = [p.key for p in (*self.framing.params, VALUE_PERIODS) if p.ask]
        return tuple(key for key in asked if sources.get(key) == DEFAULT)

    @property
    def fingerprint(self) -> str:
        """A short hash of the table's content: the same file gives the same fingerprint."""
        hashed = pd.util.hash_pandas_object(self.table, index=False).to_numpy()
        return hashlib.sha256(hashed.tobytes() + "|".join(self.table.columns).encode()).hexdigest()[:16]


PAIRED = frozenset({"params", "columns", "scales"})  # Choices keeps pairs (hashable); make_problem takes mappings


@dataclass(frozen=True)
class Choices:
    """What a user chose, on the Problem page or as `payoff analyze` options; everything left
    None is detected by make_problem. Both front ends build one and call `problem()`."""

    framing: str | None = None
    params: tuple[tuple[str, Any], ...] = ()  # constants typed in
    columns: tuple[tuple[str, str | None], ...] = ()  # parameter -> pricing column (None: the constant)
    status_quo: StatusQuo | None = None
    models: tuple[str, ...] = ()
    horizon: int | None = None
    origins: int = 4
    step: int | None = None
    season: int | None = None
    country: str | None = None
    segment: str | None = None
    positive: str | None = None  # the outcome value that is the event (default: detected)
    scales: tuple[tuple[str, float], ...] = ()  # parameter -> multiplier of its column (12 months of a charge)
    defaults_from: str | None = None  # None: ask for every number only the user knows; "sample" / "framing"
    currency: str = ""
    known_in_advance: tuple[str, ...] = ()  # regressors the user says are known before the period

    def detected_status_quo(self, table: pd.DataFrame, roles: RoleMap, framing: str) -> tuple[StatusQuo, str]:
        """What the status quo is when it is left to Payoff, and why."""
        return status_quo_of.detected(table, roles, framing, self.horizon, self.origins, self.step, self.season)

    def problem(self, table: pd.DataFrame, roles: RoleMap, framing: str, source: str = "") -> Problem:
        """The one way a table and these choices become a Problem: every field but the framing
        goes to make_problem under its own name (pairs as mappings, an empty model list as None),
        so a new choice is declared here once."""
        options: dict[str, Any] = {}
        for choice in fields(self):
            value = getattr(self, choice.name)
            options[choice.name] = dict(value) if choice.name in PAIRED else value
        options.pop("framing")
        options["models"] = self.models or None
        return make_problem(table, roles, framing, source=source, **options)


ORDERS_THE_FOLDS = (
    "orders the folds in time: the models learn from the earlier rows and are tested on the later ones, "
    "so the date itself (how long ago) is not learned from"
)


FROM_ITS_TIMES = "; its hour of day and day of week are learned from"


def params_json(
    params: Mapping[str, ParamValue | FromColumn], table: pd.DataFrame | None = None, framing: Framing | None = None
) -> dict[str, Any]:
    """For the JSON: a number, or {"column": COL} where a column priced the decisions (with its
    "scale" when it multiplies the column, and the "fill" that priced its blank rows, if any);
    delivery days as words ("Mon, Thu"), which --set reads back."""
    out: dict[str, Any] = {}
    days = {p.key for p in framing.params if p.kind == "weekdays"} if framing is not None else set()
    for key, value in params.items():
        if key in days and isinstance(value, int) and not isinstance(value, bool):
            out[key] = weekday_names(value)
        elif isinstance(value, FromColumn):
            entry: dict[str, Any] = {"column": value.column}
            if value.scale != 1:
                entry["scale"] = value.scale
            if table is not None and value.column in table.columns and bool(table[value.column].isna().any()):
                entry["fill"] = value.fill
            out[key] = entry
        else:
            out[key] = value
    return out


def make_problem(
    table: pd.DataFrame,
    roles: RoleMap,
    framing: str,
    *,
    params: Mapping[str, Any] | None = None,
    columns: Mapping[str, str | None] | None = None,
    status_quo: StatusQuo | None = None,
    models: Sequence[str] | None = None,
    horizon: int | None = None,
    origins: int = 4,
    step: int | None = None,
    season: int | None = None,
    country: str | None = None,
    folds: int = 5,
    positive: str | None = None,
    segment: str | None = None,
    source: str = "",
    scales: Mapping[str, float] | None = None,
    defaults_from: str | None = FROM_FRAMING,
    currency: str = "",
    known_in_advance: Sequence[str] = (),
) -> Problem:
    """Check every choice against the table and collect every problem before raising.

    `params` are constants the user gave (text or numbers); `columns` names, per parameter, the
    column that prices it (None: the constant, even when a column was detected). Parameters
    named in neither take the column detected in their role, else the framing's default."""
    chosen = catalogue.get(framing)
    errors: list[str] = []
    fields: list[str] = []  # the choice each message of `errors` belongs to, filled by `about`

    def about(field: str) -> None:
        fields.extend([field] * (len(errors) - len(fields)))

    target = roles.one(Role.TARGET)
    date = roles.one(Role.DATE)
    event_log = chosen.over_time and roles.shape == Shape.EVENT_LOG
    if target is None and not event_log:  # an event log's quantity is its count, once aggregated
        errors.append(f"Mark {chosen.target_words} as the target on the Data page (or give --target).")
    elif target is not None and target not in table.columns:
        errors.append(f"There is no column '{target}'.")
    about(TARGET)
    money = money_target(table, target) if chosen.over_time else None
    lead_column = (columns or {}).get(LEAD_TIME)
    if lead_column is not None and lead_column in table.columns:  # it sets the lead times: not a feature
        roles = roles.with_role(lead_column, Role.IGNORE)
    resolved = resolve(chosen, table, roles, params or {}, columns or {}, scales or {}, defaults_from, money, errors)
    values = resolved.values
    about(PARAMS)
    sq, sq_source = status_quo_of.checked(chosen, table, roles, status_quo, errors)
    about(STATUS_QUO)
    sq_reason = ""
    try:
        model_names = models_for(chosen.kind, list(models) if models else None, mostly_zeros(table, target))
    except PayoffError as error:
        errors.append(str(error))
        model_names = ()
    about(MODELS)
    if segment is not None and segment not in table.columns:
        errors.append(f"There is no column '{segment}' to break the gain down by.")
    keys: tuple[str, ...] = ()
    entity_id: str | None = None
    evaluation: Evaluation | None = None
    side = QuantitySide()
    if chosen.over_time:
        # a planned promotion written Y/N is a regressor like a 0/1 one, never "not a number"
        table = yes_no_as_numbers(table, [c for c, r in roles.roles.items() if r == Role.FEATURE])
        keys = tuple(roles.columns(Role.SERIES_KEY))
        _check_segment(table, keys, segment, errors)
        about(SEGMENT)
        evaluation = backtest_design(table, roles, date, target, horizon, origins, step, season, country, errors)
        about(DESIGN)
        level = chosen.policy.decision_is_level  # type: ignore[attr-defined]  # a quantity framing's rule
        side = quantity_side(table, roles, keys, evaluation, sq, sq_source, known_in_advance, errors, level)
        about(STATUS_QUO)  # today's practice on the file's calendar
        check_schedule(resolved.values.get("order_days"), evaluation, table, date, target, errors)
        about(f"{PARAMS}.order_days")
        sq, sq_reason = side.status_quo or sq, side.status_quo_reason
        features, left_out = side.features, side.left_out
    else:
        entity_id = roles.one(Role.ID)
        # Every column but the outcome, the id, the date and what the business did is a feature
        # unless the user leaves it out: a column guessed as a series key included.
        learnable = (Role.FEATURE, Role.VALUE, Role.PRICE, Role.COST, Role.SERIES_KEY)
        features = tuple(c for c, r in roles.roles.items() if r in learnable and c in table.columns)
        stamped = time_features(table, date)  # a transaction's hour and weekday
        if stamped:
            table = table.assign(**stamped)
            features = (*features, *stamped)
        # the date orders the folds; said beside the columns left out, so no one looks for it as a feature
        dated = {date: ORDERS_THE_FOLDS + (FROM_ITS_TIMES if stamped else "")} if date is not None else {}
        set_when_acted = set_with_the_outcome(table, target, features)
        features = tuple(c for c in features if c not in set_when_acted)
        left_out = columns_left_out(table, roles, (*features, target, entity_id), dated | set_when_acted)
        about(SEGMENT)
        if not features:
            errors.append("No feature columns are left to learn from; mark some columns as features on the Data page.")
        about(FEATURES)
        if not 2 <= folds <= 20:
            errors.append(f"Use between 2 and 20 folds, not {folds}.")
        about(DESIGN)
        label = positive or roles.positive_class
        if target is not None and target in table.columns:
            try:
                _, label = outcome(table, target, label)
            except PayoffError as error:
                errors.append(str(error))
        about(TARGET)  # which outcome is the event
        evaluation = CrossFit(folds, str(label), date is not None)
    if errors or resolved.missing:
        found = [ProblemItem(field, message) for field, message in zip(fields, errors, strict=True)]
        asked = [ProblemItem(f"{PARAMS}.{p.key}", missing_message(p, money), MISSING) for p in resolved.missing]
        raise ProblemErrors(found + asked, resolved.missing)
    assert target is not None and evaluation is not None
    # The whole table stays with the problem: a gain can be broken down by any of its columns, and
    # a saved analysis keeps the file it was made from.
    problem = Problem(
        framing=chosen,
        table=table,
        target=target,
        date=date,
        keys=keys,
        entity_id=entity_id,
        features=features,
        params=tuple(values.items()),
        status_quo=sq,
        status_quo_source=sq_source,
        models=model_names,
        evaluation=evaluation,
        segment=segment,
        source=source,
        left_out=left_out,
        realised=side.realised,
        closed_column=side.closed_column,
        closures=side.closures,
        rows_combined=side.rows_combined,
        sources=tuple(resolved.sources.items()),
        defaults_from=defaults_from,
        currency=currency.strip()[:12],
        money_target=money,
        status_quo_reason=sq_reason,
    )
    return problem


def mostly_zeros(table: pd.DataFrame, target: str | None) -> bool:
    """Intermittent demand: most known quantities are zero (slow movers)."""
    if target is None or target not in table.columns:
        return False
    values = pd.to_numeric(table[target], errors="coerce").dropna()
    return bool(len(values)) and float((values == 0).mean()) >= MOSTLY_ZEROS


def _check_segment(table: pd.DataFrame, keys: tuple[str, ...], segment: str | None, errors: list[str]) -> None:
    """A quantity gain is broken down by a column that is the same for each series."""
    if segment is None or segment not in table.columns or segment in keys:
        return
    per_series = table[[*keys, segment]].astype("str").drop_duplicates()
    if per_series.duplicated(list(keys)).any() if keys else len(per_series) > 1:
        errors.append(
            f"'{segment}' changes within a series; break the gain down by a column that is the same for "
            f"each series ({', '.join(keys) or 'a series key'}, or a column like region)."
        )


def design_of(problem: Problem) -> tuple[Any, ...]:
    """Everything that needs a refit when it changes: all but the parameters' constant values
    (a new price, a new budget or a scaled column is a re-pricing, not a new run)."""
    priced_by = tuple(sorted((k, v.column if isinstance(v, FromColumn) else "") for k, v in problem.params))
    return (
        problem.framing.key,
        problem.target,
        problem.date,
        problem.keys,
        problem.entity_id,
        problem.features,
        priced_by,
        problem.status_quo,
        problem.models,
        problem.evaluation,
    )


def same_design(a: Problem, b: Problem) -> bool:
    return design_of(a) == design_of(b)
