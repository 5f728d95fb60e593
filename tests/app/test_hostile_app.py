"""Hostile input through the app: HTML, script and markdown in column names, series names and the
file name stay text in tables, charts and captions; odd file names (path separators, a NUL byte,
500 characters) are only ever shown, never used as paths."""

import numpy as np
import pandas as pd
import pytest

from payoff.ui import state
from tests.app.conftest import no_html, open_app, type_asked, upload

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "**bold** [x](javascript:alert(1))"


def hostile_csv() -> bytes:
    rng = np.random.default_rng(3)
    dates = pd.date_range("2025-01-01", periods=120)
    frame = pd.DataFrame(
        {
            "date": np.tile(dates, 3),
            f"store {IMAGE}": np.repeat([SCRIPT, LINK, "plain"], 120),
            "units": rng.poisson(8, 360),
        }
    )
    return frame.to_csv(index=False).encode()


def chart_specs(at) -> str:
    return " ".join(element.proto.spec for element in at.get("plotly_chart"))


def test_hostile_names_stay_text_through_a_run():
    at = upload(open_app("app_pages/data.py"), f"../../etc/{SCRIPT}.csv", hostile_csv())
    assert not at.exception and not at.error, [e.value for e in at.error]
    type_asked(at).switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception and at.session_state[state.ANALYSIS] is not None
    no_html(at)
    at.switch_page("app_pages/impact.py").run(timeout=120)
    assert not at.exception
    no_html(at)
    specs = chart_specs(at)
    assert "<script" not in specs and "<img" not in specs  # plotly reads some tags: labels are escaped
    assert "&lt;script&gt;alert(1)&lt;" in specs  # and still there, as text
    shown = " ".join(str(frame.value.to_json()) for frame in at.dataframe)
    assert "<script>alert(1)<\\/script>" in shown or SCRIPT in shown  # tables hold the names as they are
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "etc/" in sidebar.replace("\\", "")  # the file name shown, escaped, never opened


@pytest.mark.parametrize("name", ["x" * 500 + ".csv", "..\\..\\windows\\sales.csv", "/etc/passwd.csv"])
def test_odd_file_names_are_only_shown(name):
    """(A NUL byte in an uploaded file's name is refused by Streamlit's uploader itself, and no
    browser sends one; the library's own handling of it is tested in test_odd_names_in_the_library.)"""
    at = upload(open_app("app_pages/data.py"), name, b"date,units\n2026-01-01,3\n2026-01-02,4\n2026-01-03,5\n")
    assert not at.exception, at.exception
    assert at.session_state[state.PREPARED].frame["units"].tolist() == [3, 4, 5]


@pytest.mark.parametrize("name", ["a\x00b.csv", "x" * 500 + ".csv", "../../etc/passwd.csv", f"{SCRIPT}.csv"])
def test_odd_names_in_the_library(name):
    from payoff.data.load import read_table

    table = read_table(b"date,units\n2026-01-01,3\n2026-01-02,4\n", name)
    assert table.frame["units"].tolist() == [3, 4] and table.name == name
