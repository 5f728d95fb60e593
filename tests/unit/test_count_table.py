"""A model's count distributions are summed once and read at any level (evaluate.count_table):
every level gives the count policies.count_ppf gives, by hand on small cases and cell for cell on
random ones, past the summed entries too; a large catalogue's cursor gives it too, whatever level
it was last left at; and re-pricing an analysis through the tables or the cursors gives the money
re-pricing without them gives."""

import numpy as np
import pandas as pd
import pytest

from payoff.analysis import recost
from payoff.data.roles import Role, RoleMap, Shape
from payoff.evaluate import count_table, predictions
from payoff.evaluate.count_table import CountCursor, CountTable
from payoff.evaluate.policies import count_ppf
from tests.helpers import analyse


def test_quantiles_by_hand():
    """Poisson(2): P(X <= 1) = 3/e^2 = 0.406, P(X <= 2) = 5/e^2 = 0.677, P(X <= 3) = 0.857,
    P(X <= 4) = 0.947. Negative binomial of size 1 and mean 3 (geometric, p = 1/4):
    P(X <= k) = 1 - 0.75^(k+1), which passes 0.9 at k = 8 (0.75^9 = 0.075, 0.75^8 = 0.100).
    Poisson(150)'s median is 150 (a large mean: read from the band around it)."""
    mean, size = np.array([2.0, 2.0, 3.0, 150.0]), np.array([np.inf, np.inf, 1.0, np.inf])
    table, cursor = CountTable.build(mean, size), CountCursor(mean, size)
    for reader in (table, cursor, table, cursor):  # the cursor goes up, then down, then up
        assert reader.ppf(np.array([0.5, 0.9, 0.9, 0.5])).tolist() == [2.0, 4.0, 8.0, 150.0]
        assert reader.ppf(np.array([0.4, 0.95, 0.89, 0.5])).tolist() == [1.0, 5.0, 7.0, 150.0]
        assert reader.ppf(np.array([0.1, 0.1, 0.1, 0.5])).tolist() == [0.0, 0.0, 0.0, 150.0]
    # Poisson(150)'s band starts 8 standard deviations down, at 52: P(X <= 51) is about 6e-21, so
    # a level of 1e-25 lies below the band and is summed afresh
    low = table.ppf(np.array([0.5, 0.9, 0.9, 1e-25]))[3]
    assert low < 52 and low == count_ppf(np.array([1e-25]), np.array([150.0]), np.array([np.inf]))[0]


@pytest.fixture(scope="module")
def cells():
    """Means from 0.01 to 300 (past MAX_COUNT_STEPS / 2, where count_ppf asks scipy), Poisson and
    negative binomial from very overdispersed to nearly Poisson, with a missing and a zero mean."""
    rng = np.random.default_rng(5)
    mean = np.exp(rng.uniform(np.log(0.01), np.log(300.0), 6_000)).reshape(60, 100)
    size = np.where(rng.random(mean.shape) < 0.3, np.inf, np.exp(rng.uniform(np.log(0.3), np.log(200.0), mean.shape)))
    mean[0, :2] = [np.nan, 0.0]
    return mean, size, rng


@pytest.mark.parametrize("level", [0.01, 0.3, 0.5, 0.6, 0.9, 0.99, 0.999999, "random"])
def test_every_level_reads_the_count_count_ppf_sums(cells, level):
    mean, size, rng = cells
    q = rng.uniform(0.01, 0.999, mean.shape) if level == "random" else np.full(mean.shape, level)
    assert CountTable.build(mean, size).ppf(q).tolist() == count_ppf(q, mean, size).tolist()


def test_the_cursor_reads_the_count_count_ppf_sums_whatever_level_it_was_left_at(cells):
    """One cursor asked level after level, up and down and at random per cell: every time the
    counts count_ppf sums from zero, cell for cell (over 6,000 cells with means up to 300)."""
    mean, size, rng = cells
    cursor = CountCursor(mean, size)
    for level in [0.6, 0.01, 0.999999, 0.3, "random", 0.9, 0.5, "random", 0.6]:
        q = rng.uniform(0.01, 0.999, mean.shape) if level == "random" else np.full(mean.shape, level)
        assert cursor.ppf(q).tolist() == count_ppf(q, mean, size).tolist(), level


def test_a_level_past_the_summed_entries_is_summed_afresh(cells, monkeypatch):
    """With room for only a few thousand entries most cells stop short of their quantiles: those
    are computed as count_ppf computes them, and agree."""
    mean, size, rng = cells
    monkeypatch.setattr(count_table, "MOST_SUMMED", 3_000)
    table = CountTable.build(mean, size)
    q = rng.uniform(0.01, 0.999, mean.shape)
    summed = np.nan_to_num(table.mean) <= 100  # summed up from zero; the large means are banded
    short = table.cdf[table.ends[summed] - 1] < 0.999
    assert short.mean() > 0.5  # most of them were cut short of the levels asked
    assert table.ppf(q).tolist() == count_ppf(q, mean, size).tolist()


def test_re_pricing_through_the_tables_or_the_cursors_gives_the_same_money(monkeypatch):
    """Three shops of Poisson counts (means 2, 15 and 120), priced at three costs, through the
    tables, through the cursors (MOST_CELLS set to none), and summed afresh at every level: the
    same money, to the cent."""
    days = 150
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "date": np.tile(pd.date_range("2025-01-01", periods=days), 3),
            "shop": np.repeat(["small", "middle", "large"], days),
            "units": np.concatenate([rng.poisson(m, days) for m in (2.0, 15.0, 120.0)]),
        }
    )
    roles = RoleMap({"date": Role.DATE, "shop": Role.SERIES_KEY, "units": Role.TARGET}, Shape.TIME_SERIES)

    def priced(reader: str) -> list:
        analysis = analyse(
            frame, roles, "perishable", models=["moving average", "naive"], params={"price": 10, "unit_cost": 4}
        )
        costs = [{"unit_cost": c} for c in (2.0, 4.0, 8.5, 2.0)]
        results = [recost(analysis, c, uncertainty=False) for c in costs]
        read = analysis.predictions.__dict__.get("_count_readers", {}).values()
        assert {type(r).__name__ for r in read} == ({reader} if reader != "none" else set())
        return results

    tabled = priced("CountTable")
    monkeypatch.setattr(predictions, "MOST_CELLS", 0)
    cursored = priced("CountCursor")
    monkeypatch.setattr(predictions.QuantityPredictions, "count_reader", lambda self, name: None)
    summed = priced("none")
    for a, b, c in zip(tabled, cursored, summed, strict=True):
        assert [(m.name, m.money) for m in a.models] == [(m.name, m.money) for m in c.models]
        assert [(m.name, m.money) for m in b.models] == [(m.name, m.money) for m in c.models]
        assert all(np.array_equal(a.decisions[name], c.decisions[name]) for name in a.decisions)
        assert all(np.array_equal(b.decisions[name], c.decisions[name]) for name in b.decisions)
