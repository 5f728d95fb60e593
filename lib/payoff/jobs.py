"""Fits run in a child process, owned by the session that asked for them.

Why a process and not the page's own thread:
- a fit past its time budget (PAYOFF_FIT_SECONDS) can be stopped; a thread cannot be;
- a fit's memory goes back to the system when it ends, so the server stays flat as people come
  and go, and one user's big fit cannot leave the server bloated for everyone;
- a second click on Run, or a page run interrupted by a dropped connection, finds the job already
  running and waits on it instead of starting another.

Children come from a fork server that has imported Payoff once, so a job starts in a fraction of
a second; the problem goes to the child pickled, the analysis comes back as `serial` bytes."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue
import select
import sys
import threading
import time
import types
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from payoff.errors import PayoffError
from payoff.runtime.settings import FIT_SECONDS, Settings

if TYPE_CHECKING:
    from payoff.analysis import Analysis
    from payoff.problem import Problem
    from payoff.runtime.compute import Compute

FIT_NICENESS = 10
LOG = logging.getLogger(__name__)


class FitStopped(PayoffError):
    """The fit passed its time budget, or its process ended without an answer."""

    kind = "fit_stopped"


class FitCancelled(FitStopped):
    """The user pressed Cancel."""

    kind = "fit_cancelled"


def fit_budget() -> float:
    return Settings.from_env().fit_seconds


def _context() -> Any:
    # OpenMP threads that spin while waiting (gradient boosting's) turned two fits sharing two cores
    # from 10 s each into minutes; waiting passively they share the cores as they should. Set
    # before the fork server starts, so every child reads it when the runtime loads.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    context = multiprocessing.get_context("forkserver")
    # statsmodels too: the explanations' first import of it took half a second in every fit.
    context.set_forkserver_preload(
        ["payoff.analysis", "payoff.carry.serial", "payoff.carry.results", "statsmodels.api"]
    )
    return context


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _no_main_to_rerun() -> Iterator[None]:
    """While a fit process starts, `__main__` is an empty module. multiprocessing re-runs the
    parent's `__main__` file in the fork server and in every child; under `streamlit run`, that
    is whichever page script is running (Streamlit makes it `__main__`), which then ran again
    outside Streamlit in each fit: the app's code, its warnings in the log, its time. Streamlit
    swaps `__main__` at every page run too; the lock keeps two starting fits from interleaving."""
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _settings() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key.startswith("PAYOFF_")}


def _fit(problem: Problem, compute: Compute | None, settings: dict[str, str], answers: Any, server_pid: int) -> None:
    """In the child: fit, report progress, send back the analysis or the user's error. The fork
    server's environment is the one it started with: the server's settings now are laid over it."""
    _end_with_server(server_pid)
    for key in [k for k in os.environ if k.startswith("PAYOFF_")]:
        del os.environ[key]
    os.environ.update(settings)
    # Below the server's own priority: pages keep answering while fits share what is left.
    os.nice(FIT_NICENESS)
    # One OpenMP thread per fit. Gradient boosting opens thousands of tiny parallel regions; with
    # passive waiting (which keeps concurrent fits from starving each other) every region wakes
    # sleeping threads, and a fit took 19 s instead of 1.8 s. Two threads bought nothing measurable
    # even alone (1.8 s against 1.6 s on the café sample): parallelism is across fits and workers.
    # BLAS too: with its two threads left, the fraud sample's Run-to-headline went from 5.6 s to 6.7 s.
    threadpool_limits(1)

    def progress(message: str, share: float) -> None:
        answers.put(("progress", message, share))

    for answer in _answers(problem, compute, progress):
        answers.put(answer)


def _answers(problem: Problem, compute: Compute | None, progress: Any) -> Iterator[tuple[Any, ...]]:
    """The fit's answers, in two parts: the analysis as soon as its money is priced (the page
    shows the headline then), and its explanations with the run's summary once worked out. Or
    what went wrong, in words for the page: a user's error is sent as it is; anything else is a
    bug, whose traceback goes to the server log (standard error) and whose own message goes to
    the page, never only an exit code."""
    from payoff.analysis import run_priced
    from payoff.carry import serial
    from payoff.carry.results import to_json
    from payoff.carry.sensitivity import sensitivity

    try:
        priced, explained = run_priced(problem, progress, compute)
        yield ("priced", serial.to_bytes(priced))
        analysis = explained(False)  # in one process: the page draws the headline meanwhile
        progress("writing the summary", 1.0)
        # The JSON summary (with its sensitivity sweep) is built here too: the server's own
        # process only unpacks the answer, so it stays free for everyone else's pages. The sweeps
        # go back with it, for the Impact page and the report to show without working them out.
        sweeps = sensitivity(analysis)
        yield ("done", analysis.predictions.explanations, to_json(analysis), sweeps)
    except PayoffError as error:
        yield ("error", type(error).__name__, str(error))
    except Exception as error:  # a bug: said on the page, its traceback in the log
        LOG.exception("A fit failed (on %s)", problem.source or "a file")
        yield ("error", type(error).__name__, failed(error))


def failed(error: BaseException) -> str:
    """One line for a fit that failed on a bug: what failed, and what the user can still do."""
    said = " ".join(str(error).split())
    said = said if len(said) <= 300 else said[:297] + "..."
    return (
        f"The fit failed on an error in Payoff ({type(error).__name__}: {said or 'no message'}). This is a bug, "
        "not something in your choices; the details are in the server log. Try other models on the Problem "
        "page, or send the file to whoever runs Payoff."
    )


def _end_with_server(server_pid: int) -> None:
    """In the child: end when the Payoff server that asked for this fit ends, even by SIGKILL,
    since nobody will read the answer. Not left to the fork server: every child it starts holds
    its lifeline open (so it could start processes of its own), so it and the fits kept each
    other alive after their server was killed, running minutes of CPU for no one."""

    def watch() -> None:
        try:
            handle = os.pidfd_open(server_pid)  # readable when the server ends
            select.select([handle], [], [])
        except (AttributeError, OSError):  # no pidfd (not Linux 5.3+): ask every second
            while _alive(server_pid):
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="payoff-server-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill(process: Any) -> None:
    if process.is_alive():
        process.kill()
        process.join(timeout=5)


def _give_back_memory() -> None:
    """Hand the heap's free pages back to the system (glibc keeps them otherwise): unpacking an
    answer leaves megabytes of freed buffers, and a long-running server should not keep them."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


_LIVE: weakref.WeakSet[FitJob] = weakref.WeakSet()


@atexit.register
def _stop_live_jobs() -> None:
    """At exit, stop fits still running (registered after multiprocessing's own exit hook, so it
    runs first: that hook would otherwise wait for every child to finish)."""
    for job in list(_LIVE):
        job.cancel()


@dataclass
class Status:
    message: str
    share: float
    done: bool


class FitJob:
    def __init__(self, problem: Problem, compute: Compute | None = None, budget_s: float | None = None) -> None:
        self.budget_s = fit_budget() if budget_s is None else budget_s
        context = _context()
        self._answers = context.Queue()
        # Not a daemon: a daemonic process may not start its own (scikit-learn's random forest runs its
        # trees in loky processes, and fell back to one core).
        self._process = context.Process(target=_fit, args=(problem, compute, _settings(), self._answers, os.getpid()))
        with _no_main_to_rerun():
            self._process.start()
        _LIVE.add(self)
        # A job nobody holds any more (its session was closed and dropped) stops its process: the
        # answer would never be read, and the child sat blocked writing it, holding its memory and
        # keeping the server from exiting (multiprocessing joins its children at exit).
        self._stop = weakref.finalize(self, _kill, self._process)
        self.started = time.monotonic()
        self.status = Status("Starting", 0.0, False)
        self.result: Analysis | None = None
        # The analysis as soon as its money is priced, before its explanations are worked out.
        self.priced: Analysis | None = None
        self.summary: dict[str, Any] | None = None  # what `payoff analyze` prints for it
        self.error: PayoffError | None = None

    @property
    def running(self) -> bool:
        return not self.status.done

    def poll(self, wait_s: float = 0.0) -> Status:
        """Take what the child has said (waiting up to `wait_s` for the first word); stop it past
        its budget; notice if it died without an answer."""
        if self.status.done:
            return self.status
        deadline = time.monotonic() + wait_s
        while True:
            try:
                answer = self._answers.get(timeout=max(0.0, deadline - time.monotonic()) if wait_s else 0.001)
            except queue.Empty:
                break
            self._take(answer)
            if self.status.done:
                return self.status
            wait_s = 0.0  # after the first word, only what is already there
        elapsed = time.monotonic() - self.started
        if elapsed > self.budget_s:
            self.cancel()
            self._finish(
                error=FitStopped(
                    f"The fit was stopped after {self.budget_s:,.0f} s, the time budget ({FIT_SECONDS}). Fit "
                    "fewer models (the Problem page), a shorter history or fewer series, or ask whoever runs "
                    "Payoff to raise the budget."
                )
            )
        elif not self._process.is_alive() and self._answers.empty():
            code = self._process.exitcode
            why = " (killed: the system may have run out of memory)" if code is not None and code < 0 else ""
            self._finish(error=FitStopped(f"The fit ended without an answer, exit code {code}{why}. Run it again."))
        return self.status

    def _take(self, answer: tuple[Any, ...]) -> None:
        kind = answer[0]
        if kind == "progress":
            self.status = Status(str(answer[1]), float(answer[2]), False)
        elif kind == "priced":
            from payoff.carry import serial

            self.priced = serial.from_bytes(answer[1])
        elif kind == "done":
            from payoff.analysis import with_explanations

            if self.priced is None:  # cannot happen: the money is always sent first
                self._finish(error=PayoffError("The fit's answer came without its money. Run it again."))
                return
            from payoff.carry.sensitivity import remember

            self.summary = answer[2]
            result = with_explanations(self.priced, tuple(answer[1]))
            remember(result, answer[3])
            self._finish(result=result)
        else:
            self._finish(error=PayoffError(str(answer[2])))

    def _finish(self, result: Analysis | None = None, error: PayoffError | None = None) -> None:
        self.result, self.error = result, error
        self.status = Status("done" if result is not None else "stopped", 1.0, True)
        self._process.join(timeout=5)
        _give_back_memory()

    def cancel(self) -> None:
        self._stop()

    def stop(self) -> None:
        """The user cancelled: the fit's process ends now (its memory with it) and the job says so."""
        if self.status.done:
            return
        self.cancel()
        self._finish(error=FitCancelled("You cancelled the run; nothing changed. Press 'Run models' to start again."))

    @property
    def pid(self) -> int | None:
        """The fit's process id (the browser tests check it is gone after Cancel)."""
        return self._process.pid

    def wait(self, on_progress: Any = None, tick_s: float = 0.25, priced: bool = False) -> Analysis:
        """Block until the job ends (what the CLI does), passing progress on; with `priced`, only
        until the money is priced (what the page does: the headline shows while the explanations
        are worked out), returning the analysis so far."""
        while True:
            status = self.poll(wait_s=tick_s)
            if status.done or (priced and self.priced is not None):
                break
            if on_progress is not None:
                on_progress(status.message, status.share)
        if priced and self.priced is not None:  # the money stands, whatever became of the explanations
            return self.result or self.priced
        if self.error is not None:
            raise self.error
        analysis = self.result or self.priced
        assert analysis is not None
        return analysis
