"""`make bench-peers`: every tool of tests/bench/peers.py in fresh processes (a warm-up unless
`--no-warm-up`, then `--reps`; Prophet's 200 fits once), medians printed, written to
bench-results.json under "peers", and the chart in docs/benchmarks.md redrawn from them. The make
target runs each tool once with no warm-up: statsforecast's run alone takes minutes.

The peers run in their own environment (.venv-peers, made by `make bench-peers`): statsforecast
pins pandas below 3, and installing it beside Payoff would change Payoff's own pandas."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.run import ROOT, run_once, summarise

DOCS = ROOT / "docs" / "benchmarks.md"
PEERS = {
    "quantity_statsforecast",
    "quantity_statsforecast_one_process",
    "quantity_prophet",
    "targeting_tuned",
    "walmart_statsforecast",
    "quantity_statsforecast_own_shape",
    "quantity_statsforecast_own_shape_one_process",
}
CHART = re.compile(r"(<!-- peers-chart -->\n).*?(<!-- /peers-chart -->)", re.S)


def chart(figures: dict[str, dict[str, object]]) -> str:
    """A Mermaid bar chart (GitHub draws it): each tool's cost over the oracle's, and its time."""

    def median(tool: str, key: str) -> float:
        return float(figures[tool][key]["median"])  # type: ignore[index]

    bars = [
        ("Payoff auto", median("quantity_payoff", "vs_oracle"), median("quantity_payoff", "seconds")),
        ("AutoETS", median("quantity_statsforecast", "AutoETS_vs_oracle"), median("quantity_statsforecast", "seconds")),
        (
            "SeasonalNaive",
            median("quantity_statsforecast", "SeasonalNaive_vs_oracle"),
            median("quantity_statsforecast", "seconds"),
        ),
    ]
    names = ", ".join(f'"{name}"' for name, _, _ in bars)
    return (
        "```mermaid\nxychart-beta\n"
        '    title "500 series: cost of the orders over the oracle\'s (1.0 = the oracle)"\n'
        f"    x-axis [{names}]\n"
        '    y-axis "x the oracle" 0 --> 2\n'
        f"    bar [{', '.join(f'{ratio:.3f}' for _, ratio, _ in bars)}]\n"
        "```\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    # statsforecast compiles with numba in every fresh process (no disk cache), so a warm-up run
    # does not shorten its timed one; without it the whole comparison takes half as long.
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    parser.add_argument("--out", default=str(ROOT / "bench-results.json"))
    parser.add_argument("--peers-python", default=str(ROOT / ".venv-peers" / "bin" / "python"))
    parser.add_argument("--only", help="comma-separated tools; the others keep their recorded figures")
    args = parser.parse_args()
    from tests.bench.peers import TOOLS

    out = Path(args.out)
    recorded = json.loads(out.read_text()) if out.exists() else {}
    results: dict[str, object] = dict(recorded.get("peers", {}))
    for tool in args.only.split(",") if args.only else TOOLS:
        python = args.peers_python if tool in PEERS else sys.executable
        if args.warm_up:
            run_once("tests.bench.peers", tool, python=python)  # imports compiled, caches filled
        reps = 1 if tool == "quantity_prophet" else args.reps
        runs = [run_once("tests.bench.peers", tool, python=python) for _ in range(reps)]
        results[tool] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "median_of": reps}
        results[tool]["figures"] = summarise(runs)  # type: ignore[index]
        print(f"\n{tool} (median of {reps})")
        for key, value in results[tool]["figures"].items():  # type: ignore[index]
            text = (
                f"{value['median']:.3f} (min {value['min']:.3f}, max {value['max']:.3f})"
                if isinstance(value, dict)
                else value
            )
            print(f"  {key:<28} {text}")
        recorded = json.loads(out.read_text()) if out.exists() else {}
        recorded["peers"] = results  # after every tool: a failure later keeps what was measured
        out.write_text(json.dumps(recorded, indent=2) + "\n")
    figures = {tool: value["figures"] for tool, value in results.items()}  # type: ignore[index]
    if {"quantity_payoff", "quantity_statsforecast"} <= set(figures) and CHART.search(DOCS.read_text()):
        DOCS.write_text(CHART.sub(lambda m: m.group(1) + chart(figures) + m.group(2), DOCS.read_text()))
    if {"walmart_payoff", "walmart_statsforecast"} <= set(figures):
        print(f"\nWalmart: {walmart_line(figures)}")
    print(f"\nwritten to {out} and the chart in {DOCS}")


def walmart_line(figures: dict[str, dict[str, object]]) -> str:
    """Walmart's 45 stores on the same windows and ratio: Payoff's orders over AutoETS's."""

    def cost(tool: str, key: str) -> float:
        return float(figures[tool][key]["median"])  # type: ignore[index]

    ets = cost("walmart_statsforecast", "AutoETS_cost")
    parts = [
        f"auto {cost('walmart_payoff', 'auto_cost') / ets:.3f}x AutoETS's orders",
        f"its best model {cost('walmart_payoff', 'best_cost') / ets:.3f}x",
        f"the direct quantile peer {cost('walmart_payoff', 'direct_quantile_cost') / ets:.3f}x",
        f"SeasonalNaive {cost('walmart_statsforecast', 'SeasonalNaive_cost') / ets:.3f}x",
    ]
    return ", ".join(parts)


if __name__ == "__main__":
    main()
