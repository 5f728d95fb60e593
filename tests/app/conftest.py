from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from payoff.ui import navigation, state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = list(navigation.TITLES)


def open_app(page: str | None = None, timeout: float = 60) -> AppTest:
    """The app from its entry file, optionally switched to a page, run once."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def load_sample(at: AppTest, name: str) -> AppTest:
    at.switch_page("app_pages/data.py").run()
    at.selectbox(key=state.SAMPLE_PICK).set_value(name).run()
    at.button(key=state.SAMPLE_LOAD).click().run()
    return at


def no_html(at: AppTest) -> None:
    for element in at.markdown:
        assert not element.allow_html


@pytest.fixture
def app_factory():
    return open_app


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=state.UPLOAD).set_value((name, data, "application/octet-stream")).run()
    return at


@pytest.fixture(autouse=True, scope="session")
def saved_analyses_in_session_tmp(tmp_path_factory):
    """Runs in module-scoped fixtures autosave too: never into the user's database."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAYOFF_DB", str(tmp_path_factory.mktemp("db") / "analyses.sqlite"))
        yield


@pytest.fixture(autouse=True)
def saved_analyses_in_tmp(tmp_path, monkeypatch):
    """Every app test saves into its own database, never the user's."""
    monkeypatch.setenv("PAYOFF_DB", str(tmp_path / "analyses.sqlite"))


def shown(at: AppTest) -> str:
    """Every text the page shows, with markdown escapes removed (user text is escaped)."""
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]
    return " ".join(str(e.value) for e in parts).replace("\\", "")


# What a user types when the Problem page asks for the numbers only they know (tests that are not
# about asking): by parameter key, 1.0 for any other.
TYPED = {"price": 9.0, "unit_cost": 3.0, "contact_cost": 10.0, "offer_cost": 30.0, "value": 200.0}


def type_asked(at: AppTest) -> AppTest:
    """On the Problem page, type every money number it asks for (each starts empty on a user's
    own file), as a user does before the first run."""
    at.switch_page("app_pages/problem.py").run()
    asked = [box.key for box in at.number_input if box.key.startswith(state.PARAM_PREFIX) and box.value is None]
    for key in asked:
        at.number_input(key=key).set_value(TYPED.get(key.rsplit(".", 1)[-1], 1.0)).run()
    return at
