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
import signal
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


def spare_core() -> bool:
    """Whether this process may run on two cores and can fork."""
    if not hasattr(os, "fork"):
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
    parent = os.getpid()
    with threadpool_limits(1), warnings.catch_warnings():
        # Python 3.12 warns on forking a process with threads (a server's, a queue's): the copy
        # only runs the tasks and leaves with os._exit, never touching what those threads hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the copy
        receiving.close()
        _copy(tasks, work, shared, counter, sending, parent)
    sending.close()
    results: dict[int, Any] = {}
    try:
        with threadpool_limits(1):
            while (i := _take(counter)) < len(tasks):
                results[i] = work(tasks[i])
                if done:
                    done(i, results[i])
                _collect(receiving, shared, results, done, wait=False)
            _collect(receiving, shared, results, done, wait=True)
    except BaseException:  # a bug here, or an interrupt: the copy's work is of no use now
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        receiving.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
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


def _take(counter: Any) -> int:
    with counter.get_lock():
        i = int(counter.value)
        counter.value = i + 1
    return i


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
        with threadpool_limits(1):
            while (i := _take(counter)) < len(tasks):
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


def _collect(
    receiving: Connection, shared: Sequence[object], results: dict[int, Any], done: Done | None, wait: bool
) -> None:
    """Results the copy has sent: those ready now, or (`wait`) all until it has left."""
    while wait or receiving.poll():
        try:
            i, result = _unpack(receiving.recv_bytes(), shared)
        except EOFError:  # the copy has left
            return
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
