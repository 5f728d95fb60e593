"""What Payoff adds to Streamlit's web server (serve.py starts app.py through ``st.App``, whose
``middleware`` and ``lifespan`` are Streamlit's public way to do this; Streamlit has no setting for
response headers):

- security headers on every HTTP response: the page may be framed by its own origin only
  (``X-Frame-Options`` and CSP ``frame-ancestors``), a Content-Security-Policy that lets Streamlit's
  own bundle run and nothing else (no other origin, no inline script but the one line of
  Streamlit's index.html, allowed by its hash), ``X-Content-Type-Options: nosniff`` and a
  same-origin referrer;
- the metrics endpoint off: ``/_stcore/metrics`` answers 404 (it tells anyone who asks how many
  sessions are open and what the caches hold);
- the sessions of closed tabs really ended (payoff.ui.sessions).

A reverse proxy in front can set the same headers (docs/operations.md); these hold without one."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit
from starlette.middleware import Middleware

from payoff.ui import sessions

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

METRICS = "/_stcore/metrics"


def _inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts in Streamlit's own index.html (one line today)."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    try:
        text = index.read_text(encoding="utf-8")
    except OSError:
        return []
    found = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in found]


def content_security_policy() -> str:
    scripts = " ".join(["'self'", *_inline_script_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # Streamlit's components style themselves inline
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "frame-ancestors 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def security_headers() -> list[tuple[bytes, bytes]]:
    headers = {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "SAMEORIGIN",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (replacing any of the same
    name), and 404 for the metrics endpoint."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers()
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if str(scope.get("path", "")).rstrip("/").endswith(METRICS):
            await self._not_found(send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in self.names]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _not_found(self, send: Send) -> None:
        body = b"Not found\n"
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": headers + self.headers})
        await send({"type": "http.response.body", "body": body})


def middleware() -> list[Middleware]:
    return [Middleware(SecurityHeaders)]


@asynccontextmanager
async def lifespan(app: object) -> AsyncIterator[None]:
    """While the server runs, closed tabs' sessions are ended (payoff.ui.sessions)."""
    task = asyncio.create_task(sessions.end_closed_sessions(), name="payoff.end_closed_sessions")
    try:
        yield
    finally:
        task.cancel()
