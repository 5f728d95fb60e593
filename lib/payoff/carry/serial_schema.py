"""The schema of a saved analysis's manifest, checked before anything is built from it (see
`serial_check`): every field `serial` reads has the type and range it must have, every column it
names is in the saved table, and the arrays it names have the kind of values and the shape the
panel (quantity) or the scored entities (targeting) give them.

The fields of each small record (a failure, an effect, a status quo, a design) are taken from the
dataclass `serial` builds from it, so a field added there is known here without an edit; the
types of the fields `serial` reads are listed here."""

from __future__ import annotations

import dataclasses
import itertools
import math
import typing
from collections.abc import Callable, Mapping
from typing import Any

from payoff.decision_kinds import DecisionKind
from payoff.designs import Backtest, CrossFit
from payoff.errors import PayoffError
from payoff.evaluate.predictions import Effect, Failure, LeakageFlag
from payoff.framings import catalogue
from payoff.framings.base import FromColumn
from payoff.statusquo import StatusQuo
from payoff.timegrid import UNITS, Frequency

# A check raises on a value that does not fit; whatever it returns (`obj` returns the object) is unused.
Check = Callable[[Any, str], object]
STATUS_QUO_KINDS: dict[str, type] = {k.__name__: k for k in typing.get_args(StatusQuo)}  # every kind there is
RULE_OPERATORS = ("<=", ">=", "<", ">", "==", "!=")


class UnreadableAnalysis(PayoffError):
    kind = "unreadable_analysis"


def damaged(detail: str) -> UnreadableAnalysis:
    return UnreadableAnalysis(
        f"The saved analysis is damaged and cannot be opened: {detail}. Run the analysis again from its file and "
        "save it; nothing else is affected."
    )


def show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fail(where: str, wanted: str, value: object) -> UnreadableAnalysis:
    return damaged(f"its manifest's {where} should be {wanted}, not {show(value)}")


# --- checks of one value -------------------------------------------------------------------------


def text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise _fail(where, "text", value)


def texts(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, "a list of names", value)


def flag(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        raise _fail(where, "true or false", value)


def whole(low: int = 0, high: int | None = None) -> Check:
    def check(value: Any, where: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(where, "a whole number", value)
        if value < low or (high is not None and value > high):
            raise _fail(where, f"a whole number from {low}" + (f" to {high:,}" if high is not None else ""), value)

    return check


def number(value: Any, where: str) -> None:
    """A finite number: a money parameter, a fill, a scale."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(where, "a finite number", value)


def any_number(value: Any, where: str) -> None:
    """A number that may be NaN (an effect or an AUC that could not be estimated)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, "a number", value)


def optional(check: Check) -> Check:
    """The check, or None."""

    def maybe(value: Any, where: str) -> None:
        if value is not None:
            check(value, where)

    return maybe


text_or_none, number_or_none = optional(text), optional(any_number)


def one_of(*allowed: object) -> Check:
    def check(value: Any, where: str) -> None:
        if isinstance(value, bool) or value not in allowed:
            raise _fail(where, "one of " + ", ".join(map(repr, allowed)), value)

    return check


def listed(check: Check) -> Check:
    def each(value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise _fail(where, "a list", value)
        for i, item in enumerate(value):
            check(item, f"{where}[{i}]")

    return each


def names_to_names(value: Any, where: str) -> None:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _fail(where, "an object of names", value)


def obj(
    value: Any, where: str, fields: Mapping[str, Check], record: type | None = None, may_lack: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An object whose `fields` are checked; with a `record` (the dataclass built from it), no
    field it lacks may appear and every field it requires must. `may_lack`: fields an older
    Payoff did not write (read with a default)."""
    if not isinstance(value, dict):
        raise _fail(where, "an object", value)
    if record is not None:
        known = {f.name: f for f in dataclasses.fields(record)}
        for key in value:
            if key not in known:
                raise damaged(f"its manifest's {where} has a field '{show(key)[1:-1]}' Payoff does not know")
        required = [name for name, f in known.items() if _required(f)]
    else:
        required = [key for key in fields if key not in may_lack]
    for key in required:
        if key not in value:
            raise damaged(f"its manifest's {where} lacks '{key}'")
    for key, check in fields.items():
        if key in value:
            check(value[key], f"{where}.{key}")
    return value


def _required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def record(kind: type, fields: Mapping[str, Check]) -> Check:
    def check(value: Any, where: str) -> None:
        obj(value, where, fields, kind)

    return check


def frequency(value: Any, where: str) -> None:
    obj(value, where, {"unit": one_of(*UNITS), "anchor": _anchor}, Frequency)


def _anchor(value: Any, where: str) -> None:
    if value is not None and value not in ("start", "end"):
        whole(0, 6)(value, where)


FAILURE = record(
    Failure, {"model": text, "reason": text, "series": text_or_none, "window": text_or_none, "fold": optional(whole(0))}
)
EFFECT = record(
    Effect, {"feature": text, "estimate": any_number, "low": number_or_none, "high": number_or_none, "text": text}
)
LEAKAGE = record(LeakageFlag, {"column": text, "auc": any_number, "reason": text})


def explanation(value: Any, where: str) -> None:
    obj(value, where, {"model": text, "unit": text, "effects": listed(EFFECT), "note": text})


def model(value: Any, where: str) -> None:
    # "ratio" (the critical ratio a model that learns the decision was fitted at) came with issue 21
    obj(value, where, {"name": text, "failures": listed(FAILURE), "ratio": number_or_none}, may_lack=("ratio",))


STATUS_QUO_FIELDS: dict[str, Check] = {
    "column": text,
    "window": whole(1),
    "seasons": whole(1),
    "season": whole(0, 100_000),
    "period": text,
    "cycle": text,
    "buffer": number,
    "op": one_of(*RULE_OPERATORS),
    "value": lambda value, where: None if isinstance(value, str) else number(value, where),
}


# --- the manifest ---------------------------------------------------------------------------------

# Problem fields an older Payoff did not write; `serial` reads each with a default.
NEWER_PROBLEM_FIELDS = (
    "left_out",
    "realised",
    "closed_column",
    "closures",
    "rows_combined",
    "sources",
    "defaults_from",
    "currency",
    "money_target",
    "status_quo_reason",
)


def check_manifest(manifest: dict[str, Any], columns: tuple[str, ...]) -> None:
    """The manifest's problem and predictions, against each other and the table's columns."""
    for part in ("problem", "predictions"):
        if part not in manifest:
            raise damaged(f"its manifest lacks '{part}'")
    problem = obj(manifest["problem"], "problem", {})
    predictions = obj(manifest["predictions"], "predictions", {})
    text(problem.get("framing"), "problem.framing")
    if problem["framing"] not in catalogue.FRAMINGS:
        raise damaged(f"its framing {show(problem['framing'])} is not one Payoff knows")
    kind = catalogue.FRAMINGS[problem["framing"]].kind
    evaluation, predictions_form = FORMS[kind]
    obj(
        problem,
        "problem",
        {
            "target": text,
            "date": text_or_none,
            "keys": texts,
            "entity_id": text_or_none,
            "features": texts,
            "params": _params,
            "status_quo": _status_quo,
            "status_quo_source": text,
            "models": texts,
            "evaluation": evaluation,
            "segment": text_or_none,
            "source": text,
            "left_out": listed(pair),
            "realised": listed(pair),
            "closed_column": text_or_none,
            "closures": text,
            "rows_combined": text,
            "sources": _sources,
            "defaults_from": optional(one_of("sample", "framing")),
            "currency": short_text,
            "money_target": text_or_none,
            "status_quo_reason": text,
        },
        may_lack=NEWER_PROBLEM_FIELDS,
    )
    named = [problem["target"], problem["date"], *problem["keys"], problem["entity_id"], *problem["features"]]
    named += [problem["segment"], problem["status_quo"].get("column"), problem.get("closed_column")]
    named += [v["column"] for v in problem["params"].values() if isinstance(v, dict)]
    missing = sorted({c for c in named if c is not None and c not in columns})
    if missing:
        raise damaged(f"it names column(s) its table does not have: {', '.join(map(repr, missing[:5]))}")
    predictions_form(predictions)


def pair(value: Any, where: str) -> None:
    """[column, reason]: a column left out or flagged, and why."""
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) for v in value):
        raise _fail(where, "a [column, reason] pair", value)


def short_text(value: Any, where: str) -> None:
    """A currency: a symbol or a code."""
    if not isinstance(value, str) or len(value) > 12:
        raise _fail(where, "a currency of at most 12 characters", value)


def _sources(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise _fail(where, "an object", value)
    for key, source in value.items():
        one_of("typed", "column", "default")(source, f"{where}.{key}")


def _params(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise _fail(where, "an object", value)
    for key, param in value.items():
        if isinstance(param, dict):
            obj(param, f"{where}.{key}", {"column": text, "fill": number, "scale": number}, FromColumn)
        elif param is not None and not isinstance(param, bool):
            number(param, f"{where}.{key}")


def _status_quo(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise _fail(where, "an object", value)
    one_of(*STATUS_QUO_KINDS)(value.get("kind"), f"{where}.kind")
    fields = {k: v for k, v in value.items() if k != "kind"}
    obj(fields, where, STATUS_QUO_FIELDS, STATUS_QUO_KINDS[value["kind"]])


def _backtest(value: Any, where: str) -> None:
    fields: dict[str, Check] = {
        "frequency": frequency,
        "horizon": whole(1),
        "origins": whole(1),
        "step": whole(1),
        "season": whole(1),
        "country": text_or_none,
        "n_periods": whole(1),
        "horizon_given": flag,
        "season_given": flag,
    }
    one_of("backtest")(value.get("kind") if isinstance(value, dict) else value, f"{where}.kind")
    design = obj({k: v for k, v in value.items() if k != "kind"}, where, fields, Backtest)
    if design["horizon"] > design["n_periods"]:
        raise damaged(
            f"its horizon of {design['horizon']:,} periods is longer than its history of {design['n_periods']:,}"
        )


def _crossfit(value: Any, where: str) -> None:
    fields: dict[str, Check] = {"folds": whole(2, 20), "positive_class": text, "time_ordered": flag}
    one_of("crossfit")(value.get("kind") if isinstance(value, dict) else value, f"{where}.kind")
    obj({k: v for k, v in value.items() if k != "kind"}, where, fields, CrossFit)


def _quantity(predictions: dict[str, Any]) -> None:
    where = "predictions"
    fields: dict[str, Check] = {
        "kind": one_of("quantity"),
        "series": lambda v, w: obj(v, w, {"columns": texts, "rows": listed(_key_row)}),
        "frequency": frequency,
        "season": whole(1),
        "regressors": names_to_names,
        "columns": names_to_names,
        "starts": listed(whole(0)),
        "horizon": whole(1),
        "models": listed(model),
        "has_decisions": flag,
        "explanations": listed(explanation),
        "counted": optional(flag),
        "blend": flag,  # came with the blend of the leading models (issue 21)
    }
    obj(predictions, where, fields, may_lack=("counted", "blend"))
    series = predictions["series"]
    if any(len(row) != len(series["columns"]) for row in series["rows"]):
        raise damaged("its series rows do not have one value per series column")
    if series["columns"] and not series["rows"]:
        raise damaged("it has no series")
    starts = predictions["starts"]
    if len(starts) < 2 or any(b <= a for a, b in itertools.pairwise(starts)):
        raise damaged("its windows should be a calibration and at least one test, in order")
    if predictions["has_decisions"] and "decision" not in predictions["columns"]:
        raise damaged("it says it has the decisions made, but keeps none")


def _key_row(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
        raise _fail(where, "a list of key values", value)


def _targeting(predictions: dict[str, Any]) -> None:
    fields: dict[str, Check] = {
        "kind": one_of("targeting"),
        "positive_label": text,
        "priced": texts,
        "models": listed(model),
        "leakage": listed(LEAKAGE),
        "explanations": listed(explanation),
    }
    obj(predictions, "predictions", fields)


# Per decision kind: the check of its evaluation design and of its predictions' saved form.
FORMS: dict[DecisionKind, tuple[Callable[[Any, str], None], Callable[[dict[str, Any]], None]]] = {
    DecisionKind.QUANTITY: (_backtest, _quantity),
    DecisionKind.TARGETING: (_crossfit, _targeting),
}
