"""What a service level costs: the same kept forecasts priced at "short at most X% of periods"
for a few X, Payoff's choice taken at each, with the share of periods it actually ran short in
the tests. "Short at most 5% costs 1,240 a month more than 10%" is read off this table."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.evaluate.predictions import QuantityPredictions
from payoff.evaluate.quantity_money import Priced, price_entries
from payoff.framings.base import FromColumn, ParamValue, QuantityFraming
from payoff.models.catalogue import AUTO, BLEND, STATUS_QUO, business_name

KEY = "max_short"
TARGETS: tuple[float | None, ...] = (None, 0.2, 0.1, 0.05, 0.02, 0.01)  # None: the costs alone decide
DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.44}
MONTH = 30.44  # days
TARGET, SHORT, COST, MONTHLY, MORE = (
    "Orders set by",
    "Short in the tests",
    "Cost in the tests",
    "Cost a month",
    "More a month than the row above",
)


def short_cells(priced: Priced, predictions: QuantityPredictions) -> np.ndarray:
    """Per scored cell where demand was seen, whether it ran short: lost sales where the rule
    simulates stock, else demand above the decision."""
    actual = predictions.actual[:, predictions.scored]
    seen = ~np.isnan(actual)
    if priced.lost is not None:
        lost = priced.lost[:, predictions.scored]
    else:
        lost = np.where(seen, actual, 0.0) - priced.decisions[:, predictions.scored]
    short: np.ndarray = (lost > 1e-9)[seen]
    return short


def service_table(
    framing: QuantityFraming, values: Mapping[str, ParamValue | FromColumn], predictions: QuantityPredictions
) -> pd.DataFrame | None:
    """The best model at these costs priced at each service level (and at none): its cost over the
    tests, a month of it, and the share of periods it ran short; today's practice last, which no
    target changes. One model for every row, so the rows differ by the target alone (Payoff's
    choice may keep today's practice, which does not meet a target). None when the framing has
    no service level."""
    if KEY not in {p.key for p in framing.params}:
        return None
    months = int(predictions.scored.sum()) * DAYS.get(predictions.panel.frequency.unit, 1.0) / MONTH
    scored = predictions.scored
    at_costs, _, _, _ = price_entries(framing, {**values, KEY: None}, predictions)
    models = [e for e in at_costs if e.name not in (STATUS_QUO, BLEND)]  # one model: the blend re-picks its leaders
    best = min(models, key=lambda e: float(e.total[:, scored].sum())).name
    rows = []
    for target in TARGETS:
        entry = price_entries(framing, {**values, KEY: target}, predictions, only=best)[1]
        label = "the costs decide" if target is None else formatting.percent(target) + " of periods"
        rows.append(_row(f"{business_name(best)}: {label}", entry, predictions, months))
    today = next((e for e in at_costs if e.name == STATUS_QUO), None)
    if today is not None:
        rows.append(_row("Today's practice", today, predictions, months))
    table = pd.DataFrame(rows)
    table[MORE] = table[MONTHLY].diff()
    table.loc[table.index[-1], MORE] = np.nan if today is not None else table[MORE].iloc[-1]
    kinds = {TARGET: formatting.TEXT, SHORT: formatting.PERCENT, COST: formatting.MONEY}
    return formatting.declare(table, {**kinds, MONTHLY: formatting.MONEY, MORE: formatting.MONEY})


def _row(label: str, entry: Priced, predictions: QuantityPredictions, months: float) -> dict[str, object]:
    cost = float(entry.total[:, predictions.scored].sum())
    return {
        TARGET: label,
        SHORT: float(short_cells(entry, predictions).mean()),
        COST: cost,
        MONTHLY: cost / months if months > 0 else np.nan,
    }


def sentence(table: pd.DataFrame, currency: str = "") -> str:
    """The cost of the service level in one sentence, between the two most asked-for targets."""
    rows = table.assign(**{TARGET: table[TARGET].str.split(": ").str[-1]}).set_index(TARGET)
    low, high = formatting.percent(0.1) + " of periods", formatting.percent(0.05) + " of periods"
    if low not in rows.index or high not in rows.index:
        return ""
    extra = float(rows.loc[high, MONTHLY] - rows.loc[low, MONTHLY])
    same_short = abs(float(rows.loc[high, SHORT]) - float(rows.loc[low, SHORT])) < 1e-9
    if same_short and abs(extra) <= 1e-3 * max(abs(float(rows.loc[low, MONTHLY])), 1.0):  # "costs €0 a month more"
        return (
            "At these costs the orders already stock for both 1 period short in 20 (5%) and 1 in 10 (10%): "
            f"neither target changes them; in the tests they ran short in "
            f"{formatting.percent(float(rows.loc[high, SHORT]))} of periods."
        )
    amount = formatting.money(abs(extra), currency=currency)
    more = "more" if extra >= 0 else "less"
    return (
        f"Short on at most 1 period in 20 (5%) costs {amount} a month {more} than 1 in 10 (10%); in the tests it "
        f"ran short in {formatting.percent(float(rows.loc[high, SHORT]))} of periods, against "
        f"{formatting.percent(float(rows.loc[low, SHORT]))}."
    )


LEDGER_COLUMNS = {
    "opening": "Opening stock",
    "arrivals": "Delivered",
    "sales": "Sold",
    "lost": "Lost sales",
    "waste": "Written off",
    "closing": "Closing stock",
}


def series_ledger(
    framing: QuantityFraming,
    values: Mapping[str, ParamValue | FromColumn],
    predictions: QuantityPredictions,
    series: int,
    option: str = AUTO,
) -> pd.DataFrame | None:
    """One series' stock ledger in the tests under an option (Payoff's choice unless named): per
    period the demand, opening stock, what was delivered, sold, lost and written off, and the
    closing stock. None when the rule keeps no ledger (a newsvendor without order days: nothing
    is carried over)."""
    chosen = price_entries(framing, values, predictions, only=None if option == AUTO else option)[1]
    if chosen.ledger is None:
        return None
    scored = predictions.scored
    dates = pd.DatetimeIndex(predictions.panel.dates[predictions.periods][scored])
    frame = pd.DataFrame({"Period": dates})
    if predictions.panel.frequency.unit == "day":
        frame["Day"] = dates.day_name().str[:3]  # delivery days stand out
    frame["Demand"] = predictions.actual[series, scored]
    for name, label in LEDGER_COLUMNS.items():
        frame[label] = getattr(chosen.ledger, name)[series, scored]
    kind = formatting.COUNT if predictions.panel.whole_units else formatting.NUMBER
    kinds = {label: kind for label in ("Demand", *LEDGER_COLUMNS.values())}
    return formatting.declare(frame, {"Period": formatting.DATE, "Day": formatting.TEXT, **kinds})
