"""Issue 18 through the app: ordinary files that crashed a run (a blank series key, infinity in a
targeting feature, a quantity missing everywhere the tests look), and saved analyses as untrusted
input (crafted bytes behind a link, damaged rows on the Saved page, a database Payoff cannot
write). Each says one clear thing, and the session keeps working."""

import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from payoff.data.roles import Role
from payoff.ui import state
from tests.app.conftest import open_app, shown, type_asked, upload
from tests.corpus.cases import content, infinite_churn
from tests.corpus.saved_cases import BAD_ROWS, CRAFTED, add_analysis_bytes, add_row, quantity_analysis

MODELS = "app_pages/models.py"
SAVED = "app_pages/saved.py"


def database() -> Path:
    return Path(os.environ["PAYOFF_DB"])  # each test's own (tests/app/conftest.py)


def run_upload(name: str, data: bytes, note: str = "", target: str | None = None):
    """Upload on the Data page (its note said, if any; `target` marked as the quantity, as the role
    table would), type the money the Problem page asks for (it starts empty on a user's own file),
    then run the models."""
    at = upload(open_app("app_pages/data.py"), name, data)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert note in shown(at), shown(at)
    if target:
        prepared = at.session_state[state.PREPARED]
        roles = dict(prepared.roles.roles) | {target: Role.TARGET}
        at.session_state[state.PREPARED] = replace(prepared, roles=replace(prepared.roles, roles=roles))
    type_asked(at).switch_page(MODELS).run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception, at.exception
    return at


def blank_key_sales() -> bytes:
    """Three stores over 120 days; the third store's name is blank on every row."""
    rng = np.random.default_rng(4)
    dates = pd.date_range("2025-01-01", periods=120)
    frame = pd.DataFrame(
        {"date": np.tile(dates, 3), "store": np.repeat(["north", "south", None], 120), "units": rng.poisson(7, 360)}
    )
    return frame.to_csv(index=False).encode()


def test_a_blank_series_key_runs_and_is_shown_as_blank():
    at = run_upload("blank_store.csv", blank_key_sales())
    assert at.session_state[state.ANALYSIS] is not None
    series = at.selectbox(key="models.series")
    assert series.options == ["north", "south", "(blank)"]  # the labels, as the browser shows them
    series.set_value(2).run()  # the chart of the blank store draws
    assert not at.exception


def test_infinity_in_a_targeting_feature_runs_in_the_fit_process():
    at = run_upload("churn_inf.csv", infinite_churn(), note="Column 'spend' holds 13 infinite value(s)")
    assert at.session_state[state.ANALYSIS] is not None and not at.error, [e.value for e in at.error]


def test_nothing_to_evaluate_is_said_on_the_models_page():
    at = run_upload("missing_demand.csv", content("missing_demand.csv"), target="units")
    assert "There is nothing to evaluate" in shown(at), shown(at)
    assert "exit code" not in shown(at)
    assert state.ANALYSIS not in at.session_state or at.session_state[state.ANALYSIS] is None
    upload(at.switch_page("app_pages/data.py").run(), "good.csv", blank_key_sales())
    assert not at.exception  # the session goes on


@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CRAFTED
        if c.name
        in {
            "keys_5",
            "deep_json",
            "windows_past_the_history",
            "a_trillion_folds",
            "small_blob_declaring_a_gigabyte",
            "pickled_array",
        }
    ],
    ids=lambda c: c.name,
)
def test_a_link_to_a_crafted_analysis_says_it_is_damaged(case):
    from streamlit.testing.v1 import AppTest

    from payoff.carry.store import Store
    from tests.app.conftest import APP

    analysis_id = add_analysis_bytes(database(), case.build())
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params[state.QUERY_ANALYSIS] = Store(database()).get(analysis_id).token
    at.run()
    assert not at.exception
    text = shown(at)
    assert "The saved analysis is damaged and cannot be opened" in text
    assert case.says in text and "not an analysis number" not in text, text
    assert state.QUERY_ANALYSIS not in at.query_params
    at.button(key="w.home.sample.retail_sales").click().run()
    assert not at.exception


def test_damaged_rows_are_named_and_the_saved_page_lists_the_rest():
    from payoff.carry.store import Store

    good = Store(database()).save("a good one", quantity_analysis(), {"narrative": "fine"})
    for row in BAD_ROWS:
        add_row(database(), row.summary, row.analysis, row.title)
    at = open_app(SAVED)
    assert not at.exception
    assert "5 saved analysis row(s) are damaged and left out of this list (id 6, 5, 4, 3, 2)" in shown(at)
    assert at.dataframe[0].value["Number"].tolist() == [str(good)]


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("read-only", "The saved analyses file (PAYOFF_DB) is read-only for Payoff"),
        ("locked", "The saved analyses file (PAYOFF_DB) stayed locked by another program for 0.2 s"),
    ],
)
def test_a_database_payoff_cannot_write_is_said_without_its_path(mode, says, monkeypatch):
    """Renaming on the Saved page writes: the page says why it could not, and never the server's path."""
    from payoff.carry.store import Store

    analysis_id = Store(database()).save("kept", quantity_analysis(), {"narrative": "fine"})
    at = open_app(SAVED)
    real = sqlite3.connect
    holder = real(database(), isolation_level=None)
    if mode == "read-only":  # as a file the server may only read opens
        monkeypatch.setattr(sqlite3, "connect", lambda path, **kw: real(f"file:{path}?mode=ro", uri=True, **kw))
    else:  # another program holds the write lock
        monkeypatch.setattr("payoff.carry.store.BUSY_TIMEOUT_SECONDS", 0.2)
        holder.execute("begin exclusive")
    try:
        at.text_input(key=f"{state.SAVED_RENAME}.{analysis_id}").input("renamed")
        at.button[-1].click().run()  # the rename form's submit button
    finally:
        holder.close()
    assert not at.exception and says in shown(at), shown(at)
    assert str(database().parent) not in shown(at)
    assert Store(database()).get(analysis_id).name == "kept"
