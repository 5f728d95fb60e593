"""`payoff`: the same library as the app, without a browser.

Exit status: 0 success, 2 for anything the user can fix (one line on stderr), 1 for a bug."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from payoff import samples
from payoff.data import quality
from payoff.data.load import read_table
from payoff.data.roles import Role, RoleMap, Shape, suggest_roles
from payoff.errors import PayoffError, ProblemErrors

USER_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # "--seg" is not "--segment": options are spelled out
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # argparse's usage dump -> one readable line, exit 2
        raise PayoffError(f"{message} (see '{self.prog} --help')")


def _write_json(payload: dict[str, Any], target: str | None) -> None:
    text = json.dumps(payload, indent=2, default=str, allow_nan=False)
    if target in (None, "-"):
        print(text)
    else:
        Path(target).write_text(text + "\n", encoding="utf-8")


def _read_file(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise PayoffError(f"No such file: {path}")
    return file.read_bytes()


def cmd_samples(args: argparse.Namespace) -> int:
    if args.name is None:
        for sample in samples.SAMPLES:
            print(f"{sample.name:<18} {sample.framing:<11} {sample.description}")
        return 0
    content = samples.sample_bytes(args.name)
    if args.out:
        Path(args.out).write_bytes(content)
        print(f"wrote {args.out} ({len(content):,} bytes)")
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0


def cmd_framings(args: argparse.Namespace) -> int:
    from payoff.framings import catalogue

    for framing in catalogue.FRAMINGS.values():
        print(f"{framing.key}: {framing.title}")
        for param in framing.params:
            unit = f" [{param.unit}]" if param.unit else ""
            print(f"    {param.key}{unit} = {param.default!r}: {param.help}")
    return 0


def inspect_payload(content: bytes, name: str) -> dict[str, Any]:
    table = read_table(content, name)
    roles = suggest_roles(table.frame)
    findings = quality.check(table.frame, roles)
    return {
        "file": name,
        "rows": len(table.frame),
        "columns": len(table.frame.columns),
        "detected": table.detection.as_dict(),
        "shape": roles.shape.value,
        "roles": {column: role.value for column, role in roles.roles.items()},
        "positive_class": roles.positive_class,
        "findings": [
            {"kind": f.kind, "severity": f.severity, "message": f.message, "column": f.column, "count": f.count}
            for f in findings
        ],
    }


def cmd_inspect(args: argparse.Namespace) -> int:
    payload = inspect_payload(_read_file(args.file), Path(args.file).name)
    detected = payload["detected"]
    print(f"{payload['file']}: {payload['rows']:,} rows x {payload['columns']} columns, {payload['shape']}")
    for key in ("file_type", "encoding", "delimiter", "decimal", "thousands", "header", "line_endings"):
        if detected.get(key) not in (None, ""):
            print(f"  {key.replace('_', ' ')}: {detected[key]}")
    print("  columns:")
    for column, info in detected["column_types"].items():
        detail = f" ({info['detail']})" if info["detail"] else ""
        print(f"    {column}: {info['kind']}{detail} -> {payload['roles'][column]}")
    for issue in detected["issues"]:
        print(f"  note: {issue['message']}")
    for finding in payload["findings"]:
        print(f"  {finding['severity']}: {finding['message']}")
    if args.json:
        _write_json(payload, args.json)
    return 0


def _roles_for(args: argparse.Namespace, frame: Any, family: str) -> RoleMap:
    """The detected roles with what the user named laid over them (explicit beats detected)."""
    roles = suggest_roles(frame)
    named = [
        args.date,
        args.target,
        args.value_col,
        args.price_col,
        args.cost_col,
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
    wanted = Shape.ENTITY if family == "targeting" else roles.shape
    if family == "quantity" and roles.shape == Shape.ENTITY:
        wanted = Shape.TIME_SERIES
    roles = replace(roles, shape=wanted)
    if args.id:
        for column, role in list(roles.roles.items()):
            if role in (Role.SERIES_KEY, Role.ID) and column not in args.id:
                roles = roles.with_role(column, Role.FEATURE)
    for column in args.id:
        roles = roles.with_role(column, Role.ID if family == "targeting" else Role.SERIES_KEY)
    for column in args.ignore:
        roles = roles.with_role(column, Role.IGNORE)
    return roles


def _param_columns(args: argparse.Namespace) -> dict[str, str]:
    given = {"value": args.value_col, "price": args.price_col, "unit_cost": args.cost_col}
    return {key: column for key, column in given.items() if column}


def _choices(args: argparse.Namespace, params: dict[str, str], status_quo: Any) -> Any:
    """The options as the same Choices the Problem page records."""
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
    )


def cmd_analyze(args: argparse.Namespace) -> int:
    from payoff.analysis import run_analysis
    from payoff.data.reshape import AggregateSpec, aggregate_events
    from payoff.framings import catalogue
    from payoff.results import to_json
    from payoff.statusquo import parse_status_quo

    framing = catalogue.get(args.framing)
    table = read_table(_read_file(args.file), Path(args.file).name)
    frame = table.frame
    if args.aggregate:
        date = args.date or suggest_roles(frame).one(Role.DATE)
        if date is None:
            raise PayoffError("--aggregate needs a date column: give it with --date.")
        spec = AggregateSpec(date, args.aggregate, args.time, tuple(args.id), args.sum)
        frame = aggregate_events(frame, spec)
        args.date, args.target = "period", args.sum or "events"
    roles = _roles_for(args, frame, framing.family)
    # Text is parsed here, at the edge; its mistakes are reported with every other problem.
    edge: list[str] = []
    span = (-args.sweep_down / 100, args.sweep_up / 100)
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
        problem = _choices(args, params, status_quo).problem(frame, roles, framing.key, Path(args.file).name)
    except ProblemErrors as error:
        raise ProblemErrors(edge + list(error.problems)) from None
    if edge:
        raise ProblemErrors(edge)
    analysis = run_analysis(problem)
    impact = analysis.impact
    for flag in impact.evaluation.get("leakage_flags", []):
        print(
            f"payoff: warning: '{flag['column']}' {flag['reason']}; if it is only known after the outcome, "
            f"run again with --ignore {flag['column']}",
            file=sys.stderr,
        )
    out = sys.stderr if args.json == "-" else sys.stdout
    print(impact.narrative, file=out)
    for model in impact.models:
        marker = "*" if model.name == impact.recommended.model else " "
        money = "failed" if model.money is None else f"{model.money:>14,.2f}"
        gain = "" if model.gain is None else f"gain {model.gain:>14,.2f}"
        print(f" {marker} {model.name:<24} money {money:>14}   {gain}", file=out)
    if args.json:
        _write_json(to_json(analysis, span=span, points=args.sweep_points), args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="payoff", description="Baseline models priced in money, without a browser.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = commands.add_parser("samples", help="list or write the built-in sample datasets")
    p.add_argument("name", nargs="?")
    p.add_argument("--out")
    p.set_defaults(run=cmd_samples)
    p = commands.add_parser("framings", help="list framings and their parameters")
    p.set_defaults(run=cmd_framings)
    p = commands.add_parser("inspect", help="what Payoff detects in a file")
    p.add_argument("file")
    p.add_argument("--json", metavar="OUT")
    p.set_defaults(run=cmd_inspect)
    p = commands.add_parser("analyze", help="backtest the baseline models and price their decisions")
    p.add_argument("file")
    p.add_argument("--framing", required=True)
    p.add_argument("--date")
    p.add_argument("--id", action="append", default=[], help="series key (quantity) or entity id (targeting)")
    p.add_argument("--target")
    p.add_argument("--value-col")
    p.add_argument("--price-col")
    p.add_argument("--cost-col")
    p.add_argument("--ignore", action="append", default=[], help="a column the models must not use")
    p.add_argument("--positive", help="the outcome value that is the event (default: detected)")
    p.add_argument(
        "--status-quo",
        help="a decision column, last, moving-average:N[:+B%%], nobody, everybody, or a rule like tenure<6",
    )
    p.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE")
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
        "--sweep-down", type=float, default=50.0, metavar="PCT", help="move each assumption down by PCT%% (50)"
    )
    p.add_argument("--sweep-up", type=float, default=100.0, metavar="PCT", help="and up by PCT%% (100)")
    p.add_argument("--sweep-points", type=int, default=9, help="points per sensitivity sweep (default 9)")
    p.add_argument("--json", metavar="OUT")
    p.set_defaults(run=cmd_analyze)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args))
    except PayoffError as error:
        print(f"payoff: {error}", file=sys.stderr)
        return USER_ERROR
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
