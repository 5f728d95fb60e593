"""The options every command that runs an analysis shares (`analyze`, `report`, `decide`), and
the one way they become an Analysis: the same Choices and the same `make_problem` the app uses.
Text is parsed here, at the edge; its mistakes are reported with every other problem at once."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from payoff.data.roles import Role, RoleMap, hinted, suggest_roles
from payoff.errors import PayoffError, ProblemErrors
from payoff.runtime import budget
from payoff.runtime.compute import Compute, from_environment

if TYPE_CHECKING:  # `payoff inspect` never loads the models: it starts in a fraction of the time
    from payoff.analysis import Analysis
    from payoff.framings.base import Framing
    from payoff.problem import Problem


@dataclass(frozen=True)
class Run:
    """An analysis and the sensitivity settings it was asked for."""

    analysis: Analysis
    span: tuple[float, float]
    points: int


def write_json(payload: dict[str, Any], target: str | None) -> None:
    text = json.dumps(payload, indent=2, default=str, allow_nan=False)
    if target in (None, "-"):
        print(text)
    else:
        Path(target).write_text(text + "\n", encoding="utf-8")


def byte_limit() -> int:
    """The app's 200 MB upload limit is the browser's; on the command line the memory budget
    decides how big a file (or what it unpacks to) may be."""
    return budget.limit() // budget.FILE_FACTOR


def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise PayoffError(f"No such file: {path}")
    budget.check_file(file.stat().st_size, file.name)
    return file.read_bytes()


def add_analyze_options(p: argparse.ArgumentParser, file_required: bool = True) -> None:
    if file_required:
        p.add_argument("file")
    else:
        p.add_argument("file", nargs="?")
    p.add_argument("--framing")
    p.add_argument("--date")
    p.add_argument("--id", action="append", default=[], help="series key (quantity) or entity id (targeting)")
    p.add_argument("--target")
    p.add_argument("--value-col")
    p.add_argument("--price-col")
    p.add_argument("--cost-col")
    p.add_argument(
        "--lead-time-col",
        help="inventory: a column of past deliveries' lead times (periods); sets the lead time and its range",
    )
    p.add_argument("--ignore", action="append", default=[], help="a column the models must not use")
    p.add_argument(
        "--known-in-advance",
        action="append",
        default=[],
        metavar="COL",
        help="quantities: a regressor flagged as realised with demand that you do know before the period",
    )
    p.add_argument("--positive", help="the outcome value that is the event (default: detected)")
    p.add_argument(
        "--status-quo",
        help="a decision column, last, moving-average:N[:+B%%], nobody, everybody, or a rule like tenure<6",
    )
    p.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE")
    p.add_argument(
        "--assume-defaults",
        action="store_true",
        help="price the numbers you do not give with Payoff's defaults (said in every headline)",
    )
    p.add_argument("--currency", help="shown with every amount: a symbol ($, €) or a code (CHF); default: the locale's")

    p.add_argument("--models")
    p.add_argument("--horizon", type=int)
    p.add_argument("--origins", type=int, default=4)
    p.add_argument("--season", type=int, help="season length in periods (default: 7 days, 24 hours, 52 weeks ...)")
    p.add_argument("--country", help="holidays of this country as a feature (ISO code, e.g. US)")
    p.add_argument("--segment", help="break the gain down by this column (item, store, plan, region)")
    p.add_argument("--aggregate", choices=["hour", "day", "week", "month"], help="aggregate an event log first")
    p.add_argument("--time", help="with --aggregate: the time-of-day column")
    p.add_argument("--sum", help="with --aggregate: sum this column instead of counting rows")
    p.add_argument(
        "--keep",
        action="append",
        default=None,
        metavar="COL",
        help="with --aggregate: keep this number column as each period's average (default: the staff or orders "
        "decided, as the Data page offers)",
    )
    p.add_argument(
        "--sweep-down", type=float, default=50.0, metavar="PCT", help="move each assumption down by PCT%% (50)"
    )
    p.add_argument("--sweep-up", type=float, default=100.0, metavar="PCT", help="and up by PCT%% (100)")
    p.add_argument("--sweep-points", type=int, default=9, help="points per sensitivity sweep (default 9)")
    p.add_argument(
        "--workers",
        type=int,
        help="processes for the per-series models (default: $PAYOFF_WORKERS, else 1); the numbers do not change",
    )
    p.add_argument(
        "--dask", metavar="ADDRESS", help="run the per-series models on this Dask scheduler (needs payoff[dask])"
    )


def run_from_args(args: argparse.Namespace, problem: Problem | None = None) -> Run:
    """Read the file, build the problem from the options (unless given, already built), fit and
    backtest."""
    from payoff.analysis import run_analysis

    problem = problem or problem_from_args(args)
    span = (-args.sweep_down / 100, args.sweep_up / 100)
    analysis = run_analysis(problem, compute=compute_for(args))
    for warning in analysis.impact.evaluation.get("warnings", []):
        print(f"payoff: note: {warning}", file=sys.stderr)
    for flag in analysis.impact.evaluation.get("leakage_flags", []):
        if "used" in flag:  # quantities: a regressor that looks realised with demand
            what = (
                "is used because you said it is known in advance"
                if flag["used"]
                else f"is left out; if you know it before the period, run again with --known-in-advance {flag['column']}"
            )
            print(
                f"payoff: note: '{flag['column']}' looks realised with demand ({flag['reason']}): it {what}.",
                file=sys.stderr,
            )
        else:
            print(
                f"payoff: warning: '{flag['column']}' {flag['reason']}; if it is only known after the outcome, "
                f"run again with --ignore {flag['column']}",
                file=sys.stderr,
            )
    return Run(analysis, span, args.sweep_points)


def compute_for(args: argparse.Namespace) -> Compute:
    """Where the per-series work runs: the options, else the environment's default."""
    default = from_environment()
    workers = default.workers if args.workers is None else args.workers
    return Compute(workers=workers, dask=args.dask or default.dask)


def roles_for(args: argparse.Namespace, frame: Any, framing: Framing) -> RoleMap:
    """The detected roles with what the user named laid over them (explicit beats detected)."""
    roles = suggest_roles(frame)
    named = [
        args.date,
        args.target,
        args.value_col,
        args.price_col,
        args.cost_col,
        getattr(args, "lead_time_col", None),
        args.segment,
        *args.id,
        *args.ignore,
    ]
    missing = [c for c in named if c and c not in frame.columns]
    if missing:
        raise PayoffError(
            f"There is no column {', '.join(repr(c) for c in missing)}. Columns: {', '.join(map(str, frame.columns))}."
        )
    if args.date:
        roles = roles.with_role(args.date, Role.DATE)
    if args.target:
        roles = roles.with_role(args.target, Role.TARGET)
    roles = replace(roles, shape=framing.shape_for(roles.shape))
    if args.id:
        for column, role in list(roles.roles.items()):
            if role in (Role.SERIES_KEY, Role.ID) and column not in args.id:
                roles = roles.with_role(column, Role.FEATURE)
    for column in args.id:
        roles = roles.with_role(column, framing.entity_role)
    for column in args.ignore:
        roles = roles.with_role(column, Role.IGNORE)
    return roles


def _param_columns(args: argparse.Namespace) -> dict[str, str]:
    given = {"value": args.value_col, "price": args.price_col, "unit_cost": args.cost_col}
    given["lead_time"] = getattr(args, "lead_time_col", None)
    return {key: column for key, column in given.items() if column}


def _choices(args: argparse.Namespace, params: dict[str, str], status_quo: Any, frame: Any) -> Any:
    """The options as the same Choices the Problem page records; without --currency, the
    currency the file's own amounts carry, else the locale's."""
    from payoff.data.money_columns import CURRENCY_SIGN
    from payoff.formatting import currency_for_locale
    from payoff.params import FROM_FRAMING
    from payoff.problem import Choices

    return Choices(
        framing=args.framing,
        params=tuple(params.items()),
        columns=tuple(_param_columns(args).items()),
        status_quo=status_quo,
        models=tuple(m.strip() for m in args.models.split(",") if m.strip()) if args.models else (),
        horizon=args.horizon,
        origins=args.origins,
        season=args.season,
        country=args.country,
        segment=args.segment,
        positive=args.positive,
        scales=_explicit_scales(args, params),
        known_in_advance=tuple(args.known_in_advance),
        defaults_from=FROM_FRAMING if args.assume_defaults else None,
        currency=args.currency
        if args.currency is not None
        else frame.attrs.get(CURRENCY_SIGN) or currency_for_locale(_locale()),
    )


def _explicit_scales(args: argparse.Namespace, params: dict[str, str]) -> tuple[tuple[str, float], ...]:
    """A value column named with --value-col is the user's explicit choice: a per-period charge
    named so is taken as one period's value (said on stderr), not asked again."""
    from payoff.charges import per_period_value

    if args.value_col and per_period_value(args.value_col) and "value_periods" not in params:
        print(
            f"payoff: note: '{args.value_col}' reads as a charge per period: a kept customer is valued at one "
            "period of it; give --set value_periods=N to value them at N periods.",
            file=sys.stderr,
        )
        return (("value", 1.0),)
    return ()


def _locale() -> str | None:
    """The system's locale tag (LC_ALL, LC_MONETARY, LANG), for the default currency."""
    import os

    return next((os.environ[k] for k in ("LC_ALL", "LC_MONETARY", "LANG") if os.environ.get(k)), None)


def problem_from_args(args: argparse.Namespace) -> Problem:
    """Read the file and build the problem from the options: every mistake in them is reported
    here, before anything is fitted."""
    from payoff.data.ended import ENDED_FROM, with_outcome_from_end_date
    from payoff.data.load import read_table
    from payoff.data.reshape import AggregateSpec, aggregate_events
    from payoff.data.unit_price import with_unit_price
    from payoff.framings import catalogue
    from payoff.statusquo import parse_status_quo

    if not args.framing:
        raise PayoffError("Say which question to answer with --framing (see 'payoff framings').")
    framing = catalogue.get(args.framing)
    table = read_table(read_file(args.file), Path(args.file).name, max_bytes=byte_limit())
    frame = table.frame
    if args.aggregate:
        suggested = suggest_roles(frame)
        date = args.date or suggested.one(Role.DATE)
        if date is None:
            raise PayoffError("--aggregate needs a date column: give it with --date.")
        # a price per line is kept as each period's average, as the Data page does
        price = args.price_col or suggested.one(Role.PRICE)
        numbers = [c for c in frame.select_dtypes("number").columns if c not in (args.sum, price)]
        kept = args.keep if args.keep is not None else [c for c in numbers if hinted(Role.DECISION, str(c))]
        spec = AggregateSpec(
            date, args.aggregate, args.time, tuple(args.id), args.sum, price=price, averaged=tuple(kept)
        )
        frame = aggregate_events(frame, spec)
        args.date, args.target = "period", args.sum or "events"
    if not framing.over_time and not args.target:  # an outcome written as an end date ('cancelled_on')
        frame, _, note = with_outcome_from_end_date(frame, suggest_roles(frame))
        if note:
            args.ignore = [*args.ignore, frame.attrs[ENDED_FROM]]
            print(note, file=sys.stderr)
    roles = roles_for(args, frame, framing)
    if framing.over_time and not args.price_col:  # each row's own price, as the Problem page offers it
        frame, roles, note = with_unit_price(frame, roles)
        if note:
            print(note, file=sys.stderr)
    # Text is parsed here, at the edge; its mistakes are reported with every other problem.
    edge: list[str] = []
    if not (0 <= args.sweep_down < 100 and args.sweep_up >= 0 and args.sweep_down + args.sweep_up > 0):
        edge.append(
            f"--sweep-down takes 0 to 99 and --sweep-up 0 or more (percent), not {args.sweep_down:g} and "
            f"{args.sweep_up:g}."
        )
    if not 3 <= args.sweep_points <= 50:
        edge.append(f"--sweep-points takes 3 to 50 points, not {args.sweep_points}.")
    params: dict[str, str] = {}
    for item in args.set:
        if "=" not in item:
            edge.append(f"--set takes PARAM=VALUE, not '{item}'.")
            continue
        key, value = item.split("=", 1)
        params[key.strip()] = value.strip()
    status_quo = None
    if args.status_quo:
        try:
            status_quo = parse_status_quo(args.status_quo, frame.columns)
        except PayoffError as error:
            edge.append(str(error))
    try:
        problem = _choices(args, params, status_quo, frame).problem(frame, roles, framing.key, Path(args.file).name)
    except ProblemErrors as error:
        problems = edge + list(error.problems)
        if error.missing:
            keys = " ".join(f"--set {p.key}=..." for p in error.missing)
            problems[-1] += (
                f" Give {'it' if len(error.missing) == 1 else 'them'} with {keys}, or run with --assume-defaults to "
                "price with Payoff's defaults (see 'payoff framings')."
            )
        raise ProblemErrors(problems) from None
    if edge:
        raise ProblemErrors(edge)
    return problem
