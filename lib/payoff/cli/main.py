"""`payoff`: the same library as the app, without a browser.

Exit status: 0 success, 2 for anything the user can fix (one line on stderr), 1 for a bug."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from payoff.cli.args import add_analyze_options, byte_limit, read_file, run_from_args, write_json
from payoff.cli.carry import add_commands, save_run
from payoff.data import quality
from payoff.data.load import read_table
from payoff.data.roles import suggest_roles
from payoff.errors import PayoffError
from payoff.runtime import samples

USER_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # "--seg" is not "--segment": options are spelled out
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # argparse's usage dump -> one readable line, exit 2
        raise PayoffError(f"{message} (see '{self.prog} --help')")


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
    table = read_table(content, name, max_bytes=byte_limit())
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
    payload = inspect_payload(read_file(args.file), Path(args.file).name)
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
        write_json(payload, args.json)
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from payoff.carry.results import to_json

    run = run_from_args(args)
    out = sys.stderr if args.json == "-" else sys.stdout
    print_summary(run.analysis.impact, out)
    payload = to_json(run.analysis, span=run.span, points=run.points)
    if args.save:
        payload = save_run(run.analysis, payload, args.save, out)
    if args.json:
        write_json(payload, args.json)
    return 0


def print_summary(impact: Any, out: Any) -> None:
    print(impact.narrative, file=out)
    for model in impact.models:
        marker = "*" if model.name == impact.recommended.model else " "
        money = "failed" if model.money is None else f"{model.money:>14,.2f}"
        gain = "" if model.gain is None else f"gain {model.gain:>14,.2f}"
        print(f" {marker} {model.name:<24} money {money:>14}   {gain}", file=out)


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
    add_analyze_options(p)
    p.add_argument("--save", metavar="NAME", help="save the analysis under this name (see 'payoff saved')")
    p.add_argument("--json", metavar="OUT")
    p.set_defaults(run=cmd_analyze)
    add_commands(commands)
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
