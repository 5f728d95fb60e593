"""The sessions of closed tabs are ended, with what they hold: the uploaded file (Streamlit's copy
and the session's), the tables read from it, the analysis.

Streamlit keeps a session whose browser went away for ``server.disconnectedSessionTTL`` seconds
(two minutes), so that a reconnect finds it. When that time is up it stops offering the session
for a reconnect, but it never ends it: the session object stays referenced until some other session
disconnects, and the uploaded-file manager keeps the session's files for as long as the server runs
(a 200 MB upload held 1.6 GB after its tab closed, and the next file added to it). Even a session
Streamlit does end stays referenced by its server loop until another session sends something. So
Payoff ends such sessions itself, with Streamlit's own ``Runtime.close_session`` (which removes
the session's uploaded files and clears its caches) a little before Streamlit's time is up, empties
the session's state (whoever still holds the session then holds nothing big), and gives the freed
memory back to the system.

Every run of app.py calls :func:`look_after` with its session; :func:`end_closed_sessions` runs on
the server's event loop for as long as the server runs (serve.py starts it)."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from streamlit import config, runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx


@dataclass
class _Seen:
    state: Any  # the session's state, as its last run saw it
    since: float | None = None  # since when the session has had no browser (None: it has one)


_SEEN: dict[str, _Seen] = {}
_LOCK = threading.Lock()
_LOG = logging.getLogger("payoff.sessions")


def look_after() -> None:
    """Note this run's session, so that it is ended once its tab has been closed for good."""
    context = get_script_run_ctx()
    if context is not None:
        with _LOCK:
            seen = _SEEN.setdefault(context.session_id, _Seen(context.session_state))
            seen.state = context.session_state  # each run may wrap the same state anew


def timing(ttl: float) -> tuple[float, float]:
    """How often to look (seconds), and how long a session may go without a browser before it is
    ended: always before Streamlit's own `ttl`, so that Streamlit can still close it properly."""
    tick = max(0.5, min(10.0, ttl / 5))
    return tick, max(ttl - 3 * tick, 0.0)


def sweep(now: float, grace: float) -> int:
    """End the sessions without a browser for `grace` seconds; how many were ended. Runs on the
    server's event loop, as Runtime.close_session must."""
    server = runtime.get_instance()
    with _LOCK:
        seen = list(_SEEN.items())
    ended = 0
    for session_id, seen_as in seen:
        if server.is_active_session(session_id):
            seen_as.since = None
        elif seen_as.since is None:
            seen_as.since = now
        elif now - seen_as.since >= grace:
            server.close_session(session_id)
            with _LOCK:
                _SEEN.pop(session_id, None)
            _empty(seen_as.state)
            ended += 1
    return ended


def _empty(state: Any) -> None:
    """Drop every value of an ended session's state (it can never run again)."""
    for key in list(state.filtered_state):
        with suppress(KeyError):
            del state[key]


def release_memory() -> None:
    """Give memory freed by ended sessions back to the system: Python's cycles, Arrow's pool and
    the C allocator's free pages (glibc keeps them otherwise)."""
    gc.collect()
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    if name and sys.platform.startswith("linux"):
        libc = ctypes.CDLL(name)
        if hasattr(libc, "malloc_trim"):
            libc.malloc_trim(0)


async def end_closed_sessions() -> None:
    """Forever: end the sessions of closed tabs, then release the memory they held. A failure is
    logged and the next round goes on (the server must not lose this for good)."""
    tick, grace = timing(float(config.get_option("server.disconnectedSessionTTL")))
    while True:
        await asyncio.sleep(tick)
        try:
            if runtime.exists() and sweep(time.monotonic(), grace):
                await asyncio.to_thread(release_memory)
        except Exception:
            _LOG.exception("Ending the sessions of closed tabs failed; trying again in %s s", tick)
