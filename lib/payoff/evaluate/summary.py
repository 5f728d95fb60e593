"""From priced entries to the Impact a page, the JSON and a report show: gains with intervals, the
recommendation (`auto` and the model it picks now), and one sentence a manager can repeat.

The sentence is built from these numbers only. It names the status quo, the period, the interval
and the main driver, and never calls a saving whose interval spans zero a sure saving."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from payoff import formatting
from payoff.evaluate.impact import Bootstrap, Entry, EvaluationRecord, Impact, ModelMoney, Recommended, compare, gains
from payoff.framings.base import Direction, Framing, FromColumn, ParamValue
from payoff.models.catalogue import AUTO, BASE_RATE, STATUS_QUO, business_name

SEASONAL_RULE = "seasonal naive"  # the quantity entry that needs no model: what a simple rule earns

if TYPE_CHECKING:
    from payoff.problem import Problem


@dataclass(frozen=True)
class Wording:
    """What the sentence says besides the numbers: the currency, and which of the numbers only the
    user knows were not given (priced with a sample's documented values or Payoff's defaults)."""

    currency: str = ""
    assumed: tuple[str, ...] = ()  # labels of the parameters priced with a default
    defaults_from: str | None = None  # "sample" or "framing"

    def money(self, value: float, compact: bool = True) -> str:
        return formatting.money(value, compact, self.currency)

    def assumption(self) -> str:
        if not self.assumed:
            return ""
        if self.defaults_from == "sample":
            return f" Priced with the sample's documented {formatting.listed(list(self.assumed))}."
        them = "them" if len(self.assumed) > 1 else "it"
        return f" Priced with Payoff's default {formatting.listed(list(self.assumed))}, not yours: type your own to replace {them}."


def wording(problem: Problem, values: Mapping[str, ParamValue | FromColumn] | None = None) -> Wording:
    """The wording of a problem's sentence: its currency and the numbers it assumed. A number a
    what-if sets (`values` other than the problem's own) is the user's, no longer assumed."""
    labels = {p.key: p.label.lower() for p in problem.framing.params} | {
        "value_periods": "periods a kept customer stays"
    }
    if problem.money_target:  # priced through a margin: that is the number assumed
        labels |= {"price": "gross margin", "unit_cost": "gross margin", "holding_cost": "holding cost per period"}
    own = problem.values
    kept = [k for k in problem.assumed if values is None or values.get(k) == own.get(k)]
    assumed = tuple(dict.fromkeys(labels[k] for k in kept))
    return Wording(problem.currency, assumed, problem.defaults_from)


def build_impact(
    framing: Framing,
    values: Mapping[str, ParamValue | FromColumn],
    entries: list[Entry],
    choices: tuple[str, ...],
    now: str,
    status_quo_label: str,
    evaluation: EvaluationRecord,
    bootstrap: Bootstrap | None,
    wording: Wording | None = None,
) -> Impact:
    """`entries` holds the status quo first, then the models (and the base-rate rule), then auto.
    `choices` are auto's picks per test window or fold; `now` is the entry it would pick today."""
    models, best = compare(entries, framing.direction, bootstrap)
    auto = next(m for m in models if m.name == AUTO)
    recommended = Recommended(now, auto.gain or 0.0, auto.gain_interval or (0.0, 0.0), auto.p_beats or 0.0, choices)
    impact_models = tuple(models)
    wording = wording or Wording()
    said = sentences(
        framing, impact_models, recommended, status_quo_label, str(evaluation["period_text"]), best, wording
    )
    text = " ".join(said)
    return Impact(
        framing=framing.key,
        params=dict(values),
        direction=framing.direction,
        status_quo_label=status_quo_label,
        models=impact_models,
        evaluation=evaluation,
        best_model=best,
        recommended=recommended,
        narrative=text,
        decisions={e.name: e.decisions for e in entries if e.decisions is not None},
        per_unit_gain=gains(entries, framing.direction),
        currency=wording.currency,
        answer=said[0],
    )


def _no_model(rule: str, rule_gain: float, gain: float, wording: Wording) -> str:
    """How much of Payoff's gain a rule with no model earns, and what the models add."""
    if rule_gain <= gain:
        return (
            f"No model is needed for {wording.money(rule_gain)} of it: {rule} gets that much; the models add "
            f"{wording.money(gain - rule_gain)}."
        )
    return (
        f"No model is needed for any of it: {rule} alone would have gained {wording.money(rule_gain)}, "
        f"{wording.money(rule_gain - gain)} more than Payoff's choice."
    )


def main_driver(framing: Framing, auto: ModelMoney, status_quo: ModelMoney, wording: Wording) -> str | None:
    """The money component that moved most in the recommendation's favour, in words."""
    sign = framing.direction.sign
    moves = {k: sign * (auto.components.get(k, 0.0) - v) for k, v in status_quo.components.items()}
    if not moves:
        return None
    component, amount = max(moves.items(), key=lambda kv: kv[1])
    if amount <= 0:
        return None
    return framing.driver(component, wording.money(amount))


def narrative(
    framing: Framing,
    models: tuple[ModelMoney, ...],
    recommended: Recommended,
    status_quo: str,
    period: str,
    best: str | None = None,
    wording: Wording | None = None,
) -> str:
    """The whole story in one paragraph (the JSON's `narrative`); see :func:`sentences`."""
    return " ".join(sentences(framing, models, recommended, status_quo, period, best, wording))


def sentences(
    framing: Framing,
    models: tuple[ModelMoney, ...],
    recommended: Recommended,
    status_quo: str,
    period: str,
    best: str | None = None,
    wording: Wording | None = None,
) -> list[str]:
    """The answer first (what Payoff's choice would have saved, its likely range, the main driver,
    and any number it assumed), then what a manager may ask next: which model did best, and how
    much of the gain needs no model. `best` is the entry that did best in hindsight (whom
    indistinguishable models are told apart from). Business names throughout."""
    wording = wording or Wording()
    auto = next(m for m in models if m.name == AUTO)
    sq = next(m for m in models if m.name == STATUS_QUO)
    gain = auto.gain or 0.0
    low, high = auto.gain_interval or (0.0, 0.0)
    verb = "cost" if framing.direction is Direction.COST else "earned"
    more, less = ("less", "more") if framing.direction is Direction.COST else ("more", "less")
    picked = (
        f"keeping {status_quo}"
        if recommended.model == STATUS_QUO
        else f"Payoff's choice (now: {business_name(recommended.model)})"
    )
    span = formatting.interval(low, high, compact=True, currency=wording.currency)
    if recommended.model == STATUS_QUO and gain == 0 and set(recommended.choices) <= {STATUS_QUO}:
        answer = (
            f"Over {period}, no model reliably beat {status_quo}: Payoff's choice is to keep it. Keep what you do, "
            "or revisit the costs."
        )
    elif gain <= 0 or high <= 0:
        answer = (
            f"Over {period}, no model reliably beat {status_quo}: letting Payoff choose would have {verb} "
            f"{wording.money(abs(gain))} {less if gain < 0 else more} (90% interval {span}). "
            "Keep what you do, or revisit the costs."
        )
    elif low <= 0:
        answer = (
            f"Over {period}, {picked} would have {verb} {wording.money(gain)} {more} than "
            f"{status_quo}, but the 90% interval ({span}) spans zero: this is no sure saving."
        )
    else:
        answer = (
            f"Over {period}, {picked} would have {verb} {wording.money(gain)} {more} than "
            f"{status_quo} (90% interval {span})."
        )
        driver = main_driver(framing, auto, sq, wording)
        if driver:
            answer = answer[:-1] + f", {driver}."
    out = [answer + wording.assumption()]
    same = [business_name(m.name) for m in models if m.indistinguishable and m.kind != STATUS_QUO]
    if best not in (None, STATUS_QUO) and same:
        out.append(
            f"{business_name(str(best))} did best in hindsight, but {formatting.listed(same)} cannot be told apart from it "
            "(the difference is within noise)."
        )
    base = next((m for m in models if m.name == BASE_RATE), None)
    if base is not None and base.gain is not None and gain > 0:
        one = str(getattr(framing, "entities", "rows")).rstrip("s")  # "each customer's value", not "each entity's"
        rule = f"the value rule (the event rate and each {one}'s value, no model)"
        out.append(
            _no_model(rule, base.gain, gain, wording)
            if base.gain > 0
            else f"Without a model (the event rate and each {one}'s value alone), nothing would have beaten {status_quo}."
        )
    seasonal = next((m for m in models if m.name == SEASONAL_RULE), None)
    if seasonal is not None and seasonal.gain is not None and gain > 0:
        rule = "a simple seasonal rule (the same period one season back, with a safety margin set from its own past errors)"
        out.append(
            _no_model(rule, seasonal.gain, gain, wording)
            if seasonal.gain > 0
            else f"A simple seasonal rule with no model would not have beaten {status_quo}."
        )
    return out


def interval_note(impact: Impact) -> str:
    """The headline's uncertainty, as the page and the report both say it: the 90% interval, and
    that a gain whose interval reaches zero is no sure saving."""
    low, high = impact.recommended.gain_interval
    unsure = " (spans zero: no sure saving)" if low <= 0 < impact.recommended.gain else ""
    return f"90% interval {formatting.interval(low, high, currency=impact.currency)}{unsure}"
