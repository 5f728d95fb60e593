"""The per-series models give the same numbers in any partition, in local processes and on a
Dask cluster; a failure is a failure wherever it happens."""

import numpy as np
import pandas as pd
import pytest

from payoff.evaluate.backtest import local_forecasts, model_catalogue, run_backtest, window_starts
from payoff.models.panel import Panel
from payoff.runtime.compute import Compute, ComputeError, from_environment
from payoff.timegrid import Frequency

LOCAL = ("naive", "seasonal naive", "moving average", "exponential smoothing", "croston (sba)", "tsb")


def panel(series=9, days=120, seed=3, gaps=True):
    rng = np.random.default_rng(seed)
    y = rng.poisson(rng.gamma(2.0, 5.0, series)[:, None] * np.ones(days)).astype(float)
    if gaps:
        y[rng.random(y.shape) < 0.03] = np.nan
    return Panel(
        y=y,
        dates=pd.date_range("2025-01-01", periods=days),
        series=pd.DataFrame({"item": [f"i{i}" for i in range(series)]}),
        frequency=Frequency("day"),
        season=7,
    )


def test_partitions_are_contiguous_cover_every_series_once():
    assert Compute(workers=3).partitions(10) == [slice(0, 3), slice(3, 7), slice(7, 10)]
    assert Compute(workers=4).partitions(2) == [slice(0, 1), slice(1, 2)]  # never an empty one
    assert Compute().partitions(5) == [slice(0, 5)]
    with pytest.raises(ComputeError, match="1 or more"):
        Compute(workers=0)


def test_every_split_gives_identical_forecasts():
    data = panel()
    starts = window_starts(data.n_periods, 14, 14, 3)
    catalogue = model_catalogue(data)
    models = [(name, catalogue[name]) for name in LOCAL]
    whole = local_forecasts(data.y, models, starts, 14, Compute())
    for compute in (Compute(workers=2), Compute(workers=4)):
        split = local_forecasts(data.y, models, starts, 14, compute)
        for name in LOCAL:
            for (a, _), (b, _) in zip(whole[name], split[name], strict=True):
                assert a.tobytes() == b.tobytes(), (name, compute)


class FailsOnSeriesFive:
    """A per-series model that cannot fit one series: as in one process, the window fails whole."""

    def fit(self, y):
        if np.any(np.all(y == -1, axis=1)):
            raise ValueError("cannot fit series 5")
        self.n_ = y.shape[0]
        return self

    def predict(self, horizon):
        return np.ones((self.n_, horizon))


def test_a_failure_in_one_partition_fails_the_window_everywhere():
    data = panel()
    y = data.y.copy()
    y[5] = -1.0
    starts = window_starts(data.n_periods, 14, 14, 2)
    for compute in (Compute(), Compute(workers=3)):
        outcome = local_forecasts(y, [("odd", FailsOnSeriesFive())], starts, 14, compute)["odd"]
        assert all(forecast is None and error == "cannot fit series 5" for forecast, error in outcome)
    fine = local_forecasts(data.y, [("odd", FailsOnSeriesFive())], starts, 14, Compute(workers=3))["odd"]
    assert all(forecast.shape == (9, 14) and error is None for forecast, error in fine)


def test_backtest_in_processes_matches_one_process_byte_for_byte():
    data = panel(series=12, days=150)
    starts = window_starts(data.n_periods, 14, 14, 2)
    names = ("seasonal naive", "exponential smoothing", "linear regression")
    one, _, _ = run_backtest(data, starts, 14, names)
    two, _, _ = run_backtest(data, starts, 14, names, compute=Compute(workers=2))
    for a, b in zip(one, two, strict=True):
        assert a.name == b.name and a.forecast.tobytes() == b.forecast.tobytes()


def test_dask_cluster_gives_the_same_numbers():
    distributed = pytest.importorskip("dask.distributed", reason="the dask extra is part of the dev install")
    data = panel(series=8, days=100)
    starts = window_starts(data.n_periods, 14, 14, 2)
    catalogue = model_catalogue(data)
    models = [(name, catalogue[name]) for name in ("seasonal naive", "exponential smoothing")]
    whole = local_forecasts(data.y, models, starts, 14, Compute())
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        on_cluster = local_forecasts(data.y, models, starts, 14, Compute(workers=2, dask=cluster.scheduler_address))
    for name, _ in models:
        for (a, _), (b, _) in zip(whole[name], on_cluster[name], strict=True):
            assert a.tobytes() == b.tobytes()


def test_no_scheduler_at_the_address_is_a_clear_error():
    pytest.importorskip("dask.distributed")
    with pytest.raises(ComputeError, match=r"No Dask scheduler answered at tcp://127\.0\.0\.1:9"):
        Compute(dask="tcp://127.0.0.1:9").map(abs, [1, 2])


def test_an_address_with_spaces_around_it_is_read_as_typed():
    """Dask takes " tcp://host:port "; the quick check before it must too (and say a refusal at once)."""
    pytest.importorskip("dask.distributed")
    with pytest.raises(ComputeError, match=r"No Dask scheduler answered at  127\.0\.0\.1:9 "):
        Compute(dask=" 127.0.0.1:9 ").map(abs, [1, 2])


def test_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("PAYOFF_WORKERS", "3")
    assert from_environment() == Compute(workers=3)
    monkeypatch.setenv("PAYOFF_WORKERS", "many")
    with pytest.raises(ComputeError, match="whole number"):
        from_environment()
