"""The stakeholder report opened in real Chromium, offline: every chart's text (tick labels, axis
titles, bar labels, legends) lies inside its chart's box, so no model or assumption name is cut
and no axis title sits on the ticks; the amounts carry the analysis's currency."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from payoff.analysis import Analysis
from payoff.carry.report import build_report
from tests.helpers import sample_analysis

OUTSIDE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.main-svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    for (const text of svg.parentElement.querySelectorAll('text')) {
      const t = text.getBoundingClientRect();
      if (t.width === 0 || !text.textContent.trim()) continue;
      if (t.left < box.left - 1 || t.right > box.right + 1 || t.top < box.top - 1 || t.bottom > box.bottom + 1) {
        out.push(text.textContent);
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize(("sample", "framing"), [("retail_sales", "perishable"), ("loans", "credit")])
def test_no_chart_text_lies_outside_its_chart(browser: Browser, tmp_path: Path, sample: str, framing: str):
    analysis = sample_analysis(sample, framing)
    analysis = Analysis(replace(analysis.problem, currency="$"), analysis.predictions, analysis.impact)
    from payoff.analysis import rebased

    analysis = rebased(analysis, dict(analysis.values))
    path = tmp_path / "report.html"
    path.write_text(build_report(analysis), encoding="utf-8")
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector("svg.main-svg")
        assert page.locator("svg.main-svg").count() >= 4  # the answer, the gains, the tornado, the segments
        assert page.evaluate(OUTSIDE) == []
        assert "$" in page.locator(".headline").inner_text()
    finally:
        context.close()
