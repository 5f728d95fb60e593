"""A framing is a business question with its parameters and its money formula.

Parameter keys are a contract shared by the UI, the CLI and the tests (see DESIGN.md,
"Framing catalogue")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from payoff.errors import BadParameter


@dataclass(frozen=True)
class Param:
    key: str
    label: str
    default: float | int | bool | None
    unit: str = ""
    help: str = ""
    kind: str = "money"  # money | share | periods | count | bool | optional_count
    minimum: float | None = 0.0
    maximum: float | None = None
    column_role: str | None = None  # a column with this role overrides the constant per row

    def coerce(self, raw: Any) -> float | int | bool | None:
        """Turn user input (text from the CLI, a widget value) into this parameter's type."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"true", "yes", "1", "on"}:
                return True
            if text in {"false", "no", "0", "off"}:
                return False
            raise BadParameter(f"'{self.key}' must be true or false, not {raw!r}.")
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"", "none"}):
            if self.kind == "optional_count":
                return None
            raise BadParameter(f"'{self.key}' needs a value ({self.help or self.label}).")
        try:
            value = float(str(raw).replace(",", "")) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError) as error:
            raise BadParameter(f"'{self.key}' must be a number ({self.unit or self.label}), not {raw!r}.") from error
        if self.minimum is not None and value < self.minimum:
            raise BadParameter(f"'{self.key}' must be at least {self.minimum:g}, not {value:g}.")
        if self.maximum is not None and value > self.maximum:
            raise BadParameter(f"'{self.key}' must be at most {self.maximum:g}, not {value:g}.")
        if self.kind in {"periods", "count", "optional_count"}:
            if value != int(value):
                raise BadParameter(f"'{self.key}' must be a whole number, not {value:g}.")
            return int(value)
        return value


@dataclass(frozen=True)
class Framing:
    key: str
    title: str
    family: str  # quantity | targeting
    question: str
    params: tuple[Param, ...]
    direction: str = "cost"  # cost: lower is better; value: higher is better
    act_label: str = "act"

    def param(self, key: str) -> Param:
        for param in self.params:
            if param.key == key:
                return param
        known = ", ".join(p.key for p in self.params)
        raise BadParameter(f"Framing '{self.key}' has no parameter '{key}'. Its parameters: {known}.")

    def defaults(self) -> dict[str, Any]:
        return {p.key: p.default for p in self.params}

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults overlaid with the given values, each checked and converted."""
        values = self.defaults()
        for key, raw in given.items():
            values[key] = self.param(key).coerce(raw)
        for param in self.params:
            if values[param.key] is None and param.kind != "optional_count":
                raise BadParameter(f"'{param.key}' needs a value: {param.help}")
        return values
