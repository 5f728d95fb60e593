"""A table and the user's choices become one question: :func:`make_problem` is the ONE way, called
by the Problem page and by ``payoff analyze`` alike. The frozen :class:`Problem` it returns holds
the columns in play, every parameter with where its value came from (a constant, or a column),
the status quo, the models and the evaluation design (a backtest or cross-fitting).

Explicit beats detected: a constant the user typed prices the decisions even when a column was
detected in that role, and the problem records which was used so every output says the same."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from payoff.data.roles import Role, RoleMap, Shape
from payoff.designs import CrossFit, Evaluation, backtest_design, is_number, outcome
from payoff.errors import PayoffError, ProblemErrors
from payoff.framings import catalogue
from payoff.framings.base import Framing, FromColumn, ParamValue
from payoff.models.catalogue import MOSTLY_ZEROS, models_for
from payoff.statusquo import QUANTITY_KINDS, TARGETING_KINDS, DecisionColumn, Rule, StatusQuo

COLUMN_ROLES = {"price": Role.PRICE, "cost": Role.COST, "value": Role.VALUE}


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

    @property
    def family(self) -> str:
        return self.framing.family

    @property
    def values(self) -> dict[str, ParamValue | FromColumn]:
        return dict(self.params)

    @property
    def fingerprint(self) -> str:
        """A short hash of the table's content: the same file gives the same fingerprint."""
        hashed = pd.util.hash_pandas_object(self.table, index=False).to_numpy()
        return hashlib.sha256(hashed.tobytes() + "|".join(self.table.columns).encode()).hexdigest()[:16]


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

    def problem(self, table: pd.DataFrame, roles: RoleMap, framing: str, source: str = "") -> Problem:
        """The one way a table and these choices become a Problem."""
        return make_problem(
            table,
            roles,
            framing,
            params=dict(self.params),
            columns=dict(self.columns),
            status_quo=self.status_quo,
            models=self.models or None,
            horizon=self.horizon,
            origins=self.origins,
            step=self.step,
            season=self.season,
            country=self.country,
            segment=self.segment,
            positive=self.positive,
            source=source,
        )


def params_json(params: Mapping[str, ParamValue | FromColumn]) -> dict[str, Any]:
    """For the JSON: a number, or {"column": COL} where a column priced the decisions."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, FromColumn):
            out[key] = {"column": value.column} if value.scale == 1 else {"column": value.column, "scale": value.scale}
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
) -> Problem:
    """Check every choice against the table and collect every problem before raising.

    `params` are constants the user gave (text or numbers); `columns` names, per parameter, the
    column that prices it (None: the constant, even when a column was detected). Parameters
    named in neither take the column detected in their role, else the framing's default."""
    chosen = catalogue.get(framing)
    errors: list[str] = []
    target = roles.one(Role.TARGET)
    date = roles.one(Role.DATE)
    event_log = chosen.family == "quantity" and roles.shape == Shape.EVENT_LOG
    if target is None and not event_log:  # an event log's quantity is its count, once aggregated
        what = "the quantity to forecast (units sold, calls)" if chosen.family == "quantity" else "the outcome"
        errors.append(f"Mark {what} as the target on the Data page (or give --target).")
    elif target is not None and target not in table.columns:
        errors.append(f"There is no column '{target}'.")
    values = _resolve_params(chosen, table, roles, params or {}, columns or {}, errors)
    sq, sq_source = _status_quo(chosen, table, roles, status_quo, errors)
    try:
        model_names = models_for(chosen.family, list(models) if models else None, mostly_zeros(table, target))
    except PayoffError as error:
        errors.append(str(error))
        model_names = ()
    if segment is not None and segment not in table.columns:
        errors.append(f"There is no column '{segment}' to break the gain down by.")
    keys: tuple[str, ...] = ()
    left_out: tuple[tuple[str, str], ...] = ()
    entity_id: str | None = None
    evaluation: Evaluation | None = None
    features: tuple[str, ...] = ()
    if chosen.family == "quantity":
        keys = tuple(roles.columns(Role.SERIES_KEY))
        features = _regressors(table, roles)
        left_out = _left_out(table, roles, (*keys, *features, target, date))
        if segment is not None and segment in table.columns and segment not in keys:
            per_series = table[[*keys, segment]].astype("str").drop_duplicates()
            if per_series.duplicated(list(keys)).any() if keys else len(per_series) > 1:
                errors.append(
                    f"'{segment}' changes within a series; break the gain down by a column that is the same for "
                    f"each series ({', '.join(keys) or 'a series key'}, or a column like region)."
                )
        evaluation = backtest_design(table, roles, date, target, horizon, origins, step, season, country, errors)
    else:
        entity_id = roles.one(Role.ID)
        # Every column but the outcome, the id, the date and what the business did is a feature
        # unless the user leaves it out: a column guessed as a series key included.
        learnable = (Role.FEATURE, Role.VALUE, Role.PRICE, Role.COST, Role.SERIES_KEY)
        features = tuple(c for c, r in roles.roles.items() if r in learnable and c in table.columns)
        left_out = _left_out(table, roles, (*features, target, date, entity_id))
        if not features:
            errors.append("No feature columns are left to learn from; mark some columns as features on the Data page.")
        if not 2 <= folds <= 20:
            errors.append(f"Use between 2 and 20 folds, not {folds}.")
        label = positive or roles.positive_class
        if target is not None and target in table.columns:
            try:
                _, label = outcome(table, target, label)
            except PayoffError as error:
                errors.append(str(error))
        evaluation = CrossFit(folds, str(label), date is not None)
    if errors:
        raise ProblemErrors(errors)
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
    )
    return problem


def mostly_zeros(table: pd.DataFrame, target: str | None) -> bool:
    """Intermittent demand: most known quantities are zero (slow movers)."""
    if target is None or target not in table.columns:
        return False
    values = pd.to_numeric(table[target], errors="coerce").dropna()
    return bool(len(values)) and float((values == 0).mean()) >= MOSTLY_ZEROS


def _resolve_params(
    framing: Framing,
    table: pd.DataFrame,
    roles: RoleMap,
    given: Mapping[str, Any],
    columns: Mapping[str, str | None],
    errors: list[str],
) -> dict[str, ParamValue | FromColumn]:
    values: dict[str, ParamValue | FromColumn] = dict(framing.defaults())
    for key, raw in given.items():
        try:
            values[key] = framing.param(key).coerce(raw)
        except PayoffError as error:
            errors.append(str(error))
    for key in columns:
        try:
            if framing.param(key).column_role is None:
                errors.append(f"'{key}' is one number for all rows; it cannot come from a column.")
        except PayoffError as error:
            errors.append(str(error))
    for param in framing.params:
        if param.column_role is None:
            continue
        if param.key in columns:
            column = columns[param.key]
        elif param.key in given:
            column = None  # explicit beats detected: the typed constant prices every row
        else:
            column = roles.one(COLUMN_ROLES[param.column_role])
        if column is None:
            continue
        if column not in table.columns:
            errors.append(f"There is no column '{column}' to price '{param.key}'.")
        elif not is_number(table, column):
            errors.append(f"'{column}' is not numeric, so it cannot price '{param.key}'; choose a number column.")
        else:
            fill = values[param.key]
            values[param.key] = FromColumn(column, float(fill) if isinstance(fill, int | float) else 0.0)
    for param in framing.params:
        if values.get(param.key) is None and param.kind != "optional_count":
            errors.append(f"'{param.key}' needs a value: {param.help}")
    return values


def _status_quo(
    framing: Framing, table: pd.DataFrame, roles: RoleMap, given: StatusQuo | None, errors: list[str]
) -> tuple[StatusQuo, str]:
    if given is None:
        decision = roles.one(Role.DECISION)
        if decision is not None:
            given, source = DecisionColumn(decision), "decision column"
        else:
            return framing.default_status_quo, "framing default"
    else:
        source = "given"
    kinds = QUANTITY_KINDS if framing.family == "quantity" else TARGETING_KINDS
    if not isinstance(given, kinds):
        errors.append(f"'{given.text}' is not a status quo for {framing.family} framings.")
        return given, source
    if isinstance(given, DecisionColumn | Rule):
        column = given.column
        if column not in table.columns:
            errors.append(f"There is no column '{column}' for the status quo.")
        elif isinstance(given, DecisionColumn) and framing.family == "quantity" and not is_number(table, column):
            errors.append(f"The status quo column '{column}' is not numeric; it should hold the quantities decided.")
        elif isinstance(given, Rule):
            if is_number(table, column) and not isinstance(given.value, float):
                errors.append(f"'{given.value}' is not a number to compare '{column}' with.")
            elif not is_number(table, column) and given.op not in ("==", "!="):
                errors.append(f"'{column}' holds text: use == or != in the status-quo rule.")
    return given, source


_LEFT_OUT_BECAUSE = {
    Role.DECISION: "what the business did: it is the status quo, not something to learn from",
    Role.TIME: "a time of day (aggregate the file to use it)",
    Role.ID: "an id: a different value on every row",
    Role.SERIES_KEY: "a series key",
    Role.VALUE: "prices the decisions",
    Role.COST: "prices the decisions",
}


def _left_out(table: pd.DataFrame, roles: RoleMap, used: Sequence[str | None]) -> tuple[tuple[str, str], ...]:
    """Every column not used, with its reason: nothing is dropped without a word."""
    out = []
    for column, role in roles.roles.items():
        if column in used or column not in table.columns:
            continue
        if role == Role.IGNORE:
            why = roles.reasons.get(column) or "left out by you"
        elif role in _LEFT_OUT_BECAUSE:
            why = _LEFT_OUT_BECAUSE[role]
        elif not is_number(table, column):
            why = "not a number: the forecasting models take numbers known in advance"
        else:
            why = "not used"
        out.append((column, why))
    return tuple(out)


def _regressors(table: pd.DataFrame, roles: RoleMap) -> tuple[str, ...]:
    """Numeric columns known in advance (price, promotion, holidays) that the regressions use."""
    return tuple(
        c for c, r in roles.roles.items() if r in (Role.FEATURE, Role.PRICE) and c in table and is_number(table, c)
    )


def design_of(problem: Problem) -> tuple[Any, ...]:
    """Everything that needs a refit when it changes: all but the parameters' constant values
    (a new price, a new budget or a scaled column is a re-pricing, not a new run)."""
    priced_by = tuple((k, v.column if isinstance(v, FromColumn) else None) for k, v in problem.params)
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
