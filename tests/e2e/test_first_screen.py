"""The answer on one screen, in real Chromium at 1280x720, on every sample: the headline (with its
currency and interval) and its sentence sit inside the first viewport of the Impact page; no text
on the page shows a raw parameter key; no request leaves the server; a screenshot of every page
is kept under test-artifacts/screens/ to be looked at. Cancel ends the fit's process."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from payoff.framings import catalogue
from payoff.runtime import samples
from tests.e2e.conftest import start_sample, to_the_impact_page, wait_idle

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
LAPTOP = {"width": 1280, "height": 720}
TABS = ("Compare models", "What if our costs are wrong?", "Where the gain comes from", "Why the models decide this way")
RAW_KEYS = {p.key for f in catalogue.FRAMINGS.values() for p in f.params if "_" in p.key} | {
    "fill_rate",
    "stockout_units",
    "average_stock",
}


def _inside_first_screen(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"]


def _shoot(page: Page, folder: Path, name: str) -> None:
    """The whole page: Streamlit scrolls its main block, so the viewport is made as tall as it."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": LAPTOP["width"], "height": max(LAPTOP["height"], int(height) + 50)})
    page.screenshot(path=str(folder / f"{name}.png"))
    page.set_viewport_size(LAPTOP)


@pytest.mark.parametrize("sample", samples.SAMPLES, ids=[s.name for s in samples.SAMPLES])
def test_the_answer_is_on_the_first_screen_of_every_sample(browser: Browser, server: str, sample):
    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))
    page = context.new_page()
    page.set_default_timeout(180_000)
    folder = ARTIFACTS / sample.name
    folder.mkdir(parents=True, exist_ok=True)
    try:
        start_sample(page, server, sample.title)
        expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=180_000)  # the fit
        wait_idle(page)
        _shoot(page, folder, "models")
        to_the_impact_page(page)
        headline = page.get_by_test_id("stMetric").first
        value = page.get_by_test_id("stMetricValue").first
        expect(value).to_have_text(re.compile(r"^(-?\$[\d,]+|no gain)$"))  # the currency of the browser's region
        expect(page.get_by_test_id("stMetricDelta").first).to_contain_text("90% interval $")
        sentence = page.get_by_text(re.compile(r"^Over (the last|your) ")).first
        page.screenshot(path=str(folder / "impact-first-screen.png"))  # before the checks: to see a failure
        assert _inside_first_screen(page, headline) and _inside_first_screen(page, sentence)
        onward = page.get_by_role("link", name=re.compile(r"^Next: "))
        assert _inside_first_screen(page, onward)
        # its words whole in the quarter of the screen it sits in ("Next: which payments to re" was cut)
        words = onward.locator("p").first
        assert words.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), onward.inner_text()
        text = page.locator("body").inner_text()
        for name in TABS:
            page.get_by_role("tab", name=name).click()
            wait_idle(page)
            text += page.locator("body").inner_text()
        _shoot(page, folder, "impact")
        page.get_by_test_id("stSidebar").get_by_role("link", name="Decisions").click()
        expect(page.get_by_role("heading", name="Decisions")).to_be_visible()
        wait_idle(page)
        text += page.locator("body").inner_text()
        _shoot(page, folder, "decisions")
        for name in ("Home", "Data", "Problem", "Saved"):
            page.get_by_test_id("stSidebar").get_by_role("link", name=name).click()
            expect(page.get_by_role("heading", name="Payoff" if name == "Home" else name).first).to_be_visible()
            wait_idle(page)
            _shoot(page, folder, name.lower())
        header = samples.sample_bytes(sample.name).split(b"\n", 1)[0].decode()
        columns = set(header.strip().split(","))
        for key in RAW_KEYS:  # a key that is also the file's column may be named, in quotes, as the column
            unquoted = rf"(?<!')\b{key}\b(?!')" if key in columns else rf"\b{key}\b"
            assert not re.search(unquoted, text), key
        assert "None" not in re.findall(r"\bNone\b", text)
        assert outside == [], outside[:5]
    finally:
        context.close()


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().split(") ")[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid:
                found.add(int(entry.name))
    return found


def _fit_pids(server_pid: int) -> set[int]:
    """The fits running for the server: the children of its fork server (itself a child of the server)."""
    return {fit for child in _children(server_pid) for fit in _children(child)}


def _gone(pid: int, within_s: float = 20.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}"):
            return True
        time.sleep(0.1)  # polling a process table with a deadline, not waiting on the page
    return False


def test_cancel_ends_the_fit_process(browser: Browser, tmp_path: Path):
    from tests.e2e.conftest import streamlit_process

    with streamlit_process(tmp_path / "analyses.sqlite") as (server, process):
        page = browser.new_context(viewport=LAPTOP).new_page()
        page.set_default_timeout(120_000)
        start_sample(page, server, "Card payments: fraud")  # the longest fit of the samples
        cancel = page.get_by_role("button", name="Cancel the run")
        expect(cancel).to_be_visible()
        expect(page.get_by_test_id("stProgress")).to_be_visible()
        fits = _fit_pids(process.pid)
        assert fits, "no fit process under the server"
        cancel.click()
        expect(page.get_by_text("You cancelled the run; nothing changed.")).to_be_visible()
        wait_idle(page)
        assert all(_gone(pid) for pid in fits), fits  # killed by Cancel, not left to finish
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        page.context.close()
