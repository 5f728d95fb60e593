"""From clicking Run models to the money headline on screen, per sample, in headless Chromium
against a real server (`serve.py`, as `make run` starts it). One JSON line of seconds per sample.

The server is warmed by one untimed run first: a long-running server has started its fork server
long before a user clicks, so the figure is what a user waits, not the server's first start."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path


def main() -> None:
    from playwright.sync_api import expect, sync_playwright

    from payoff.runtime import samples
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, goto, streamlit_server, wait_idle

    def run_to_headline(page, server: str, title: str) -> float:
        goto(page, server)
        card = page.get_by_test_id("stVerticalBlock").filter(has_text=title).last
        card.get_by_role("button", name="Use this sample").click()
        expect(page.get_by_role("heading", name="Models")).to_be_visible(timeout=60_000)
        wait_idle(page)
        run = page.get_by_role("button", name="Run models")
        started = time.perf_counter()
        run.click()
        expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=300_000)
        return time.perf_counter() - started

    seconds: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        streamlit_server(Path(folder) / "analyses.sqlite") as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
        page = context.new_page()
        run_to_headline(page, server, samples.SAMPLES[0].title)  # warm-up, untimed
        for sample in samples.SAMPLES:
            seconds[f"{sample.name}_s"] = round(run_to_headline(page, server, sample.title), 3)
        browser.close()
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
