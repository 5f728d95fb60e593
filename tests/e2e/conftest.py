"""A real `streamlit run` server on loopback and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
# What a test expects after the app has run is given the same patience as the run itself: on a busy
# machine (a second `make test` beside this one) a rerun takes far longer than Playwright's 5 s.
expect.set_options(timeout=60_000)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def streamlit_server(database: Path) -> Iterator[str]:
    """A fresh `streamlit run app.py` on a free loopback port, stopped afterwards."""
    with streamlit_process(database) as (url, _):
        yield url


@contextmanager
def streamlit_process(database: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """The server's address and its process (to measure its memory, or kill it)."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "serve.py"),  # as `make run`: app.py with Payoff's headers and session ending
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PAYOFF_DB": str(database), **(env or {})}
    log_path = database.with_suffix(".log")  # a file, not a pipe nobody drains
    log = log_path.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                raise RuntimeError(f"streamlit did not start:\n{log_path.read_text()}") from None
            time.sleep(0.2)  # polling the health endpoint, not waiting for the page
    try:
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_server(tmp_path_factory.mktemp("db") / "analyses.sqlite") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}; `make test` installs it (apt chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")  # amounts in $
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_idle(page: Page) -> None:
    """Wait until the app has finished its current run (Streamlit's running indicator is gone)."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=120_000
    )


def goto(page: Page, server: str, path: str = "") -> None:
    page.goto(f"{server}/{path}")
    expect(page.locator('[data-testid="stApp"]')).to_be_visible()
    wait_idle(page)


BROWSER_CURRENCY = "$"  # the currency the app suggests for the tests' en-US browsers


def expected_headline(sample: str) -> str:
    """The headline the app must show for a sample at its defaults, computed by the library in
    this process: the same make_problem and run as the app and the CLI."""
    from payoff import formatting
    from payoff.analysis import run_analysis
    from payoff.data.load import read_table
    from payoff.data.roles import suggest_roles
    from payoff.problem import make_problem
    from payoff.runtime import samples

    chosen = samples.get_sample(sample)
    table = read_table(samples.sample_bytes(sample), chosen.filename)
    problem = make_problem(table.frame, suggest_roles(table.frame), chosen.framing)
    return formatting.money(run_analysis(problem).impact.recommended.gain, currency=BROWSER_CURRENCY)


def start_sample(page: Page, server: str, sample_title: str, double_click: bool = False) -> None:
    """Home -> a sample's card -> Run models (clicked twice in a row with `double_click`)."""
    goto(page, server)
    card = page.get_by_test_id("stVerticalBlock").filter(has_text=sample_title).last
    card.get_by_role("button", name="Use this sample").click()
    expect(page.get_by_role("heading", name="Models")).to_be_visible()
    wait_idle(page)
    run = page.get_by_role("button", name="Run models")
    if double_click:
        run.dblclick()
    else:
        run.click()


def to_the_impact_page(page: Page) -> None:
    """From the Models page after a run, once the run has ended: the app reruns when the
    explanations are in and the analysis is autosaved (its link then names it), and a link
    clicked as that rerun starts was undone, or found twice (the old one and the new one, the
    fresh-clone CI on fd8b9f4). So: the autosave said, the app idle, one link, then the click."""
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Autosaved (analysis", timeout=120_000)
    wait_idle(page)
    onward = page.get_by_role("link", name="Next: the money in detail, and what-if costs")
    expect(onward).to_have_count(1)
    onward.click()
    expect(page.get_by_role("heading", name="Impact")).to_be_visible()
    wait_idle(page)


def run_sample_to_headline(page: Page, server: str, sample_title: str, headline_words: str, money: str) -> None:
    """Home -> a sample's card -> Run models -> the headline, then on to the Impact page."""
    start_sample(page, server, sample_title)
    headline = page.get_by_test_id("stMetric").first
    expect(headline).to_contain_text(headline_words, timeout=180_000)
    expect(headline).to_contain_text(money)
    to_the_impact_page(page)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(money)
