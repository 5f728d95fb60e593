"""On the Problem page each problem shows beside the choice that fixes it (errors.ProblemItem)."""

from dataclasses import replace

from payoff.ui import state
from tests.app.conftest import load_sample, open_app


def _headings_and_errors(node, out):
    """The page's subheaders and error boxes, in the order they are shown."""
    for child in getattr(node, "children", {}).values():
        kind = getattr(child, "type", "")
        if kind in ("subheader", "error"):
            out.append((kind, str(child.value)))
        _headings_and_errors(child, out)
    return out


def test_a_backtest_too_long_for_the_history_shows_under_the_backtest_settings():
    at = load_sample(open_app(), "retail_sales")
    at.session_state[state.CHOICES] = replace(at.session_state[state.CHOICES], horizon=900)
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception
    shown = _headings_and_errors(at.main, [])
    [error] = [i for i, (kind, _) in enumerate(shown) if kind == "error"]
    assert "730 days" in shown[error][1] and "900 days" in shown[error][1]
    assert shown[error - 1] == ("subheader", "Backtest")  # beside the settings that fix it
    assert shown[error + 1] == ("subheader", "Models")
