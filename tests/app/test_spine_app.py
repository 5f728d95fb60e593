"""The app and the CLI share one spine: the same file and settings give the same money; a new file
starts from its own defaults; explicit prices beat detected columns; failures are shown."""

import json

import numpy as np
import pandas as pd
import pytest

from payoff.carry.results import to_json
from payoff.cli.main import main
from payoff.framings.base import FromColumn
from payoff.runtime import samples
from payoff.ui import results_view, state
from tests.app.conftest import open_app, shown, upload
from tests.helpers import FitHere, break_the_random_forest


def cli_json(tmp_path, sample: str, framing: str) -> dict:
    file = tmp_path / f"{sample}.csv"
    file.write_bytes(samples.sample_bytes(sample))
    out = tmp_path / f"{sample}.json"
    # a sample's file on the command line is the user's own file: its documented values are the defaults
    assert main(["analyze", str(file), "--framing", framing, "--assume-defaults", "--json", str(out)]) == 0
    return json.loads(out.read_text())


def money(payload: dict) -> dict:
    return {m["name"]: (m["money"], m["gain_vs_status_quo"], m["gain_interval"]) for m in payload["models"]}


@pytest.mark.parametrize(("sample", "framing"), [("retail_sales", "perishable"), ("churn_customers", "churn")])
def test_the_app_and_the_cli_give_the_same_money(tmp_path, sample, framing):
    at = open_app()
    at.button(key=f"w.home.sample.{sample}").click().run()
    at.switch_page("app_pages/problem.py").run()  # every widget drawn and recorded, none changed
    assert not at.exception and not at.error
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    app = to_json(at.session_state[state.ANALYSIS])
    cli = cli_json(tmp_path, sample, framing)
    assert money(app) == money(cli)
    assert app["params"] == cli["params"] and app["recommended"] == cli["recommended"]


def test_a_second_file_starts_from_its_own_defaults():
    at = open_app()
    at.button(key="w.home.sample.retail_sales").click().run()
    at.switch_page("app_pages/problem.py").run()
    assert at.multiselect(key=state.MODEL_PICK).options[0] == "Last period again"  # naive, in business words
    at.switch_page("app_pages/data.py").run()
    upload(at, "customers.csv", samples.sample_bytes("churn_customers"))
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception
    picker = at.multiselect(key=state.MODEL_PICK)
    assert picker.value == ["logistic regression", "random forest", "gradient boosting"]
    assert at.radio(key=state.FRAMING_PICK).value == "churn"


def test_a_short_history_gets_a_horizon_it_can_run():
    days = 60
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"date": pd.date_range("2026-01-01", periods=days), "units": rng.poisson(20, days)})
    at = upload(open_app("app_pages/data.py"), "short.csv", frame.to_csv(index=False).encode())
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception and not at.error
    assert at.number_input(key=state.BACKTEST_PREFIX + "h").value == 7  # not the daily default of 28
    at.number_input(key=state.PARAM_PREFIX + "perishable.price").set_value(4.0).run()
    at.number_input(key=state.PARAM_PREFIX + "perishable.unit_cost").set_value(1.5).run()
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=120)
    assert not at.exception and not at.error and at.metric


def test_a_typed_price_beats_the_detected_column_and_the_page_says_so():
    at = open_app()
    at.button(key="w.home.sample.churn_customers").click().run()
    at.switch_page("app_pages/problem.py").run()
    assert "Value of a customer kept: column 'monthly_value' x 12 (from your file)" in shown(at)
    key = state.PARAM_PREFIX + "churn.value"
    at.selectbox(key=key + ".source").set_value("one value for every row").run()
    at.number_input(key=key).set_value(200.0).run()
    assert not at.exception
    assert "from column 'monthly_value'" not in shown(at)
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    analysis = at.session_state[state.ANALYSIS]
    assert analysis.problem.values["value"] == 200.0 and not isinstance(analysis.problem.values["value"], FromColumn)


def test_a_failing_model_is_shown_on_the_models_page(monkeypatch):
    break_the_random_forest(monkeypatch)
    monkeypatch.setattr(results_view, "FitJob", FitHere)  # the broken model must be the one fitted
    at = open_app()
    at.button(key="w.home.sample.churn_customers").click().run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    assert (
        "Pattern model (random forest) failed (fold 1: the forest could not be grown); it is left out of the "
        "comparison" in shown(at)
    )
    table = at.dataframe[0].value
    assert table.loc[table["Option"] == "Pattern model (random forest)", "Note"].item() == "failed: see the warning"


def test_models_that_failed_alike_share_one_warning(monkeypatch):
    """Two models broken the same way on the same fold: one warning names both, so a short
    series that fails every model alike does not push the comparison off the screen."""
    from payoff.models import classifiers

    real = classifiers.make_model

    def broken(name, columns, n_rows):
        if name in ("random forest", "gradient boosting"):
            raise ValueError("the trees could not be grown")
        return real(name, columns, n_rows)

    monkeypatch.setattr(classifiers, "make_model", broken)
    monkeypatch.setattr(results_view, "FitJob", FitHere)
    at = open_app()
    at.button(key="w.home.sample.churn_customers").click().run()
    at.button(key=state.RUN_MODELS).click().run(timeout=180)
    assert not at.exception
    failed = [w.value.replace("\\", "") for w in at.warning if "could not be grown" in w.value]
    assert failed == [
        "Pattern model (random forest), Pattern model (boosted trees) failed (fold 1: the trees could not be "
        "grown); they are left out of the comparison."
    ]
