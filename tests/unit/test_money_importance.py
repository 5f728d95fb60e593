"""Money importances of the models over every series (evaluate.explain_quantity): on a catalogue
larger than EXPLAIN_SERIES a fixed sample of series is shuffled and its extra cost scaled to every
series, so the money reads as the whole catalogue's whatever the sample's size."""

from multiprocessing import get_context

import numpy as np
import pandas as pd
import pytest

from payoff.analysis import run_priced
from payoff.data.roles import Role, RoleMap, Shape
from payoff.engines.quantity import QuantityEngine
from payoff.evaluate import explain_quantity
from payoff.problem import make_problem
from payoff.runtime import side_by_side
from payoff.runtime.compute import Compute
from tests.unit.test_side_by_side import _both

ROLES = RoleMap(
    {"date": Role.DATE, "item": Role.SERIES_KEY, "units": Role.TARGET, "promo": Role.FEATURE}, Shape.TIME_SERIES
)


def _alike(series: int = 40, days: int = 400) -> pd.DataFrame:
    """Series of one size and shape (a weekly profile, promotions on 10% of days, Poisson noise):
    any half of them costs about half of the whole, so a sample scaled up should read as the whole."""
    rng = np.random.default_rng(4)
    dates = pd.date_range("2024-01-01", periods=days)
    weekly = np.array([0.8, 0.9, 1.0, 1.0, 1.1, 1.4, 1.2])[dates.day_of_week]
    promo = (rng.random((series, days)) < 0.1).astype(int)
    units = rng.poisson(20 * weekly[None, :] * (1 + 0.8 * promo))
    return pd.DataFrame(
        {
            "date": np.tile(dates, series),
            "item": np.repeat([f"s{i:02d}" for i in range(series)], days),
            "units": units.reshape(-1),
            "promo": promo.reshape(-1),
        }
    )


@pytest.fixture(scope="module")
def explain():
    frame = _alike()
    problem = make_problem(
        frame, ROLES, "perishable", params={"price": 10.0, "unit_cost": 4.0}, horizon=14, models=("gradient boosting",)
    )
    _, explained = run_priced(problem)
    return explained


def _importances(explain, monkeypatch, at_most: int):
    monkeypatch.setattr(explain_quantity, "EXPLAIN_SERIES", at_most)
    (importance,) = [e for e in explain(False).predictions.explanations if e.unit == "extra cost when shuffled"]
    return importance


def test_a_sample_of_series_is_scaled_to_the_whole_catalogue(explain, monkeypatch):
    every = _importances(explain, monkeypatch, 40)
    half = _importances(explain, monkeypatch, 20)
    assert "chosen at random" not in every.note
    assert "on 20 of the 40 series chosen at random and scaled to all of them" in half.note
    # The weekday (a 0.8x to 1.4x profile) and promotions (+80%) are the two features whose shuffle
    # costs far more than chance moves; the others cost a twentieth of them.
    strong = {e.feature: e.estimate for e in every.effects[:2]}
    assert set(strong) == {"promo", "weekday"} == {e.feature for e in half.effects[:2]}
    for effect in half.effects[:2]:
        # Unscaled, half the series give about half the money (0.53 and 0.47 here): scaled, about all of it.
        assert effect.estimate / strong[effect.feature] == pytest.approx(1.0, abs=0.2), effect.feature
    assert every.effects[0].estimate > 0 and np.isfinite(every.effects[0].estimate)


needs_a_copy = pytest.mark.skipif(not side_by_side.spare_core(), reason="needs two cores and fork")


def _glm_and_trees():
    return make_problem(
        _alike(12, 300),
        ROLES,
        "perishable",
        params={"price": 10.0, "unit_cost": 4.0},
        horizon=14,
        models=("gradient boosting", "poisson regression"),
    )


@needs_a_copy
def test_explanations_shared_with_a_copy_are_the_same_as_in_turn(monkeypatch):
    """The GLM's effects and the trees' importances are worked out side by side when a core is
    free (runtime.side_by_side): the same explanations, in the same order, as one after the other.
    Each process waits until the other has taken a job, so the copy surely explains one."""
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "8GB")  # room for two, on any machine
    problem = _glm_and_trees()
    alone = QuantityEngine().fit(problem)[1](False)
    unpack, delivered = side_by_side._unpack, []
    monkeypatch.setattr(side_by_side, "_unpack", lambda *args: delivered.append(1) or unpack(*args))
    monkeypatch.setattr(explain_quantity, "_run", _both(explain_quantity._run))
    shared = QuantityEngine().fit(problem, compute=Compute(side_by_side=True))[1](True)
    assert delivered, "the copy explained nothing"
    assert [(e.model, e.unit) for e in shared] == [
        ("poisson regression", "% change in units"),
        ("gradient boosting", "extra cost when shuffled"),
    ]
    assert shared == alone


@needs_a_copy
def test_a_model_that_cannot_be_explained_in_the_copy_is_said_once_without_a_traceback(monkeypatch, capfd):
    """A fitting error in the copy comes back as its answer: the copy does not die on it (printing
    a traceback), nothing is worked out twice, and the explanations say they failed, as in turn."""
    monkeypatch.setenv("PAYOFF_MEMORY_BUDGET", "8GB")
    calls = get_context("fork").Value("q", 0)

    def singular(*args):
        with calls.get_lock():
            calls.value += 1
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(explain_quantity, "glm_effects", singular)
    monkeypatch.setattr(explain_quantity, "_run", _both(explain_quantity._run))
    (failed,) = QuantityEngine().fit(_glm_and_trees(), compute=Compute(side_by_side=True))[1](True)
    assert "could not be computed: Singular matrix" in failed.note
    assert calls.value == 1
    assert "Traceback" not in capfd.readouterr().err
