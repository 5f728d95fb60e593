"""Tables behind the targeting charts: profit curve, calibration, confusion matrix priced in money."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.evaluate.impact import Impact
from payoff.evaluate.predictions import TargetingPredictions
from payoff.evaluate.targeting_money import cells_for
from payoff.framings.base import FromColumn, ParamValue, TargetingFraming
from payoff.framings.cells import money_per_entity
from payoff.framings.policy import Arrays


def profit_curve(
    framing: TargetingFraming,
    values: Mapping[str, ParamValue | FromColumn],
    predictions: TargetingPredictions,
    model: str,
) -> pd.DataFrame:
    """Money when acting on the top share of entities ranked by the model's expected gain."""
    money = cells_for(framing, values, predictions)
    positive = predictions.positive
    gain = money.gain_of_acting(predictions.model(model).probability)
    order = np.argsort(-gain, kind="stable")
    n = len(positive)
    act_all = money.realised(np.ones(n, bool), positive)
    pass_all = money.realised(np.zeros(n, bool), positive)
    delta = money_per_entity(act_all) - money_per_entity(pass_all)
    base = float(money_per_entity(pass_all).sum())
    cumulative = np.concatenate([[0.0], np.cumsum(delta[order])])
    step = max(1, n // 400)  # a few hundred points are enough to draw
    index = np.unique(np.r_[np.arange(0, n + 1, step), n])
    return pd.DataFrame({"share": index / n, "money": base + cumulative[index]})


def calibration_table(probability: np.ndarray, positive: np.ndarray, bins: int = 10) -> pd.DataFrame:
    edges = np.unique(np.quantile(probability, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, max(len(edges) - 2, 0))
    frame = pd.DataFrame({"bin": which, "p": probability, "y": positive.astype(float)})
    table = frame.groupby("bin").agg(predicted=("p", "mean"), observed=("y", "mean"), entities=("y", "size"))
    return table.reset_index(drop=True)


def confusion(impact: Impact, model: str, framing: TargetingFraming) -> pd.DataFrame:
    """The decisions against what happened, in the framing's words (contact / do not contact x
    churns / stays; approve / do not approve x defaults / repays): how many, and the money."""
    entry = impact.model(model)
    act, event, no_event = framing.words
    rows = []
    for decision, said in (("act", act.capitalize()), ("pass", f"Do not {act}")):
        rows.append(
            {
                "Decision": said,
                f"It {event}: how many": int(entry.extras.get(f"{decision} & event", 0)),
                f"It {event}: money": entry.components.get(f"{decision} & event", 0.0),
                f"It {no_event}: how many": int(entry.extras.get(f"{decision} & no event", 0)),
                f"It {no_event}: money": entry.components.get(f"{decision} & no event", 0.0),
            }
        )
    frame = pd.DataFrame(rows)
    return formatting.declare(
        frame,
        {
            f"It {event}: how many": formatting.COUNT,
            f"It {event}: money": formatting.MONEY,
            f"It {no_event}: how many": formatting.COUNT,
            f"It {no_event}: money": formatting.MONEY,
        },
    )


def typical_outcomes(framing: TargetingFraming, arrays: Arrays) -> pd.DataFrame:
    """The money of each of the four outcomes for a typical entity (each per-row parameter at its
    median): what the costs mean before anything is fitted."""
    typical = {k: float(np.nanmedian(v)) if np.ndim(v) else v for k, v in arrays.items()}
    cells = framing.cells(typical)
    act, event, no_event = framing.words
    return pd.DataFrame(
        {
            "outcome": [
                f"{act}, and it {event}",
                f"{act}, and it {no_event}",
                f"do not {act}, and it {event}",
                f"do not {act}, and it {no_event}",
            ],
            "money per entity": [
                formatting.money(float(v)) for v in (cells.act_pos, cells.act_neg, cells.pass_pos, cells.pass_neg)
            ],
        }
    )
