"""A new user's first number on every sample and every public file, through the app's own pages
(Streamlit's AppTest, the fit in its own process as in the browser): what the Problem page asks,
what the user types, and what the headline and its sentence answer. Prints a Markdown table.

    python -m tests.bench.walkthrough [--only NAME]

Needs ../shared/realdata beside the checkout for the public files."""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.testing.v1 import AppTest

from payoff.data.roles import Role
from payoff.runtime import samples
from payoff.ui import state
from tests.realdata import REALDATA

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@dataclass
class Walk:
    name: str
    file: str | None = None  # a public file (under ../shared/realdata), else a sample
    framing: str | None = None  # picked on the Problem page when not the one offered first
    typed: dict[str, float] = field(default_factory=dict)  # what the user types when asked
    columns: dict[str, str] = field(default_factory=dict)  # a price or value picked from a column
    aggregate: tuple[str, str] | None = None  # an event log: (period, time column) on the Data page
    exclude: tuple[str, ...] = ()  # features the leakage guard flags that the user excludes


WALKS = [
    *(Walk(s.name) for s in samples.SAMPLES),
    Walk(
        "walmart",
        "walmart_weekly/Walmart.csv",
        "inventory",
        {"gross_margin": 25.0, "holding_rate": 0.4},
    ),
    Walk(
        "callcenter",
        "callcenter_technion/Oct_clean.csv",
        "staffing",
        {"units_per_staff": 12.0, "staff_cost": 25.0, "unserved_cost": 8.0},
        aggregate=("hour", "vru_exit"),
    ),
    Walk(
        "bank marketing",
        "bank_marketing/bank-additional-full.csv",
        "leads",
        {"value": 100.0, "contact_cost": 15.0},
        exclude=("duration",),
    ),
    Walk(
        "telco churn",
        "telco_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
        "churn",
        {"contact_cost": 10.0, "offer_cost": 20.0, "value.periods": 12.0},
    ),
    Walk(
        "taiwan credit",
        "credit_default_taiwan/UCI_Credit_Card.csv",
        "credit",
        {"margin": 0.05, "loss_given_default": 0.5},
        columns={"value": "X1"},
    ),
    Walk("yaz restaurant", "yaz_restaurant/yaz_ingredients_daily.csv", "perishable", {"price": 12.0, "unit_cost": 4.0}),
]


def walk(case: Walk) -> dict[str, str]:
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    if case.file is None:
        at.button(key=f"w.home.sample.{case.name}").click().run()
    else:
        data = (REALDATA / case.file).read_bytes()
        at.switch_page("app_pages/data.py").run()
        at.file_uploader(key=state.UPLOAD).set_value((Path(case.file).name, data, "text/csv")).run()
        if case.aggregate:
            period, time = case.aggregate
            at.selectbox(key=state.AGG_PREFIX + "period").set_value(period).run()
            at.selectbox(key=state.AGG_PREFIX + "time").set_value(time).run()
            at.button(key=state.AGG_PREFIX + "go").click().run()
    at.switch_page("app_pages/problem.py").run()
    if case.framing and at.radio(key=state.FRAMING_PICK).value != case.framing:
        at.radio(key=state.FRAMING_PICK).set_value(case.framing).run()
    framing = at.session_state[state.CHOICES].framing or at.radio(key=state.FRAMING_PICK).value
    for param, column in case.columns.items():
        at.selectbox(key=f"{state.PARAM_PREFIX}{framing}.{param}.source").set_value(column).run()
    asked = _asked(at)
    for key, value in case.typed.items():
        widget = f"{state.PARAM_PREFIX}{framing}.{key}"
        if any(w.key == widget for w in at.number_input):
            at.number_input(key=widget).set_value(value).run()
    for column in case.exclude:
        exclude = f"{state.PARAM_PREFIX}exclude.{column}"
        if any(b.key == exclude for b in at.button):
            at.button(key=exclude).click().run()
    still = _asked(at)
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=900)
    analysis = at.session_state.get(state.ANALYSIS, None)
    headline = at.metric[0].value if at.metric else "(no headline)"
    errors = "; ".join(e.value for e in at.error)
    prepared = at.session_state[state.PREPARED]
    return {
        "file": case.name,
        "keys/target": f"{', '.join(prepared.roles.columns(Role.SERIES_KEY)) or '-'} / {prepared.roles.one(Role.TARGET)}",
        "asked": asked or "nothing",
        "typed": ", ".join(f"{k}={v:g}" for k, v in case.typed.items()) + (f"; {case.columns}" if case.columns else ""),
        "still asked": still or "-",
        "headline": headline,
        "sentence": (analysis.impact.narrative if analysis else errors).replace("|", "/"),
    }


def _asked(at: AppTest) -> str:
    for box in at.warning:
        text = str(box.value).replace("\\", "")
        if text.startswith("Needed before the first run"):
            return text.removeprefix("Needed before the first run: ").split(". Only")[0]
    return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only")
    args = parser.parse_args()
    os.environ.setdefault("PAYOFF_DB", str(Path(tempfile.mkdtemp()) / "walk.sqlite"))
    rows = [walk(case) for case in WALKS if not args.only or case.name == args.only]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
