"""`payoff`: the same library as the app, without a browser.

Exit status: 0 success, 2 for anything the user can fix (one line on stderr), 1 for a bug."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from payoff import samples
from payoff.data import quality
from payoff.data.load import read_table
from payoff.data.roles import suggest_roles
from payoff.errors import PayoffError

USER_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's usage dump -> one readable line, exit 2
        raise PayoffError(f"{message} (see 'payoff {self.prog.split()[-1]} --help')")


def _write_json(payload: dict[str, Any], target: str | None) -> None:
    text = json.dumps(payload, indent=2, default=str)
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


def _roles_for(args: argparse.Namespace, frame: Any) -> Any:
    from dataclasses import replace

    from payoff.data.roles import Role

    roles = suggest_roles(frame)
    named = [c for c in [args.date, args.target, args.value_col, args.price_col, args.cost_col, *args.id] if c]
    for column in named:
        if column not in frame.columns:
            raise PayoffError(f"There is no column '{column}'. Columns: {', '.join(map(str, frame.columns))}.")
    if args.date:
        roles = roles.with_role(args.date, Role.DATE)
    if args.target:
        roles = roles.with_role(args.target, Role.TARGET)
    if args.value_col:
        roles = roles.with_role(args.value_col, Role.VALUE)
    if args.price_col:
        roles = roles.with_role(args.price_col, Role.PRICE)
    if args.cost_col:
        roles = roles.with_role(args.cost_col, Role.COST)
    if args.id:
        for column, role in list(roles.roles.items()):
            if role == Role.SERIES_KEY and column not in args.id:
                roles = roles.with_role(column, Role.FEATURE)
    for column in args.id:
        roles = roles.with_role(column, Role.SERIES_KEY if roles.shape.value != "entity table" else Role.ID)
    for column in args.ignore:
        roles = roles.with_role(column, Role.IGNORE)
    if roles.one(Role.TARGET) and roles.shape.value == "entity table":
        from payoff.data.roles import positive_class

        roles = replace(roles, positive_class=args.positive or positive_class(frame[roles.one(Role.TARGET)]))
    return roles


def cmd_analyze(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from payoff.analysis import AnalysisSpec, run_analysis
    from payoff.data.reshape import AggregateSpec, aggregate_events
    from payoff.data.roles import Role, Shape
    from payoff.framings import catalogue

    framing = catalogue.get(args.framing)
    table = read_table(_read_file(args.file), Path(args.file).name)
    frame = table.frame
    if args.aggregate:
        roles = suggest_roles(frame)
        date = args.date or roles.one(Role.DATE)
        if date is None:
            raise PayoffError("--aggregate needs a date column: give it with --date.")
        spec = AggregateSpec(date, args.aggregate, args.time, tuple(args.id), args.sum)
        frame = aggregate_events(frame, spec)
        args.date, args.target = "period", args.sum or "events"
    roles = _roles_for(args, frame)
    wanted = Shape.ENTITY if framing.family == "targeting" else Shape.TIME_SERIES
    if roles.shape != wanted:
        roles = replace(roles, shape=wanted)
    params: dict[str, str] = {}
    for item in args.set:
        if "=" not in item:
            raise PayoffError(f"--set takes PARAM=VALUE, not '{item}'.")
        key, value = item.split("=", 1)
        framing.param(key.strip())
        params[key.strip()] = value.strip()
    models = tuple(m.strip() for m in args.models.split(",")) if args.models else None
    spec = AnalysisSpec.make(
        framing.key,
        params,
        status_quo=args.status_quo,
        models=models,
        horizon=args.horizon,
        origins=args.origins,
        country=args.country,
    )
    analysis = run_analysis(frame, roles, spec)
    payload = analysis.impact.as_dict()
    for flag in analysis.impact.evaluation.get("leakage_flags", []):
        print(
            f"payoff: warning: '{flag['column']}' {flag['reason']}; if it is only known after the outcome, "
            f"run again with --ignore {flag['column']}",
            file=sys.stderr,
        )
    best = analysis.impact.model(analysis.impact.best_model)
    print(analysis.impact.narrative, file=sys.stderr if args.json == "-" else sys.stdout)
    if args.json != "-":
        for model in analysis.impact.models:
            marker = "*" if model is best else " "
            print(f" {marker} {model.name:<28} money {model.money:>14,.2f}   gain {model.gain:>12,.2f}")
    if args.json:
        _write_json(payload, args.json)
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
    p.add_argument("--status-quo")
    p.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE")
    p.add_argument("--models")
    p.add_argument("--horizon", type=int)
    p.add_argument("--origins", type=int, default=4)
    p.add_argument("--season", type=int, help="season length in periods (default: 7 days, 24 hours, 52 weeks ...)")
    p.add_argument("--country", help="holidays of this country as a feature (ISO code, e.g. US)")
    p.add_argument("--aggregate", choices=["hour", "day", "week", "month"], help="aggregate an event log first")
    p.add_argument("--time", help="with --aggregate: the time-of-day column")
    p.add_argument("--sum", help="with --aggregate: sum this column instead of counting rows")
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
