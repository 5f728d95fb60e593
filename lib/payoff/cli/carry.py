"""The commands that carry an analysis away: `saved` (list, show, rename, delete, share,
unshare), `report` (one self-contained HTML file) and `decide` (the next decisions as CSV or XLSX).
Each takes a file with the analyze options, or `--saved ID` for an analysis saved before (reopened,
no refit). An analysis is named by its number or by the token its link ends with.

The command line acts as $PAYOFF_USER (that user's analyses and the team's shared ones, saves
owned by that user), or, unset, as whoever runs Payoff: every analysis, saves with no owner
(payoff.runtime.owners)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from payoff.cli.args import add_analyze_options, byte_limit, problem_from_args, read_file, run_from_args, write_json
from payoff.errors import PayoffError

if TYPE_CHECKING:  # `payoff inspect` never loads the models: it starts in a fraction of the time
    from payoff.analysis import Analysis
    from payoff.carry.store import Store
    from payoff.data.load import LoadedTable
    from payoff.problem import Problem

DECISION_FORMATS = (".csv", ".xlsx")


def _store() -> Store:
    from payoff.carry.store import Store
    from payoff.runtime.settings import Settings

    return Store(user=Settings.from_env().cli_user)


def save_run(analysis: Analysis, payload: dict[str, Any], name: str, out: TextIO) -> dict[str, Any]:
    """Save the analysis with the JSON `analyze` prints; the JSON gains `saved: {id, name}`."""
    analysis_id = _store().save(name, analysis, payload)
    print(f"saved as {analysis_id}: {name.strip()} (payoff saved show {analysis_id})", file=out)
    return {**payload, "saved": {"id": analysis_id, "name": name.strip()}}


def _ref(text: str) -> int | str:
    from payoff.carry.store import reference

    return reference(text)


def cmd_saved(args: argparse.Namespace) -> int:
    store = _store()
    if args.action is None:
        listing = store.listing()
        rows = listing.saved
        if listing.skipped:  # a damaged row is named, never the end of the list
            print(f"payoff: note: {listing.skipped_text()}", file=sys.stderr)
        if not rows:
            print("No saved analyses yet: add --save NAME to 'payoff analyze'.")
        for s in rows:
            reopen = "" if s.reopenable else "  (summary only)"
            whose = f"  [{s.owner}{', shared' if s.shared else ''}]" if s.owner else "  [shared]" if s.shared else ""
            print(f"{s.id:>5}  {s.name:<28} {s.framing:<11} {s.dataset:<28} {s.saved_at}  {s.headline}{reopen}{whose}")
        return 0
    if args.action == "show":
        saved = store.get(_ref(args.id))
        payload = {**saved.summary, "saved": {"id": saved.id, "name": saved.name}}
        out = sys.stderr if args.json == "-" else sys.stdout
        print(f"{saved.name} ({saved.framing} on {saved.dataset}, saved {saved.saved_at})", file=out)
        print(payload.get("narrative", ""), file=out)
        print(f"Its link ends with ?analysis={saved.token} (the app's Impact page, for whoever may open it).", file=out)
        if args.json:
            write_json(payload, args.json)
        return 0
    if args.action == "rename":
        store.rename(_ref(args.id), args.name)
        print(f"renamed {args.id} to {args.name.strip()}")
        return 0
    if args.action in ("share", "unshare"):
        store.share(_ref(args.id), args.action == "share")
        print(f"{args.id} is {'shared with the team' if args.action == 'share' else 'no longer shared'}")
        return 0
    store.delete(_ref(args.id))
    print(f"deleted {args.id}")
    return 0


def _analysis(args: argparse.Namespace, check: Callable[[Problem], None] = lambda _: None) -> Analysis:
    """`--saved ID`, or the file with the analyze options (not both). `check` sees the problem
    before anything is fitted: inputs are turned away before the refit, not after it."""
    if args.saved is not None:
        if args.file:
            raise PayoffError("Give a file to analyse or --saved ID, not both.")
        analysis = _store().open(_ref(args.saved))
        check(analysis.problem)
        return analysis
    if not args.file:
        raise PayoffError("Give a file to analyse (with --framing) or --saved ID.")
    problem = problem_from_args(args)
    check(problem)
    return run_from_args(args, problem).analysis


def _check_score_file(problem: Problem, current: LoadedTable | None) -> None:
    from payoff.carry.scoring import check_current

    if current is None:
        return
    if problem.framing.over_time:
        raise PayoffError("--score scores a file of current entities: it is for targeting framings only.")
    check_current(problem, current.frame)


def cmd_report(args: argparse.Namespace) -> int:
    from payoff.carry.report import build_report

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise PayoffError(f"--out names the report to write, ending in .html, not '{args.out}'.")
    html = build_report(_analysis(args))
    out.write_text(html, encoding="utf-8")
    print(f"wrote {args.out} ({len(html.encode('utf-8')):,} bytes)")
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from payoff.analysis import next_decisions
    from payoff.carry import export
    from payoff.carry.scoring import score_current
    from payoff.carry.tables import workbook_sheets
    from payoff.data.load import read_table

    out = Path(args.out)
    if out.suffix.lower() not in DECISION_FORMATS:
        raise PayoffError(f"--out names a .csv or .xlsx file to write, not '{args.out}'.")
    if args.score and not Path(args.score).is_file():
        raise PayoffError(f"No such file: {args.score}")
    current = read_table(read_file(args.score), Path(args.score).name, max_bytes=byte_limit()) if args.score else None
    analysis = _analysis(args, lambda problem: _check_score_file(problem, current))
    if current is not None:
        scored = score_current(analysis, current.frame)
        for issue in current.detection.issues:
            print(f"payoff: note: {args.score}: {issue.message}", file=sys.stderr)
        decisions, caption = scored.table, scored.caption
        if scored.ignored_columns:
            print(f"payoff: note: ignored columns: {', '.join(scored.ignored_columns)}", file=sys.stderr)
        for column, values in scored.unseen.items():
            print(f"payoff: note: '{column}' has values never seen in history: {', '.join(values)}", file=sys.stderr)
    else:
        decisions = next_decisions(analysis)
        caption = decisions.attrs.get("caption", "")
        if not analysis.problem.framing.over_time:
            caption += " (the history's entities, scored out of fold; give --score FILE for current ones)"
    if out.suffix.lower() == ".csv":
        out.write_bytes(export.to_csv_bytes(decisions))
    else:
        out.write_bytes(export.to_excel_bytes(workbook_sheets(analysis, decisions), analysis.impact.currency))
    print(caption)
    print(f"wrote {args.out} ({len(decisions):,} rows)")
    return 0


def add_commands(commands: Any) -> None:
    p = commands.add_parser("saved", help="list, show, rename, delete or share saved analyses")
    actions = p.add_subparsers(dest="action", parser_class=type(p))
    named = "ID: its number, or the token its link ends with"
    show = actions.add_parser("show", help="the saved analysis: the same JSON as analyze, no refit")
    show.add_argument("id", help=named)
    show.add_argument("--json", metavar="OUT")
    rename = actions.add_parser("rename", help="rename a saved analysis")
    rename.add_argument("id", help=named)
    rename.add_argument("name")
    delete = actions.add_parser("delete", help="delete a saved analysis")
    delete.add_argument("id", help=named)
    for action, what in (("share", "share a saved analysis with the team"), ("unshare", "stop sharing it")):
        actions.add_parser(action, help=what).add_argument("id", help=named)
    p.set_defaults(run=cmd_saved)
    for name, command, help_text in (
        ("report", cmd_report, "one self-contained HTML report for stakeholders"),
        ("decide", cmd_decide, "the next decisions as CSV or XLSX"),
    ):
        p = commands.add_parser(name, help=help_text)
        add_analyze_options(p, file_required=False)
        p.add_argument("--saved", metavar="ID", help="a saved analysis (number or link token) instead of a file")
        if name == "decide":
            p.add_argument("--score", metavar="CURRENT_FILE", help="targeting: current entities to rank")
        p.add_argument("--out", required=True)
        p.set_defaults(run=command)
