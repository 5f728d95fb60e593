"""A cost change in the browser: how long from typing a new unit cost on the Impact page to the
new headline on screen, in headless Chromium against a real `streamlit run` server, on the
oracle workload's 500 series (median of 20 changes).

The analysis is fitted once here, saved to a fresh database, and opened by its link, so the
figure is the re-pricing and the redraw, not the fit."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

CHANGES = 20


def main() -> None:
    from playwright.sync_api import expect, sync_playwright

    from payoff.analysis import run_analysis
    from payoff.carry.results import to_json
    from payoff.carry.store import Store
    from payoff.data.roles import Role, RoleMap, Shape
    from payoff.problem import make_problem
    from tests.bench.oracle import PRICE, UNIT_COST, truth
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_idle

    frame, _ = truth(500)
    roles = RoleMap(
        {"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET, "promo": Role.FEATURE}, Shape.TIME_SERIES
    )
    problem = make_problem(frame, roles, "perishable", params={"price": PRICE, "unit_cost": UNIT_COST}, horizon=28)
    analysis = run_analysis(problem)
    folder = Path(tempfile.mkdtemp())
    database = folder / "analyses.sqlite"
    store = Store(database)
    token = store.get(store.save("500 series", analysis, to_json(analysis))).token
    timings = []
    with streamlit_server(database) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{url}/impact?analysis={token}")
        headline = page.get_by_test_id("stMetricValue").first
        expect(headline).to_be_visible(timeout=120_000)
        wait_idle(page)
        box = page.get_by_role("spinbutton", name="Unit cost (per unit)").first
        for i in range(CHANGES):
            before = headline.inner_text()
            box.fill(f"{UNIT_COST + 0.05 * (i + 1):.2f}")
            tick = time.perf_counter()
            box.press("Enter")
            expect(headline).not_to_have_text(before, timeout=60_000)
            timings.append(time.perf_counter() - tick)
        browser.close()
    print(
        json.dumps(
            {
                "series": 500,
                "changes": CHANGES,
                "headline_median_s": statistics.median(timings),
                "headline_max_s": max(timings),
            }
        )
    )


if __name__ == "__main__":
    main()
