"""What serve.py adds to Streamlit's server, against a real `streamlit run serve.py` and Chromium
(issue 18): the security headers on every kind of response, the metrics endpoint off, the app
running whole under its Content-Security-Policy (no violation on any page, charts included), and
another site unable to frame it."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import expected_headline, goto, run_sample_to_headline, wait_idle


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()


def test_every_kind_of_response_carries_the_security_headers(server: str):
    status, _, index = _get(f"{server}/")
    script = re.search(r'src="\./(static/js/[^"]+\.js)"', index)
    assert status == 200 and script is not None
    for path in ("", "impact", "_stcore/health", "_stcore/host-config", script.group(1), "no-such-page"):
        status, headers, _ = _get(f"{server}/{path}")
        assert status == 200, path
        assert headers["x-frame-options"] == "SAMEORIGIN", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'self'" in policy and "default-src 'self'" in policy, path
        assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)", policy), policy


def test_the_metrics_endpoint_is_off(server: str):
    status, headers, body = _get(f"{server}/_stcore/metrics")
    assert (status, body) == (404, "Not found\n")
    assert headers["x-content-type-options"] == "nosniff"


@pytest.fixture
def watched(browser: Browser, server: str):
    """A page whose console messages are kept."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    yield page, messages
    context.close()


def test_every_page_runs_under_the_policy(watched: tuple[Page, list[str]], server: str):
    page, messages = watched
    money = expected_headline("retail_sales")
    run_sample_to_headline(page, server, "Café chain: daily sales", "money saved", money)  # models, impact: charts
    for path in ("decisions", "data", "problem", "models"):
        page.get_by_role("link", name=path.capitalize()).last.click()
        expect(page.get_by_role("heading", name=path.capitalize()).first).to_be_visible()
        wait_idle(page)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(money)  # the Models page, drawn whole
    goto(page, server, "saved")
    blocked = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert blocked == [], blocked


def test_another_site_cannot_frame_the_app(watched: tuple[Page, list[str]], server: str):
    page, _ = watched
    with page.expect_console_message(lambda m: "frame-ancestors 'self'" in m.text, timeout=30_000):
        page.set_content(f'<iframe id="payoff" src="{server}/" width="800" height="600"></iframe>')  # opaque origin
    frame = page.frame_locator("#payoff")
    expect(frame.locator('[data-testid="stApp"]')).to_have_count(0)
    goto(page, server)  # the app itself still opens at the top level
    expect(page.get_by_role("heading", name="Payoff").first).to_be_visible()
