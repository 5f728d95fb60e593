"""Heavy tasks shared with a forked copy of this process: the same results in the same order,
objects both hold come back as the very objects, and whatever the copy does not deliver (a bug,
a death) is run here, so nothing is lost and a bug raises here. And the backtest gives the same
forecasts and fitted models whether its global models share the fits or not."""

import os
import queue
import struct
import sys
import threading
import time
from multiprocessing import Pipe, get_context

import numpy as np
import pandas as pd
import pytest

from payoff.evaluate.backtest import run_backtest, window_starts
from payoff.models.panel import Panel
from payoff.runtime import side_by_side as module
from payoff.runtime.compute import Compute
from payoff.runtime.side_by_side import in_turn, side_by_side
from payoff.timegrid import Frequency

pytestmark = pytest.mark.skipif(not module.spare_core(), reason="needs two cores and fork")


def _square_with_pid(x):
    return x * x, os.getpid()


def test_results_in_order_and_both_processes_work():
    landed = []
    results = side_by_side(list(range(12)), _both(_square_with_pid), done=lambda i, r: landed.append(i))
    assert [value for value, _ in results] == [x * x for x in range(12)]
    assert sorted(landed) == list(range(12))
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2


def test_shared_objects_come_back_as_themselves():
    big = np.arange(1_000_000.0)
    results = side_by_side(list(range(6)), _both(lambda x: {"data": big, "x": x, "pid": os.getpid()}), shared=(big,))
    assert any(r["pid"] != os.getpid() for r in results)
    assert all(r["data"] is big for r in results)  # not a copy of it
    assert [r["x"] for r in results] == list(range(6))


def test_a_task_the_copy_fails_is_run_here():
    parent = os.getpid()

    def work(x):
        if os.getpid() != parent:
            raise RuntimeError("only in the copy")
        return x + 1

    assert side_by_side(list(range(6)), _both(work)) == [1, 2, 3, 4, 5, 6]


def test_a_copy_that_dies_loses_nothing():
    parent = os.getpid()

    def work(x):
        if os.getpid() != parent:
            os._exit(3)  # killed mid-task, as by the kernel
        return -x

    assert side_by_side(list(range(5)), _both(work)) == [0, -1, -2, -3, -4]


def test_a_bug_raises_here_with_its_own_message(monkeypatch):
    read, open_at_its_end = module._read, []

    def reading(receiving, arrived):
        read(receiving, arrived)
        open_at_its_end.append(not receiving.closed)

    monkeypatch.setattr(module, "_read", reading)

    def work(x):
        if x == 3:
            raise ZeroDivisionError("task 3 is broken")
        return x

    with pytest.raises(ZeroDivisionError, match="task 3 is broken"):
        side_by_side(list(range(6)), _both(work))
    # the thread reading the copy's results ended before its pipe was closed: closed under it, it
    # once raised in its thread ("'NoneType' object cannot be interpreted as an integer")
    assert open_at_its_end == [True]


def test_one_task_or_no_spare_core_runs_here(monkeypatch):
    assert side_by_side([4], _square_with_pid) == [(16, os.getpid())]
    monkeypatch.setattr(module, "spare_core", lambda: False)
    assert side_by_side([1, 2, 3], _square_with_pid) == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]
    assert in_turn([1, 2], lambda x: -x) == [-1, -2]


def test_the_backtest_is_the_same_with_the_fits_shared(monkeypatch):
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "8GB")  # room for two, on any machine
    unpack, delivered = module._unpack, []
    monkeypatch.setattr(module, "_unpack", lambda *args: delivered.append(1) or unpack(*args))
    data = _panel()
    days = data.n_periods
    starts = window_starts(data.n_periods, 14, 14, 3)
    names = ("linear regression", "gradient boosting", "poisson regression", "naive")
    alone, fitted_alone, features = run_backtest(data, starts, 14, names, compute=Compute(side_by_side=False))
    from payoff.evaluate import backtest

    monkeypatch.setattr(backtest, "_global_forecast", _both(backtest._global_forecast, arguments=5))
    shared, fitted_shared, features_shared = run_backtest(data, starts, 14, names, compute=Compute(side_by_side=True))
    assert delivered, "the copy fitted no model"
    for a, b in zip(alone, shared, strict=True):
        assert a.name == b.name and a.forecast.tobytes() == b.forecast.tobytes()
    rows = np.arange(0, 8 * days, 7)
    assert (
        sorted(fitted_shared)
        == sorted(fitted_alone)
        == ["gradient boosting", "linear regression", "poisson regression"]
    )
    for name, model in fitted_shared.items():
        assert (
            model.features_ is features_shared and model.panel_ is data
        )  # the copy's model refers to this process's features
        np.testing.assert_array_equal(
            model.predict_rows(features.matrix[rows], rows),
            fitted_alone[name].predict_rows(features.matrix[rows], rows),
        )


def test_the_per_series_models_are_a_task_either_process_may_take(monkeypatch):
    """With one global model, each process waits until the other has taken a task, so one runs
    the per-series models while the other fits the trees (which one is the counter's: the copy
    may be first to it). Their forecasts come back the same, and the progress counts them once,
    ending at 1."""
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "8GB")
    from payoff.evaluate import backtest

    data = _panel()
    starts = window_starts(data.n_periods, 14, 14, 3)
    names = ("gradient boosting", "naive", "moving average")
    alone, _, _ = run_backtest(data, starts, 14, names, compute=Compute(side_by_side=False))
    per_series_in, trees_in = get_context("fork").Value("q", 0), get_context("fork").Value("q", 0)

    def recorded(work, pid):
        def run(*args):
            pid.value = os.getpid()
            return work(*args)

        return run

    events = _events()
    per_series = recorded(backtest.local_forecasts, per_series_in)
    trees = recorded(backtest._global_forecast, trees_in)
    monkeypatch.setattr(backtest, "local_forecasts", _both(per_series, arguments=5, events=events))
    monkeypatch.setattr(backtest, "_global_forecast", _both(trees, arguments=5, events=events))
    shares = []
    shared, _, _ = run_backtest(
        data, starts, 14, names, progress=lambda m, share: shares.append((m, share)), compute=Compute()
    )
    assert 0 not in (per_series_in.value, trees_in.value)
    assert per_series_in.value != trees_in.value, "the per-series models and the trees ran in one process"
    assert os.getpid() in (per_series_in.value, trees_in.value)
    for a, b in zip(alone, shared, strict=True):
        assert a.name == b.name and a.forecast.tobytes() == b.forecast.tobytes()
    fitted = [share for message, share in shares if message.endswith(": fitted")]
    # 3 models: gradient boosting (1) and the per-series task (2), in whichever order they land
    assert sorted(fitted) == fitted and fitted[-1] == 1.0 and set(fitted) <= {1 / 3, 2 / 3, 1.0}
    assert any(message == "Each series' own models: fitted" for message, _ in shares)


def test_in_turn_the_per_series_models_run_first_and_count_in_the_progress():
    data = _panel()
    starts = window_starts(data.n_periods, 14, 14, 3)
    shares = []
    run_backtest(
        data,
        starts,
        14,
        ("gradient boosting", "naive", "moving average"),
        progress=lambda m, share: shares.append((m, share)),
        compute=Compute(side_by_side=False),
    )
    messages = [m for m, _ in shares]
    assert messages.index("Each series' own models: fitted") < messages.index("Pattern model (boosted trees): fitted")
    first_global = next(share for m, share in shares if m.startswith("Fitting the models over every series"))
    assert first_global == pytest.approx(2 / 3)  # the two per-series models are done before it
    assert shares[-1] == ("done", 1.0)


def _panel():
    """8 series of 200 days, each with its own weekly peak."""
    rng = np.random.default_rng(5)
    days = 200
    weekly = 1 + 0.4 * np.sin(2 * np.pi * (np.arange(days)[None, :] + rng.integers(0, 7, (8, 1))) / 7)
    return Panel(
        y=rng.poisson(rng.gamma(3.0, 4.0, (8, 1)) * weekly).astype(float),
        dates=pd.date_range("2025-01-01", periods=days),
        series=pd.DataFrame({"item": [f"i{i}" for i in range(8)]}),
        frequency=Frequency("day"),
        season=7,
    )


def _both(work, arguments=1, events=None):
    """`work`, but each process waits on its tasks (a minute at most) until the other has started
    one: each test sees both processes work however busy the machine, with no timing in it. Two
    kinds of work gated together share `events` (a pair from _events)."""
    here, there = events or _events()
    parent = os.getpid()

    def gated(*x):
        assert len(x) == arguments
        mine, other = (here, there) if os.getpid() == parent else (there, here)
        mine.set()
        assert other.wait(60), "the other process never took a task"
        return work(*x)

    return gated


def _events():
    return get_context("fork").Event(), get_context("fork").Event()


def test_the_copy_ends_with_its_parent():
    """A fit stopped by its budget or a Cancel is killed; its copy must not fit on for nobody."""
    context = get_context("fork")
    copy_pid = context.Value("q", 0)

    def fit_forever():
        parent = os.getpid()

        def work(x):
            if os.getpid() != parent:
                copy_pid.value = os.getpid()
            threading.Event().wait()  # both processes busy for ever

        side_by_side([1, 2], work)

    fit = context.Process(target=fit_forever)
    fit.start()
    try:
        deadline = time.monotonic() + 60
        while not copy_pid.value and time.monotonic() < deadline:
            time.sleep(0.01)
        assert copy_pid.value, "the copy never started"
    finally:
        fit.kill()
        fit.join()
    deadline = time.monotonic() + 30
    while _alive(copy_pid.value) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(copy_pid.value)


def _alive(pid):
    """Running, not a zombie waiting for a reaper (a container's first process may never reap)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_copy_that_dies_half_way_through_a_message_loses_nothing():
    """An out-of-memory kill can land while the copy writes a result: what arrived is cut short,
    and the task is run here. Written by hand: a header promising 1,000 bytes, then 10 of them."""
    receiving, sending = Pipe(duplex=False)
    arrived = queue.Queue()
    os.write(sending.fileno(), struct.pack("!i", 1000) + b"x" * 10)
    sending.close()
    module._read(receiving, arrived)
    results = {}
    module._collect(arrived, (), results, None, wait=True)
    assert results == {}


@pytest.mark.parametrize(("budget", "shared"), [("1GB", True), ("700MB", False)])
def test_the_fits_are_shared_only_when_two_fit_the_memory_budget(budget, shared, monkeypatch):
    """Two processes' needs on 8 series x 200 days: 2 x (400 MiB + 460 bytes x 1,600 cells) =
    801 MiB, inside 1 GB and over 700 MB."""
    from payoff.evaluate import backtest

    calls = []
    monkeypatch.setattr(backtest, "side_by_side", lambda *args: calls.append(args) or backtest.in_turn(*args[:2]))
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", budget)
    data = _panel()
    names = ("linear regression", "poisson regression")
    run_backtest(data, window_starts(data.n_periods, 14, 14, 2), 14, names)
    assert bool(calls) is shared


def test_a_sweep_shared_with_a_copy_is_the_same(monkeypatch):
    """Every point of a sweep and every step of a break-even's bisection is a re-pricing, shared
    with the copy: the same sweeps, to the last digit, as one process works out."""
    from payoff.carry import sensitivity as module_sensitivity
    from tests.helpers import sample_analysis

    analysis = sample_analysis("call_centre", "staffing")  # staff per hour breaks even at about 42.5
    params = [p for p in analysis.problem.framing.params if p.is_swept]
    monkeypatch.setattr(module, "spare_core", lambda: False)
    alone = module_sensitivity.sweeps(analysis, params)
    monkeypatch.undo()
    unpack, delivered = module._unpack, []
    monkeypatch.setattr(module, "_unpack", lambda *args: delivered.append(1) or unpack(*args))
    monkeypatch.setattr(module_sensitivity, "_gains", _both(module_sensitivity._gains, arguments=3))
    shared = module_sensitivity.sweeps(analysis, params)
    assert delivered, "the copy priced no point"
    assert repr(shared) == repr(alone) and any(one.break_even is not None for one in shared)


def test_a_sweep_a_page_may_interrupt_stays_in_this_process(tmp_path):
    """A page sets a checkpoint (Streamlit may stop a stale sweep there): a copy must never call
    it, so such a sweep is worked out here. And a server kept in process never forks."""
    from payoff.carry import sensitivity as module_sensitivity
    from tests.helpers import sample_analysis

    analysis = sample_analysis("churn_customers", "churn")
    calls = tmp_path / "calls"  # a copy's calls land here too: a list would keep only this process's

    def checkpoint():
        with calls.open("a") as out:
            out.write(f"{os.getpid()}\n")

    token = module_sensitivity.CHECKPOINT.set(checkpoint)
    try:
        module_sensitivity.sweeps(analysis, [analysis.problem.framing.param("contact_cost")])
    finally:
        module_sensitivity.CHECKPOINT.reset(token)
    assert set(calls.read_text().split()) == {str(os.getpid())}


def test_a_page_s_run_never_forks_the_server(monkeypatch):
    """In a page's run (the server's threads serve other users) nothing forks; outside it, in
    this same process, work is shared as before."""
    from streamlit.testing.v1 import AppTest

    # A page's run makes its script `__main__` and leaves it there: a later test's spawned
    # process would run this script again first (and die, leaving its parent writing for ever).
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])

    import payoff.ui  # noqa: F401  (registers the refusal, as the app's pages do)

    def page():
        import streamlit as st

        from payoff.runtime.side_by_side import spare_core

        st.write(f"may fork: {spare_core()}")

    app = AppTest.from_function(page).run()
    assert not app.exception
    assert app.markdown[0].value == "may fork: False"
    assert module.spare_core()
