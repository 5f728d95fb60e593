"""Where the gain comes from: the gain of Payoff's choice against the status quo by a column the
user picks (item, store, plan, region), with the segments where the choice loses money called
out. Quantity segments group whole series; targeting segments group entities (numbers with many
values are cut into five equal-count bands)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from payoff.analysis import Analysis
from payoff.engines import engine_for
from payoff.errors import BadMapping
from payoff.evaluate.impact import Impact
from payoff.models.catalogue import AUTO


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
    engine = engine_for(analysis.kind)
    frame = engine.gains_by(analysis.problem, analysis.predictions, impact, column)
    grouped = frame.groupby("segment", sort=False, observed=True)["gain"].agg(["sum", "size"])
    groups = tuple(
        Segment(str(value), int(row["size"]), float(row["sum"]))
        for value, row in grouped.sort_values("sum", ascending=False).iterrows()
    )
    return Segments(column, engine.gain_units, groups)
