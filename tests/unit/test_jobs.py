"""Fits in their own process: the same analysis and summary as in this process, a user's error
comes back as the same message, a fit past its budget is stopped, and a child that dies says so."""

import json
import os
import signal
import time

import pytest

from payoff.analysis import run_analysis
from payoff.carry.results import to_json
from payoff.errors import PayoffError
from payoff.jobs import FitJob, FitStopped, fit_budget
from tests.helpers import sample_problem


@pytest.fixture(scope="module")
def problem():
    return sample_problem("call_centre")


def test_a_job_gives_what_this_process_gives(problem):
    here = run_analysis(problem)
    job = FitJob(problem)
    seen = []
    there = job.wait(lambda message, share: seen.append((message, share)))
    assert [(m.name, m.money, m.gain) for m in there.impact.models] == [
        (m.name, m.money, m.gain) for m in here.impact.models
    ]
    assert json.dumps(job.summary, sort_keys=True, default=str) == json.dumps(
        to_json(here), sort_keys=True, default=str
    )
    assert seen and all(0.0 <= share <= 1.0 for _, share in seen)
    assert not job.running and job._process.exitcode == 0


def test_the_fit_s_sweeps_come_back_with_it_and_are_not_worked_out_again(problem, monkeypatch):
    """The summary's sweeps are worked out in the fit's process and kept with its analysis: the
    Impact page (around the run's own costs) and the report ask for them again without a single
    re-pricing here, and they are the sweeps this process works out."""
    from payoff.analysis import rebased
    from payoff.carry import sensitivity as module

    job = FitJob(problem)
    there = job.wait()
    expected = module.sensitivity(run_analysis(problem))
    assert expected  # else there would be nothing to tell apart

    def no_repricing(*args, **kwargs):
        raise AssertionError("a sweep was worked out again")

    monkeypatch.setattr(module, "sweeps", no_repricing)
    page_asks = rebased(there, there.impact.params, there.impact)  # as the Impact page asks
    for got in (module.sensitivity(there), module.sensitivity(page_asks)):
        assert [s.as_rows() for s in got] == [s.as_rows() for s in expected]
    with pytest.raises(AssertionError, match="worked out again"):  # other costs: worked out
        module.sensitivity(
            rebased(there, {key: 2 * value for key, value in there.values.items() if isinstance(value, float)})
        )


def test_the_money_comes_first_and_the_explanations_after(problem):
    """The page shows the headline as soon as the money is priced: the job hands over the priced
    analysis (the same money, no explanations yet) before the explanations, which are then the
    ones this process works out."""
    here = run_analysis(problem)
    assert here.predictions.explanations  # else the test could not tell the two halves apart
    job = FitJob(problem)
    job.wait(priced=True)  # returns the whole analysis if it is already there too
    priced = job.priced
    assert priced is not None and priced.predictions.explanations == ()
    assert priced.impact.recommended.gain == here.impact.recommended.gain
    assert [m.money for m in priced.impact.models] == [m.money for m in here.impact.models]
    whole = job.wait()
    assert not job.running
    assert whole.predictions.explanations == here.predictions.explanations
    assert whole.impact is priced.impact


class _Ended:
    """A child process that has already ended, its answers sent."""

    exitcode, pid = 0, None

    def is_alive(self) -> bool:
        return False

    def join(self, timeout: float | None = None) -> None:
        return None


def replayed(*answers) -> FitJob:
    """A FitJob whose ended child sent these answers: what the page sees when they arrive together."""
    import queue

    from payoff.jobs import Status

    job = FitJob.__new__(FitJob)
    job._answers = queue.Queue()
    for answer in answers:
        job._answers.put(answer)
    job._process, job.budget_s, job.started = _Ended(), 100.0, time.monotonic()
    job.status, job.result, job.priced, job.summary, job.error = Status("Starting", 0.0, False), None, None, None, None
    return job


def test_the_money_stands_when_the_explanations_fail(problem):
    """The explanations failed (or the budget ran out) right after the money was priced, both
    answers taken in one poll: the page still gets the priced analysis; only a wait for the
    whole analysis says what failed."""
    from payoff.analysis import run_priced
    from payoff.carry import serial

    priced, _ = run_priced(problem)
    job = replayed(("priced", serial.to_bytes(priced)), ("error", "RuntimeError", "explaining broke"))
    shown = job.wait(priced=True)
    assert shown is job.priced and shown.impact.recommended.gain == priced.impact.recommended.gain
    assert not job.running and str(job.error) == "explaining broke"
    with pytest.raises(PayoffError, match="explaining broke"):
        job.wait()


def test_a_users_error_comes_back_as_it_is(problem, monkeypatch):
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "300MB")  # read by the child: the server's settings now
    with pytest.raises(PayoffError, match="the limit is 300 MB"):
        FitJob(problem).wait()


def test_a_fit_past_its_budget_is_stopped(problem):
    job = FitJob(problem, budget_s=0.3)
    start = time.monotonic()
    with pytest.raises(FitStopped, match=r"stopped after 0 s, the time budget \(PAYOFF_FIT_SECONDS\)"):
        job.wait()
    assert time.monotonic() - start < 5
    assert not job._process.is_alive()


def test_a_child_that_dies_says_so(problem):
    job = FitJob(problem)
    job.poll(wait_s=5)  # it has started and said something
    os.kill(job._process.pid, signal.SIGKILL)
    with pytest.raises(FitStopped, match=r"ended without an answer, exit code -9 \(killed"):
        job.wait()


@pytest.mark.parametrize(("text", "says"), [("soon", "a number of seconds"), ("-5", "more than 0 seconds")])
def test_a_bad_budget_setting_is_named(text, says, monkeypatch):
    monkeypatch.setenv("PAYOFF_FIT_SECONDS", text)
    with pytest.raises(PayoffError, match=says):
        fit_budget()


def test_a_job_nobody_holds_stops_its_process(problem):
    """A closed session drops its job: the child, which would wait forever to hand over an answer
    nobody reads, is stopped."""
    import gc

    job = FitJob(problem)
    process = job._process
    del job
    gc.collect()
    process.join(timeout=10)
    assert not process.is_alive() and process.exitcode == -signal.SIGKILL


def test_a_bug_in_a_fit_reaches_the_page_as_its_message(problem):
    """Anything but a PayoffError in the fit process came back as "exit code 1. Run it again"."""
    from dataclasses import replace

    broken = replace(problem, framing=None)  # a bug's stand-in: the run reads problem.framing.kind
    with pytest.raises(PayoffError) as caught:
        FitJob(broken).wait()
    assert str(caught.value) == (
        "The fit failed on an error in Payoff (AttributeError: 'NoneType' object has no attribute 'kind'). "
        "This is a bug, not something in your choices; the details are in the server log. Try other models on "
        "the Problem page, or send the file to whoever runs Payoff."
    )


def test_the_bug_s_traceback_goes_to_the_server_log(problem, caplog):
    from dataclasses import replace

    from payoff.jobs import _answers

    [answer] = _answers(replace(problem, framing=None), None, lambda message, share: None)
    assert answer[:2] == ("error", "AttributeError") and "no attribute 'kind'" in answer[2]
    [record] = [r for r in caplog.records if r.name == "payoff.jobs"]
    assert record.levelname == "ERROR" and record.exc_info is not None
    assert "call_centre.csv" in record.getMessage()
