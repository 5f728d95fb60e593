"""Closed days are closures, not stockouts: a bakery chain whose shops close on some Sundays and
all close on public holidays; no entry, the status quo included, is priced on those days."""

import numpy as np
import pandas as pd
import pytest

from payoff.data import quality
from payoff.data.roles import suggest_roles
from payoff.problem import make_problem
from tests.helpers import analyse

RNG = np.random.default_rng(21)
HOLIDAYS = {pd.Timestamp("2025-04-21"), pd.Timestamp("2025-05-29"), pd.Timestamp("2025-06-09")}


def _bakeries(days=182):
    rows = []
    for d in pd.date_range("2025-01-06", periods=days, freq="D"):
        for shop in ("old town", "station", "harbour"):
            shut = d in HOLIDAYS or (shop == "harbour" and d.day_of_week == 6 and d.month >= 3)
            for product, base in (("bread", 40), ("pretzel", 25), ("cake", 8)):
                sold = 0 if shut else int(RNG.poisson(base))
                if (
                    shop == "station"
                    and product == "cake"
                    and pd.Timestamp("2025-05-01") <= d < pd.Timestamp("2025-05-11")
                ):
                    sold = 0  # ten days without cake at the station: no stock, the others sell as usual
                rows.append((d, shop, product, sold))
    return pd.DataFrame(rows, columns=["date", "shop", "product", "sold"])


def test_whole_shop_and_whole_chain_closures_are_found_and_stockouts_are_not_closures():
    frame = _bakeries()
    roles = suggest_roles(frame)
    sundays = sum(
        1 for d in pd.date_range("2025-01-06", periods=182) if d.day_of_week == 6 and d.month >= 3 and d not in HOLIDAYS
    )
    found = {f.kind: f for f in quality.check(frame, roles)}
    # 3 holidays x 9 rows, and each harbour Sunday from March x 3 rows
    assert found["closed_periods"].count == 3 * 9 + sundays * 3
    assert "zero_runs" in found and set(found["zero_runs"].rows) <= set(
        frame.index[(frame["shop"] == "station") & (frame["product"] == "cake")]
    )
    problem = make_problem(frame, roles, "perishable", models=("naive",))
    assert problem.closures == (
        f"Closed, not out of stock: 3 day(s) when the whole business sold nothing; {sundays} day(s) when a whole "
        "shop sold nothing. No order and no cost is counted on them, for any model or the status quo."
    )


def test_no_entry_is_priced_on_a_closed_day():
    frame = _bakeries()
    analysis = analyse(frame, suggest_roles(frame), "perishable", models=("naive", "seasonal naive"))
    predictions = analysis.predictions
    closed = np.isnan(predictions.actual)  # closures are unknown demand: nothing to meet
    panel = predictions.panel
    scored = predictions.periods[predictions.scored]
    raw = frame.pivot_table(index=["shop", "product"], columns="date", values="sold").reindex(
        pd.MultiIndex.from_frame(panel.series)
    )
    sold_nothing_everywhere = (raw.to_numpy()[:, scored] == 0) & closed[:, predictions.scored]
    assert sold_nothing_everywhere.sum() == closed[:, predictions.scored].sum() > 0
    # the status quo's money by hand: under * short + over * excess on the open days only
    under, over = 4.0 - 1.5, 1.5
    decisions = analysis.impact.decisions["status quo"]
    actual = predictions.actual[:, predictions.scored]
    open_days = ~np.isnan(actual)
    by_hand = (under * np.maximum(actual - decisions, 0) + over * np.maximum(decisions - actual, 0))[open_days].sum()
    assert analysis.impact.model("status quo").money == pytest.approx(by_hand)


def test_sweep_points_that_cannot_be_priced_are_shown_with_their_reason():
    from payoff.carry.sensitivity import sweep

    dates = pd.date_range("2025-01-06", periods=150, freq="D")
    frame = pd.DataFrame(
        {"date": dates, "units_sold": RNG.poisson(20, len(dates)), "price": np.where(dates.month % 2, 9.0, 9.5)}
    )
    frame.loc[frame.index % 10 == 0, "price"] = np.nan  # the till lost the price on some days
    roles = suggest_roles(frame)
    analysis = analyse(frame, roles, "perishable", params={"unit_cost": 3.5}, models=("naive",))
    # the blanks' price is visible, and the column's own: its median, never a sample's number
    assert analysis.values["price"].fill == frame["price"].median() == 9.0
    swept = sweep(analysis, analysis.problem.framing.param("unit_cost"), (-0.5, 2.0), 7)
    # 3.5 x (0.5 ... 3.0) and the run's 3.5: above 9.00 (the cheaper rows' price, and the blanks') a sale loses
    assert swept.values == pytest.approx(sorted([3.5 * (0.5 + 2.5 * k / 6) for k in range(7)] + [3.5]))
    assert [x for x, _ in swept.unpriced] == pytest.approx([3.5 * (0.5 + 2.5 * 5 / 6), 10.5])
    assert swept.unpriced[0][1].startswith("The price is below the unit cost")
    assert "Not priced at 9.042, 10.5: the price is below the unit cost" in swept.sentence
    assert next(row for row in swept.as_rows() if row["model"] == "auto")["unpriced"][0]["value"] == pytest.approx(
        3.5 * (0.5 + 2.5 * 5 / 6)
    )
