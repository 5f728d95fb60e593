"""A few heavy tasks shared between this process and one forked copy of it.

A run's global models (the boosted trees above all) are most of a small file's fit, and each is
fitted in one thread: on a machine with a core to spare, a second process halves the wait for
the headline. The copy is forked, so it starts in milliseconds with the data already in memory
(nothing is pickled on the way in); each process takes the next task from a shared counter when
it is free, so the two stay balanced whatever the tasks cost. What the copy sends back is pickled
with the objects both already hold (the features, the panel) left out and put back here, by
identity.

The numbers never depend on this: every task runs with one thread, in either process, the same
code on the same data. A task the copy did not deliver (it failed, was killed, or hit a bug) is
run again here, so a bug raises here with its own traceback, as it would without the copy."""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import pickle
import queue
import signal
import threading
import traceback
import warnings
from collections.abc import Callable, Sequence
from multiprocessing import get_context
from multiprocessing.connection import Connection, Pipe
from typing import Any, TypeVar

from threadpoolctl import threadpool_limits

Task = TypeVar("Task")
Result = TypeVar("Result")
Done = Callable[[int, Any], None]

_PR_SET_PDEATHSIG = 1


_REFUSALS: list[Callable[[], bool]] = []


def refuse_when(refused: Callable[[], bool]) -> None:
    """Never fork while `refused()` says so. The app registers "this thread runs a page": a web
    server's threads serve other users' pages, and a copy of it must not exist (its fits run in
    processes of their own, which may share)."""
    _REFUSALS.append(refused)


def spare_core() -> bool:
    """Whether this process may run on two cores and can fork, here and now."""
    if not hasattr(os, "fork") or any(refused() for refused in _REFUSALS):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except AttributeError:  # not Linux
        return (os.cpu_count() or 1) >= 2


def side_by_side(
    tasks: Sequence[Task],
    work: Callable[[Task], Result],
    shared: Sequence[object] = (),
    done: Done | None = None,
) -> list[Result]:
    """`work` over `tasks` in this process and a forked copy, results in the tasks' order.
    `shared` are objects the results may refer to and this process already holds: they are not
    sent back, the results refer to these very objects. `done(i, result)` is called here as each
    task's result lands, whichever process ran it. Put the costliest tasks first."""
    if len(tasks) < 2 or not spare_core():
        return in_turn(tasks, work, done)
    counter = get_context("fork").Value("q", 0)
    receiving, sending = Pipe(duplex=False)
    parent, pid = os.getpid(), 0
    reader: threading.Thread | None = None
    results: dict[int, Any] = {}
    try:
        with threadpool_limits(1), warnings.catch_warnings():
            # Python 3.12 warns on forking a process with threads (a server's, a queue's): the copy
            # only runs the tasks and leaves with os._exit, never touching what those threads hold.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the copy
            receiving.close()
            _copy(tasks, work, shared, counter, sending, parent)
        sending.close()
        # A thread reads what the copy sends as it comes: a pipe holds 64 KiB and a fitted model is
        # hundreds of kilobytes, so the copy would otherwise wait for this process's task to end.
        arrived: queue.Queue[bytes | None] = queue.Queue()
        reader = threading.Thread(target=_read, args=(receiving, arrived), name="payoff-side-by-side", daemon=True)
        reader.start()
        with threadpool_limits(1):
            while (i := _take(counter, pid)) < len(tasks):
                results[i] = work(tasks[i])
                if done:
                    done(i, results[i])
                _collect(arrived, shared, results, done, wait=False)
            _collect(arrived, shared, results, done, wait=True)
    except BaseException:  # a bug here, or an interrupt: the copy's work is of no use now
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        raise
    finally:
        if pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        # The copy has left (or was killed), so the reader meets the pipe's end and stops: only then
        # is its end closed. Closed under a reader still in recv, the reader raised in its thread
        # (a test failed so on a busy machine, once in hundreds of runs).
        if reader is not None:
            reader.join(timeout=10.0)
        if reader is None or not reader.is_alive():
            receiving.close()
    with threadpool_limits(1):  # one thread, as the copy would have run it: the same digits
        for i, task in enumerate(tasks):  # what the copy took and did not deliver
            if i not in results:
                results[i] = work(task)
                if done:
                    done(i, results[i])
    return [results[i] for i in range(len(tasks))]


def in_turn(tasks: Sequence[Task], work: Callable[[Task], Result], done: Done | None = None) -> list[Result]:
    """`work` over `tasks` here, one after the other, calling `done` as each ends."""
    results = []
    for i, task in enumerate(tasks):
        results.append(work(task))
        if done:
            done(i, results[-1])
    return results


def _take(counter: Any, other: int) -> int:
    """The next task's number. The lock is waited for a second at a time: if the other process
    was killed holding it, it would never be released, and then nobody else takes tasks."""
    lock = counter.get_lock()
    while not lock.acquire(timeout=1.0):
        if not _alive(other):
            return _next(counter)
    try:
        return _next(counter)
    finally:
        lock.release()


def _next(counter: Any) -> int:
    i = int(counter.value)
    counter.value = i + 1
    return i


def _alive(pid: int) -> bool:
    """Whether `pid` (this process's child, or its parent) is still running."""
    if pid == os.getppid():
        return True  # the copy's parent: if it ended, the copy has been ended with it
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return False


def _copy(
    tasks: Sequence[Any],
    work: Callable[[Any], Any],
    shared: Sequence[object],
    counter: Any,
    sending: Connection,
    parent: int,
) -> None:
    """In the forked copy: take tasks until none is left, send each result, leave. Never returns."""
    code = 0
    try:
        _die_with(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends this
        with threadpool_limits(1):
            while (i := _take(counter, parent)) < len(tasks):
                sending.send_bytes(_pack((i, work(tasks[i])), shared))
    except BaseException:  # the task is run again by the parent, which raises it there
        traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(OSError):
            sending.close()
        os._exit(code)


def _die_with(parent: int) -> None:
    """End the copy when its parent ends (killed by a time budget or a Cancel): nobody would read
    what it sends. Linux only; elsewhere a write to the closed pipe ends it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request took hold
        os._exit(1)


def _read(receiving: Connection, arrived: queue.Queue[bytes | None]) -> None:
    """In a thread: each message from the copy as it comes, then None once it has left (having
    ended, been killed, or died half-way through a message)."""
    try:
        while True:
            arrived.put(receiving.recv_bytes())
    except (EOFError, OSError):
        arrived.put(None)


def _collect(
    arrived: queue.Queue[bytes | None], shared: Sequence[object], results: dict[int, Any], done: Done | None, wait: bool
) -> None:
    """Results the copy has sent: those here now, or (`wait`) all until it has left."""
    while True:
        try:
            message = arrived.get() if wait else arrived.get_nowait()
        except queue.Empty:
            return
        if message is None:
            arrived.put(None)  # for a later look
            return
        i, result = _unpack(message, shared)
        results[i] = result
        if done:
            done(i, result)


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, shared: Sequence[object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = {id(obj): k for k, obj in enumerate(shared)}

    def persistent_id(self, obj: Any) -> int | None:
        return self.shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, shared: Sequence[object]) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: Any) -> object:
        return self.shared[int(pid)]


def _pack(value: Any, shared: Sequence[object]) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, shared).dump(value)
    return buffer.getvalue()


def _unpack(data: bytes, shared: Sequence[object]) -> Any:
    return _Unpickler(io.BytesIO(data), shared).load()
