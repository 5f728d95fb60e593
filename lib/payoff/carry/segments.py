"""Where the gain comes from: the gain of Payoff's choice against the status quo by a column the
user picks (item, store, plan, region), with the segments where the choice loses money called
out. Quantity segments group whole series; targeting segments group entities (numbers with many
values are cut into five equal-count bands)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from payoff.analysis import Analysis
from payoff.data.keys import key_text
from payoff.errors import BadMapping
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import QuantityPredictions, TargetingPredictions
from payoff.models.catalogue import AUTO, STATUS_QUO

BANDS = 5
MAX_LEVELS = 12


@dataclass(frozen=True)
class Segment:
    value: str
    size: int  # series (quantity) or entities (targeting)
    gain: float


@dataclass(frozen=True)
class Segments:
    column: str
    unit: str  # "series" or "entities"
    groups: tuple[Segment, ...]  # best gain first

    @property
    def losing(self) -> tuple[Segment, ...]:
        return tuple(g for g in self.groups if g.gain < 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "model": AUTO,
            "unit": self.unit,
            "groups": [{"segment": g.value, "size": g.size, "gain": g.gain} for g in self.groups],
            "losing": [g.value for g in self.losing],
        }

    @property
    def sentence(self) -> str:
        if not self.losing:
            return f"Payoff's choice gains in every {self.column} ({len(self.groups)} groups)."
        named = ", ".join(f"{g.value} ({g.gain:,.0f})" for g in self.losing[:5])
        more = f" and {len(self.losing) - 5} more" if len(self.losing) > 5 else ""
        return f"Payoff's choice loses money where {self.column} is {named}{more}: keep the status quo there."


def segment_gains(analysis: Analysis, impact: Impact, column: str) -> Segments:
    table = analysis.problem.table
    if column not in table.columns:
        raise BadMapping(f"There is no column '{column}' to break the gain down by.")
    predictions = analysis.predictions
    if isinstance(predictions, QuantityPredictions):
        values = _series_values(analysis, column)
        sign = impact.direction.sign
        auto, status_quo = impact.model(AUTO).per_series, impact.model(STATUS_QUO).per_series
        per_series = np.array([sign * (auto[label] - status_quo[label]) for label in predictions.panel.labels()])
        frame = pd.DataFrame({"segment": values, "gain": per_series})
        unit = "series"
    else:
        assert isinstance(predictions, TargetingPredictions)
        raw = table[column].iloc[predictions.rows].reset_index(drop=True)
        frame = pd.DataFrame({"segment": _bands(raw), "gain": impact.per_unit_gain[AUTO]})
        unit = "entities"
    grouped = frame.groupby("segment", sort=False, observed=True)["gain"].agg(["sum", "size"])
    groups = tuple(
        Segment(str(value), int(row["size"]), float(row["sum"]))
        for value, row in grouped.sort_values("sum", ascending=False).iterrows()
    )
    return Segments(column, unit, groups)


def _series_values(analysis: Analysis, column: str) -> list[str]:
    """Each series' value of the column; it must not change within a series."""
    predictions = analysis.predictions
    assert isinstance(predictions, QuantityPredictions)
    series = predictions.panel.series
    if column in series.columns:
        return series[column].astype("str").tolist()
    problem = analysis.problem
    keys = list(problem.keys)
    table = problem.table
    if not keys:
        distinct = table[column].dropna().astype("str").unique()
        if len(distinct) > 1:
            raise BadMapping(f"'{column}' changes over time; break the gain down by a column that names series.")
        return [distinct[0] if len(distinct) else "missing"]
    per_series = key_text(table[keys]).assign(**{column: table[column].astype("str")}).drop_duplicates()
    if per_series.duplicated(keys).any():
        raise BadMapping(
            f"'{column}' changes within a series; break the gain down by a column that is the same for each "
            f"series ({', '.join(keys)}, or a column like region)."
        )
    lookup = per_series.set_index(keys)[column]
    index = pd.MultiIndex.from_frame(series[keys].astype("str")) if len(keys) > 1 else series[keys[0]].astype("str")
    return lookup.reindex(index).fillna("missing").tolist()


def _bands(values: pd.Series) -> pd.Series:
    """Text as it is; numbers with many values as five equal-count bands ("12 to 30")."""
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > MAX_LEVELS:
        banded = pd.qcut(values, BANDS, duplicates="drop")
        labels = banded.map(lambda b: f"{b.left:,.4g} to {b.right:,.4g}" if pd.notna(b) else "missing")
        return labels.astype("str")
    return values.astype("str").where(values.notna(), "missing")
