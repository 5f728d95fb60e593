"""One model's count distributions, summed once and read at any level.

A what-if, a sensitivity sweep and fresh stock's walk over how far above its ratio to order all
ask the same cells for their count quantile at one level after another: a fresh-stock sweep on the
café sample asked 4,200 times, 26 s of its summary. The cumulative probabilities of every cell are
summed once per model (the costs do not enter them) and each level is then a binary search."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from payoff.evaluate.policies import MAX_COUNT_STEPS, count_ppf, count_steps

# The table pays where the summing loop's cost is its steps, not its cells: the café sample's
# 1,680 cells took 2.8 ms a level by the loop and 0.7 ms from the table. On 56,000 cells (500
# series) the table took 2.6 s to build and read no faster (238 ms a re-pricing against 178 ms):
# above this many cells, each level is summed afresh.
MOST_CELLS = 20_000
# Summed until a cell's probability reaches the highest level count_ppf reads, for up to
# SUMMED_STEPS counts, and no more than MOST_SUMMED entries in all (80 MB): a level past a cell's
# entries is computed afresh. A sweep's dearest shortages ask for levels past 0.999.
TOP, SUMMED_STEPS, MOST_SUMMED = 1.0 - 1e-12, 1_000, 10_000_000
# A large mean's table spans this many standard deviations either side of it (scipy's cumulative
# probabilities, once), and no more than MOST_ENTRIES counts: a level outside is computed afresh.
SPREADS, MOST_ENTRIES = 8.0, 1_000


@dataclass(frozen=True)
class CountTable:
    """Every cell's cumulative probabilities P(X <= k), k = 0, 1, ..., stored one cell after
    another (`cdf[starts[i]:ends[i]]`) from k = `base[i]`: 0 for a mean up to half
    MAX_COUNT_STEPS, summed up from zero as :func:`policies.count_ppf` does; for a larger one,
    where count_ppf asks scipy, scipy's over a band around the mean."""

    shape: tuple[int, ...]
    mean: np.ndarray
    size: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    base: np.ndarray
    cdf: np.ndarray

    @classmethod
    def build(cls, mean: np.ndarray, size: np.ndarray) -> CountTable:
        """The table of counts with these means (the forecasts) and negative-binomial sizes
        (infinite: Poisson), summed with the very operations of policies.count_ppf, so that every
        level reads the same count from it."""
        shape = np.shape(mean)
        mean = np.ravel(np.maximum(np.nan_to_num(np.asarray(mean, dtype="float64")), 1e-9))
        size = np.ravel(np.broadcast_to(np.asarray(size, dtype="float64"), shape))
        poisson, r, p, pmf, a, b = count_steps(mean, size)
        cells = np.flatnonzero(mean <= MAX_COUNT_STEPS / 2)
        lengths = np.zeros(mean.size, dtype=np.int64)
        steps_cells, steps_cdf = [cells], [pmf[cells]]
        lengths[cells] = 1
        pmf, cdf, a, b = pmf[cells], pmf[cells].copy(), a[cells], b[cells]
        going = cdf < TOP
        cells, pmf, cdf, a, b = cells[going], pmf[going], cdf[going], a[going], b[going]
        summed = cells.size
        for step in range(1, SUMMED_STEPS + 1):
            summed += cells.size
            if cells.size == 0 or summed > MOST_SUMMED:
                break
            pmf *= (a + b * (step - 1)) / step
            cdf += pmf
            steps_cells.append(cells)
            steps_cdf.append(cdf.copy())
            lengths[cells] += 1
            going = cdf < TOP
            if not going.all():
                cells, pmf, cdf, a, b = cells[going], pmf[going], cdf[going], a[going], b[going]
        base = np.zeros(mean.size, dtype=np.int64)
        large = np.flatnonzero(mean > MAX_COUNT_STEPS / 2)
        spread = np.sqrt(mean[large] + np.where(poisson[large], 0.0, mean[large] ** 2 / r[large]))
        base[large] = np.maximum(np.floor(mean[large] - SPREADS * spread), 0).astype(np.int64)
        top = np.ceil(mean[large] + SPREADS * spread).astype(np.int64)
        banded = top - base[large] + 1 <= MOST_ENTRIES
        large, top = large[banded], top[banded]
        lengths[large] = top - base[large] + 1
        ends = np.cumsum(lengths)
        starts = ends - lengths
        table = np.empty(int(ends[-1]) if ends.size else 0)
        for step, (at, values) in enumerate(zip(steps_cells, steps_cdf, strict=True)):
            table[starts[at] + step] = values
        if large.size:
            owner = np.repeat(large, lengths[large])
            place = np.arange(owner.size) - np.repeat(np.cumsum(lengths[large]) - lengths[large], lengths[large])
            k = base[owner] + place  # the count each entry is the probability of
            table[starts[owner] + place] = np.where(
                poisson[owner], stats.poisson.cdf(k, mean[owner]), stats.nbinom.cdf(k, r[owner], p[owner])
            )
        return cls(shape, mean, size, starts, ends, base, table)

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """The smallest count whose cumulative probability reaches q, cell by cell: the same as
        policies.count_ppf(q, mean, size) on the table's cells."""
        q = np.ravel(np.clip(np.broadcast_to(np.asarray(q, dtype="float64"), self.shape), 0.0, 1.0 - 1e-12))
        lo, hi = self.starts.copy(), self.ends.copy()
        searching = lo < hi  # none when nothing was tabulated
        while searching.any():
            mid = np.minimum((lo + hi) // 2, self.cdf.size - 1)  # a finished cell may point past the end
            below = self.cdf[mid] < q
            lo = np.where(searching & below, mid + 1, lo)
            hi = np.where(searching & ~below, mid, hi)
            searching = lo < hi
        out = (self.base + lo - self.starts).astype("float64")
        # past the table, before a band's first count (it may be lower), or never tabulated
        beyond = np.flatnonzero((lo == self.ends) | ((lo == self.starts) & (self.base > 0)))
        if beyond.size:
            out[beyond] = count_ppf(q[beyond], self.mean[beyond], self.size[beyond])
        shaped: np.ndarray = out.reshape(self.shape)
        return shaped


class CountCursor:
    """Every cell's count where the last level asked left it, for catalogues too large for a
    :class:`CountTable`: the next level steps each cell up or down from there (P(X = k + 1) =
    P(X = k) (a + b k) / (k + 1), and back), where summing from zero took every count below.

    A what-if moves the ratio a little, so most cells move a count or none: on 500 series x 140
    cells it replaced 9 ms of summing a model by about 1 (docs/benchmarks.md). Stepping up repeats
    count_ppf's own sums; a step down subtracts, so a level within 1e-15 of a cell's cumulative
    probability may read the count beside count_ppf's. The state is replaced whole, never changed
    in place, so that two threads reading at once each start from a consistent one."""

    def __init__(self, mean: np.ndarray, size: np.ndarray) -> None:
        self.shape = np.shape(mean)
        self.mean = np.ravel(np.maximum(np.nan_to_num(np.asarray(mean, dtype="float64")), 1e-9))
        self.size = np.ravel(np.broadcast_to(np.asarray(size, dtype="float64"), self.shape))
        _, _, _, pmf, self._a, self._b = count_steps(self.mean, self.size)
        # a large mean is past the steps at nearly every level: scipy's, as count_ppf does
        self._scipy = self.mean > MAX_COUNT_STEPS / 2
        self._state = (np.zeros(self.mean.size), pmf, pmf.copy())  # count, P(X = count), P(X <= count)

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """The smallest count whose cumulative probability reaches q, cell by cell: as
        policies.count_ppf(q, mean, size)."""
        q = np.ravel(np.clip(np.broadcast_to(np.asarray(q, dtype="float64"), self.shape), 0.0, 1.0 - 1e-12))
        count, pmf, cdf = (array.copy() for array in self._state)
        self._walk(np.flatnonzero((cdf < q) & ~self._scipy), count, pmf, cdf, q, up=True)
        self._walk(np.flatnonzero((count > 0) & (cdf - pmf >= q)), count, pmf, cdf, q, up=False)
        self._state = (count, pmf, cdf)
        out = count.copy()
        left = np.flatnonzero(self._scipy | (cdf < q))  # a large mean, or still short after the steps
        if left.size:
            out[left] = count_ppf(q[left], self.mean[left], self.size[left])
        shaped: np.ndarray = out.reshape(self.shape)
        return shaped

    def _walk(
        self, cells: np.ndarray, count: np.ndarray, pmf: np.ndarray, cdf: np.ndarray, q: np.ndarray, up: bool
    ) -> None:
        """Step `cells` up until their cumulative probability reaches q (or MAX_COUNT_STEPS), or
        down while the count below still reaches it, writing each cell's count and probabilities
        where it stops. The cells still moving are packed into contiguous arrays, and repacked
        once a quarter has stopped, as policies.count_ppf does."""
        k, p, c, level = count[cells], pmf[cells], cdf[cells], q[cells]
        a, b = self._a[cells], self._b[cells]
        moving = np.ones(cells.size, dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore"):  # a stopped cell may step past zero
            while cells.size:
                if up:
                    p *= (a + b * k) / (k + 1)
                    c += p
                    k += 1
                    more = (c < level) & (k < MAX_COUNT_STEPS)
                else:
                    c -= p
                    p *= k / (a + b * (k - 1))
                    k -= 1
                    more = (k > 0) & (c - p >= level)
                stopped = moving & ~more
                if not stopped.any():
                    continue
                at = cells[stopped]
                count[at], pmf[at], cdf[at] = k[stopped], p[stopped], c[stopped]
                moving &= more
                if np.count_nonzero(moving) < 0.75 * moving.size:
                    keep = np.flatnonzero(moving)
                    cells, k, p, c, level, a, b = (x[keep] for x in (cells, k, p, c, level, a, b))
                    moving = moving[keep]
