"""Bigger data in the app: the processes setting changes nothing but the time, and a run or a
file over the memory budget is refused with the limit named, the session kept."""

from pathlib import Path

import pandas as pd

from payoff.ui import state
from tests.app.conftest import open_app, type_asked, upload

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def run_retail(workers: int | None = None):
    at = open_app()
    at.button(key="w.home.sample.retail_sales").click().run()
    assert not at.exception
    if workers is not None:
        at.number_input(key=state.WORKERS).set_value(workers).run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    return at


def run_cafe(workers: int):
    """One café's five series over a year and a half, uploaded as a user's own file (prices typed):
    small enough to run twice, uneven enough across two processes to matter."""
    frame = pd.read_csv(SAMPLES / "retail_sales.csv")
    frame = frame[(frame["date"] >= "2025-04-01") & (frame["store"] == "Mill Lane") & (frame["item"] != "croissant")]
    at = upload(open_app("app_pages/data.py"), "cafe.csv", frame.to_csv(index=False).encode())
    type_asked(at)
    at.switch_page("app_pages/models.py").run()
    at.number_input(key=state.WORKERS).set_value(workers).run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    return at


def test_two_processes_give_the_same_money_as_one():
    one_app, two_app = run_cafe(workers=1), run_cafe(workers=2)
    one = one_app.session_state[state.ANALYSIS].impact
    two = two_app.session_state[state.ANALYSIS].impact
    assert len(one.models) > 2 and one.recommended.gain != 0
    assert [(m.name, m.money, m.gain) for m in one.models] == [(m.name, m.money, m.gain) for m in two.models]
    assert two_app.metric[0].value == one_app.metric[0].value


def test_a_run_over_the_memory_budget_is_refused_and_the_data_kept(monkeypatch):
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "300MB")
    at = run_retail()
    errors = " ".join(e.value for e in at.error)
    assert "12 series x 730 periods needs about 404 MB" in errors.replace("\\", "")
    assert "the limit is 300 MB (PAYOFF_MEMORY_BUDGET)" in errors.replace("\\", "")
    assert state.ANALYSIS not in at.session_state or at.session_state[state.ANALYSIS] is None  # nothing fitted
    assert at.session_state[state.DATASET].name == "retail_sales.csv"  # the data kept: run again once fixed
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "2GB")
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception and at.session_state[state.ANALYSIS] is not None


def test_a_file_over_the_memory_budget_is_refused(monkeypatch):
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "100KB")
    at = open_app()
    at.button(key="w.home.sample.retail_sales").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Reading 'retail_sales.csv'" in errors and "PAYOFF_MEMORY_BUDGET" in errors


def test_a_bad_workers_setting_on_the_server_is_said_and_one_process_used(monkeypatch):
    monkeypatch.setenv("PAYOFF_WORKERS", "many")
    at = run_retail()
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "PAYOFF_WORKERS must be a whole number" in errors
    assert at.session_state[state.ANALYSIS] is not None
