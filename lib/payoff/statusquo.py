"""What the business does today, as a small union of frozen types. Text ("moving-average:7:+10%",
"tenure<6") is parsed once, at the edge (the CLI); everything inside matches on the type."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from payoff.errors import BadParameter


@dataclass(frozen=True)
class DecisionColumn:
    """A column of the file holding what was actually decided (units ordered, staff, contacted)."""

    column: str

    @property
    def label(self) -> str:
        return f"your '{self.column}' column"

    @property
    def text(self) -> str:
        return self.column


@dataclass(frozen=True)
class LastValue:
    """Quantities: decide the last known period's value."""

    @property
    def label(self) -> str:
        return "last period's value"

    @property
    def text(self) -> str:
        return "last"


@dataclass(frozen=True)
class MovingAverage:
    """Quantities: the average of the last `window` periods plus a buffer (0.1 = +10%)."""

    window: int
    buffer: float = 0.0
    unit: str = "period"  # the file's period once the problem knows it: "the last 4 weeks"

    @property
    def label(self) -> str:
        return f"the average of the last {self.window} {self.unit}s" + (f" {self.buffer:+.0%}" if self.buffer else "")

    @property
    def text(self) -> str:
        return f"moving-average:{self.window}" + (f":{self.buffer * 100:+g}%" if self.buffer else "")


@dataclass(frozen=True)
class Seasonal:
    """Quantities: the same period one season earlier (the same weekday last week on a daily file,
    the same hour last week on an hourly one, the same week last year on a weekly one). `season`
    0 takes the data's own, set when the problem is made; `period` and `cycle` name it in words."""

    season: int = 0
    period: str = "period"
    cycle: str = "season"

    @property
    def label(self) -> str:
        return f"the same {self.period} last {self.cycle}"

    @property
    def text(self) -> str:
        return "seasonal"


@dataclass(frozen=True)
class SeasonalAverage:
    """Quantities: the average of the same period over the last `seasons` seasons, plus a buffer."""

    seasons: int
    buffer: float = 0.0
    season: int = 0
    period: str = "period"
    cycle: str = "season"

    @property
    def label(self) -> str:
        return f"the average of the same {self.period} over the last {self.seasons} {self.cycle}s" + (
            f" {self.buffer:+.0%}" if self.buffer else ""
        )

    @property
    def text(self) -> str:
        return f"seasonal-average:{self.seasons}" + (f":{self.buffer * 100:+g}%" if self.buffer else "")


@dataclass(frozen=True)
class Nobody:
    """Targeting: act on nobody."""

    @property
    def label(self) -> str:
        return "acting on nobody"

    @property
    def text(self) -> str:
        return "nobody"


@dataclass(frozen=True)
class Everybody:
    """Targeting: act on everybody."""

    @property
    def label(self) -> str:
        return "acting on everybody"

    @property
    def text(self) -> str:
        return "everybody"


@dataclass(frozen=True)
class Rule:
    """Targeting: act where one column compares with a value (``tenure < 6``)."""

    column: str
    op: str
    value: float | str

    @property
    def label(self) -> str:
        return f"the rule {self.column} {self.op} {self._value_text}"

    @property
    def text(self) -> str:
        return f"{self.column}{self.op}{self._value_text}"

    @property
    def _value_text(self) -> str:
        return f"{self.value:g}" if isinstance(self.value, float) else self.value


StatusQuo = DecisionColumn | LastValue | MovingAverage | Seasonal | SeasonalAverage | Nobody | Everybody | Rule
QUANTITY_KINDS: tuple[type, ...] = (DecisionColumn, LastValue, MovingAverage, Seasonal, SeasonalAverage)
TARGETING_KINDS: tuple[type, ...] = (DecisionColumn, Nobody, Everybody, Rule)

_MOVING_AVERAGE = re.compile(r"^moving-average:(\d+)(?::([+-]?\d+(?:\.\d+)?)%)?$")
_SEASONAL_AVERAGE = re.compile(r"^seasonal-average:(\d+)(?::([+-]?\d+(?:\.\d+)?)%)?$")
_RULE = re.compile(r"^\s*(?P<column>.+?)\s*(?P<op><=|>=|<|>|==|!=)\s*(?P<value>[^<>=!]+?)\s*$")
HELP = (
    "a column name, 'last', 'moving-average:N[:+B%]', 'seasonal' or 'seasonal-average:N[:+B%]' for quantities; "
    "'nobody', 'everybody', a 1/0 column or a rule such as 'tenure<6' for targeting"
)


def parse_status_quo(text: str, columns: Collection[str]) -> StatusQuo:
    """The status quo a user typed. A column name wins over every rule word, so a column called
    'last' is still a column."""
    text = text.strip()
    if text in columns:
        return DecisionColumn(text)
    if text == "last":
        return LastValue()
    if text in ("nobody", "everybody"):
        return Nobody() if text == "nobody" else Everybody()
    if text == "seasonal":
        return Seasonal()
    match = _SEASONAL_AVERAGE.match(text)
    if match:
        seasons = int(match.group(1))
        if seasons < 1:
            raise BadParameter("The seasonal-average status quo needs at least 1 season.")
        return SeasonalAverage(seasons, float(match.group(2) or 0) / 100)
    match = _MOVING_AVERAGE.match(text)
    if match:
        window = int(match.group(1))
        if window < 1:
            raise BadParameter("The moving-average status quo needs at least 1 period.")
        return MovingAverage(window, float(match.group(2) or 0) / 100)
    match = _RULE.match(text)
    if match and match.group("column") in columns:
        raw = match.group("value").strip()
        try:
            value: float | str = float(raw)
        except ValueError:
            value = raw
        return Rule(match.group("column"), match.group("op"), value)
    raise BadParameter(f"Unknown status quo '{text}'. Use {HELP}.")


def to_dict(status_quo: StatusQuo) -> dict[str, Any]:
    """The serial form: the kind and its fields."""
    fields = {k: getattr(status_quo, k) for k in status_quo.__dataclass_fields__}
    return {"kind": type(status_quo).__name__, **fields}


_KINDS: dict[str, type] = {
    k.__name__: k
    for k in (DecisionColumn, LastValue, MovingAverage, Seasonal, SeasonalAverage, Nobody, Everybody, Rule)
}


def from_dict(data: dict[str, Any]) -> StatusQuo:
    fields = dict(data)
    kind = _KINDS[fields.pop("kind")]
    return kind(**fields)
