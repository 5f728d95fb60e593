"""From priced entries to the Impact a page, the JSON and a report show: gains with intervals, the
recommendation (`auto` and the model it picks now), and one sentence a manager can repeat.

The sentence is built from these numbers only. It names the status quo, the period, the interval
and the main driver, and never calls a saving whose interval spans zero a sure saving."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from payoff import formatting
from payoff.evaluate.impact import Bootstrap, Entry, Impact, ModelMoney, Recommended, compare, gains
from payoff.framings.base import Framing, FromColumn, ParamValue, TargetingFraming
from payoff.models.catalogue import AUTO, BASE_RATE, STATUS_QUO


def build_impact(
    framing: Framing,
    values: Mapping[str, ParamValue | FromColumn],
    entries: list[Entry],
    choices: tuple[str, ...],
    now: str,
    status_quo_label: str,
    evaluation: dict[str, Any],
    bootstrap: Bootstrap | None,
) -> Impact:
    """`entries` holds the status quo first, then the models (and the base-rate rule), then auto.
    `choices` are auto's picks per test window or fold; `now` is the entry it would pick today."""
    models, best = compare(entries, framing.direction, bootstrap)
    auto = next(m for m in models if m.name == AUTO)
    recommended = Recommended(now, auto.gain or 0.0, auto.gain_interval or (0.0, 0.0), auto.p_beats or 0.0, choices)
    impact_models = tuple(models)
    text = narrative(framing, impact_models, recommended, status_quo_label, str(evaluation["period_text"]), best)
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
    )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def main_driver(framing: Framing, auto: ModelMoney, status_quo: ModelMoney) -> str | None:
    """The money component that moved most in the recommendation's favour, in words."""
    sign = -1.0 if framing.direction == "cost" else 1.0
    moves = {k: sign * (auto.components.get(k, 0.0) - v) for k, v in status_quo.components.items()}
    if not moves:
        return None
    component, amount = max(moves.items(), key=lambda kv: kv[1])
    if amount <= 0:
        return None
    if isinstance(framing, TargetingFraming):
        act, event, no_event = framing.words
        decided, happened = component.split(" & ")
        verb = act if decided == "act" else f"do not {act}"
        component = f"where you {verb} and it {event if happened == 'event' else no_event}"
        return f"mostly {component} ({formatting.money(amount, compact=True)} better)"
    what = "lower" if framing.direction == "cost" else "better"
    return f"mostly {component} ({formatting.money(amount, compact=True)} {what})"


def narrative(
    framing: Framing,
    models: tuple[ModelMoney, ...],
    recommended: Recommended,
    status_quo: str,
    period: str,
    best: str | None = None,
) -> str:
    """`best` is the entry that did best in hindsight (whom indistinguishable models are told
    apart from)."""
    auto = next(m for m in models if m.name == AUTO)
    sq = next(m for m in models if m.name == STATUS_QUO)
    gain = auto.gain or 0.0
    low, high = auto.gain_interval or (0.0, 0.0)
    verb = "cost" if framing.direction == "cost" else "earned"
    more, less = ("less", "more") if framing.direction == "cost" else ("more", "less")
    picked = (
        f"keeping {status_quo}"
        if recommended.model == STATUS_QUO
        else f"the model Payoff picks each time (now {recommended.model})"
    )
    span = formatting.interval(low, high, compact=True)
    if gain <= 0 or high <= 0:
        sentence = (
            f"Over {period}, no model reliably beat {status_quo}: letting Payoff choose would have {verb} "
            f"{formatting.money(abs(gain), compact=True)} {less if gain < 0 else more} (90% interval {span}). "
            "Keep what you do, or revisit the costs."
        )
    elif low <= 0:
        sentence = (
            f"Over {period}, {picked} would have {verb} {formatting.money(gain, compact=True)} {more} than "
            f"{status_quo}, but the 90% interval ({span}) spans zero: this is no sure saving."
        )
    else:
        sentence = (
            f"Over {period}, {picked} would have {verb} {formatting.money(gain, compact=True)} {more} than "
            f"{status_quo} (90% interval {span}; better in {auto.p_beats or 0:.0%} of resampled histories)."
        )
        driver = main_driver(framing, auto, sq)
        if driver:
            sentence = sentence[:-1] + f", {driver}."
    same = [m.name for m in models if m.indistinguishable and m.kind != STATUS_QUO]
    if best not in (None, STATUS_QUO) and same:
        sentence += (
            f" {best} did best in hindsight, but {_names(same)} cannot be told apart from it (the difference "
            "is within noise)."
        )
    base = next((m for m in models if m.name == BASE_RATE), None)
    if base is not None and base.gain is not None and gain > 0:
        own = gain - base.gain
        sentence += (
            f" No model is needed for {formatting.money(base.gain, compact=True)} of it: the base-rate rule "
            f"(the event rate and each entity's value, no model) gets that much; the models add "
            f"{formatting.money(own, compact=True)}."
            if base.gain > 0
            else f" Without a model (the event rate and each entity's value alone), nothing would have beaten {status_quo}."
        )
    return sentence
