"""The order model's linear twin (issue 21, item 5): linear quantile regression at the critical
ratio, checked against closed forms and against the exact linear programme."""

from __future__ import annotations

import numpy as np
import pytest

from payoff.models.regression import _QuantReg
from tests.unit.test_quantile_order import bakery_analysis

ORDER = "linear quantile regression"


class _Identity:
    def fit_transform(self, x):
        return x

    def transform(self, x):
        return x


@pytest.mark.parametrize("tau", [0.2, 0.6, 0.9])
def test_it_finds_a_known_line_at_the_quantile(tau):
    """y = 2 + 3x + exponential noise: the tau-quantile of y given x is 2 + 3x - ln(1 - tau),
    a line with the same slope and its intercept moved by the noise's quantile."""
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, (20_000, 1))
    y = 2 + 3 * x[:, 0] + rng.exponential(1.0, len(x))
    fitted = _QuantReg(_Identity(), tau).fit(x, y)
    assert fitted.coef_[0] == pytest.approx(2 - np.log(1 - tau), abs=0.05)
    assert fitted.coef_[1] == pytest.approx(3, abs=0.01)
    assert np.mean(y <= fitted.predict(x)) == pytest.approx(tau, abs=0.01)


def test_its_fifty_steps_reach_the_exact_optimum():
    """The pinball loss after 50 reweighting steps is the linear programme's (scikit-learn's
    QuantileRegressor with HiGHS, exact) to five digits, on dummies and numbers alike."""
    from sklearn.linear_model import QuantileRegressor

    rng = np.random.default_rng(2)
    x = np.column_stack([rng.random((3_000, 4)) < 0.2, rng.normal(size=(3_000, 6))]).astype(float)
    y = np.maximum(x @ rng.normal(size=10) + 5 + rng.poisson(3, len(x)), 0)
    tau = 0.7

    def pinball(fitted: np.ndarray) -> float:
        r = y - fitted
        return float(np.mean(np.maximum(tau * r, (tau - 1) * r)))

    exact = QuantileRegressor(quantile=tau, alpha=0.0, solver="highs").fit(x, y)
    ours = _QuantReg(_Identity(), tau).fit(x, y)
    assert pinball(ours.predict(x)) == pytest.approx(pinball(exact.predict(x)), rel=1e-5)


def test_its_orders_are_its_own_at_the_run_costs():
    """It learns the decision: its entry carries the run's ratio and its orders are its
    forecasts rounded up, with no margin added. (Its coverage at 0.8 and 0.3 is tested beside
    the order model's, in test_quantile_order.py.)"""
    analysis = bakery_analysis(ORDER)
    entry = analysis.predictions.model(ORDER)
    assert entry.ratio == pytest.approx(3 / 5)
    forecast = entry.forecast[:, analysis.predictions.scored]
    np.testing.assert_array_equal(analysis.impact.decisions[ORDER], np.ceil(np.round(forecast, 9)))
