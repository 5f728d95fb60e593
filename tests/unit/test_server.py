"""What serve.py adds to Streamlit's server, without a server (issue 18): the security headers on
every HTTP response, the metrics endpoint answering 404, websockets untouched; and the ending of
closed tabs' sessions (when, and that it empties what they held). The browser tests
(tests/e2e/test_server_hardening.py, test_memory.py) hold the same against a running server."""

import asyncio

import pytest

from payoff.ui import server, sessions


def serve(path: str, kind: str = "http", headers: list[tuple[bytes, bytes]] | None = None):
    """What the middleware sends for one request to an app that answers 200 with `headers`."""
    calls: list[str] = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": list(headers or [])})
            await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {}

    asyncio.run(server.SecurityHeaders(app)({"type": kind, "path": path}, receive, send))
    return calls, sent


def test_every_http_response_gets_the_headers_and_replaces_its_own():
    calls, sent = serve("/impact", headers=[(b"X-Frame-Options", b"ALLOWALL"), (b"content-type", b"text/html")])
    headers = dict(sent[0]["headers"])
    assert calls == ["/impact"] and sent[1]["body"] == b"ok"
    assert headers[b"x-frame-options"] == b"SAMEORIGIN" and b"X-Frame-Options" not in headers
    assert headers[b"x-content-type-options"] == b"nosniff" and headers[b"content-type"] == b"text/html"
    assert headers[b"referrer-policy"] == b"same-origin"
    policy = headers[b"content-security-policy"].decode()
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "/payoff/_stcore/metrics"])
def test_the_metrics_endpoint_answers_404_without_reaching_streamlit(path):
    calls, sent = serve(path)
    assert calls == [] and sent[0]["status"] == 404 and sent[1]["body"] == b"Not found\n"
    assert dict(sent[0]["headers"])[b"x-content-type-options"] == b"nosniff"


def test_a_websocket_passes_untouched():
    calls, sent = serve("/_stcore/stream", kind="websocket")
    assert calls == ["/_stcore/stream"] and sent == []


def test_the_inline_script_hash_is_that_of_streamlits_index_page():
    """One inline script today (`window.prerenderReady = false`); its hash, computed here the same
    way the browser does, is the one the policy allows."""
    import base64
    import hashlib
    import re
    from pathlib import Path

    import streamlit

    text = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    [script] = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert server._inline_script_hashes() == [f"'sha256-{digest}'"]


@pytest.mark.parametrize(("ttl", "tick", "grace"), [(120, 10, 90), (10, 2, 4), (2, 0.5, 0.5)])
def test_a_closed_session_is_ended_before_streamlit_forgets_it(ttl, tick, grace):
    assert sessions.timing(ttl) == (tick, grace)
    assert grace + 2 * tick < ttl  # noticed within a tick, ended within another: still in Streamlit's storage


class FakeRuntime:
    def __init__(self):
        self.active: set[str] = set()
        self.closed: list[str] = []

    def is_active_session(self, session_id):
        return session_id in self.active

    def close_session(self, session_id):
        self.closed.append(session_id)


class FakeState(dict):
    @property
    def filtered_state(self):
        return dict(self)


def test_a_session_without_a_browser_for_the_grace_is_ended_and_emptied(monkeypatch):
    fake = FakeRuntime()
    monkeypatch.setattr(sessions.runtime, "get_instance", lambda: fake)
    states = {name: FakeState({"payoff.dataset": b"x" * 1000, "w.upload": "file"}) for name in ("open", "closed")}
    monkeypatch.setattr(sessions, "_SEEN", {name: sessions._Seen(state) for name, state in states.items()})
    fake.active = {"open", "closed"}
    assert sessions.sweep(now=0, grace=4) == 0
    fake.active = {"open"}  # a tab closed
    assert sessions.sweep(now=1, grace=4) == 0  # noticed
    assert sessions.sweep(now=4.9, grace=4) == 0
    fake.active = {"open", "closed"}  # it came back (a dropped connection, a reconnect)
    assert sessions.sweep(now=6, grace=4) == 0
    fake.active = {"open"}
    assert [sessions.sweep(now=t, grace=4) for t in (7, 10, 11)] == [0, 0, 1]
    assert fake.closed == ["closed"] and states["closed"] == {} and list(sessions._SEEN) == ["open"]
    assert states["open"]["payoff.dataset"] == b"x" * 1000  # the other session keeps everything
