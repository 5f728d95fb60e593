"""Bigger data in the app: the processes setting changes nothing but the time, and a run or a
file over the memory budget is refused with the limit named, the session kept."""

from payoff.ui import state
from tests.app.conftest import open_app


def run_retail(workers: int | None = None):
    at = open_app()
    at.button(key="w.home.sample.retail_sales").click().run()
    assert not at.exception
    if workers is not None:
        at.number_input(key=state.WORKERS).set_value(workers).run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    return at


def test_two_processes_give_the_same_money_as_one():
    one = run_retail().session_state[state.ANALYSIS].impact
    two_app = run_retail(workers=2)
    two = two_app.session_state[state.ANALYSIS].impact
    assert [(m.name, m.money, m.gain) for m in one.models] == [(m.name, m.money, m.gain) for m in two.models]
    assert two_app.metric[0].value == run_retail().metric[0].value


def test_a_run_over_the_memory_budget_is_refused_and_the_data_kept(monkeypatch):
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "300MB")
    at = run_retail()
    errors = " ".join(e.value for e in at.error)
    assert "12 series x 730 periods needs about 403 MB" in errors.replace("\\", "")
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
