"""A till's units sold beside what they sold for: each item priced at its own price (sales over
units), its unit cost from the gross margin typed, and the price never a forecasting feature."""

import numpy as np
import pandas as pd
import pytest

from payoff.data.load import read_table
from payoff.data.roles import Role, suggest_roles
from payoff.data.unit_price import unit_price_name, with_unit_price
from payoff.errors import PayoffError
from payoff.evaluate.quantity_money import costs_for
from payoff.framings.base import FromColumn
from payoff.models.catalogue import STATUS_QUO
from payoff.problem import make_problem
from tests.helpers import analyse

PRICES = {"Carrier bag 10p": 0.10, "Sourdough loaf": 3.80}


def _till(days: int = 90) -> bytes:
    rng = np.random.default_rng(12)
    rows = []
    for day in pd.date_range("2024-01-01", periods=days, freq="D"):
        for item, price in PRICES.items():
            sold = int(rng.poisson(1000 if price < 1 else 40))
            if day.day == 13:
                sold = 0  # a day that sold nothing: priced at the item's usual price
            rows.append((f"{day:%d/%m/%Y} 00:00", item, f"{sold:,}", f"£{sold * price:,.2f}"))
    frame = pd.DataFrame(rows, columns=["Business Date", "Item Description", "Qty Sold", "Net Sales"])
    return frame.to_csv(index=False).encode()


def _loaded():
    frame = read_table(_till(), "till.csv").frame
    return with_unit_price(frame, suggest_roles(frame))


def test_each_item_is_priced_at_its_own_price_and_said():
    frame, roles, note = _loaded()
    name = unit_price_name("Net Sales", "Qty Sold")
    assert roles.one(Role.PRICE) == name and roles.one(Role.TARGET) == "Qty Sold"
    by_item = frame.groupby("Item Description")[name]
    assert by_item.min().to_dict() == pytest.approx(PRICES) and by_item.max().to_dict() == pytest.approx(PRICES)
    assert note.startswith("Payoff added each row's selling price, 'Net Sales' / 'Qty Sold' (from 0.10 to 3.80)")


def test_a_margin_prices_each_items_cost_and_the_money_by_hand():
    frame, roles, _ = _loaded()
    name = unit_price_name("Net Sales", "Qty Sold")
    problem = make_problem(frame, roles, "perishable", params={"gross_margin": 0.4})
    assert problem.values["price"] == FromColumn(name, pytest.approx(1.95), 1.0)
    assert problem.values["unit_cost"] == FromColumn(name, pytest.approx(1.95 * 0.6), pytest.approx(0.6))
    assert name not in problem.features and dict(problem.left_out)[name].startswith("worked out from each day's sales")
    analysis = analyse(frame, roles, "perishable", params={"gross_margin": 0.4}, models=("naive",))
    predictions = analysis.predictions
    demand = np.maximum(predictions.actual[:, predictions.scored], 0)
    stocked = analysis.impact.decisions[STATUS_QUO]
    price = np.array([PRICES[str(label)] for label in predictions.panel.series["Item Description"]])[:, None]
    by_hand = 0.4 * price * np.maximum(demand - stocked, 0) + 0.6 * price * np.maximum(stocked - demand, 0)
    assert analysis.impact.model(STATUS_QUO).money == pytest.approx(float(np.nansum(by_hand)))


def test_a_holding_rate_is_a_share_of_each_items_own_cost():
    """Stock kept over (inventory) with a 40% margin and holding at 1% of the cost a day: a bag
    costs 0.06 and holds at 0.0006 a day, a loaf 2.28 and 0.0228; not 1% of one default cost."""
    frame, roles, _ = _loaded()
    name = unit_price_name("Net Sales", "Qty Sold")
    problem = make_problem(frame, roles, "inventory", params={"gross_margin": 0.4, "holding_rate": 0.01})
    assert problem.values["holding_cost"] == FromColumn(name, pytest.approx(1.95 * 0.006), pytest.approx(0.006))
    columns = {k: frame[v.column].to_numpy() for k, v in problem.values.items() if isinstance(v, FromColumn)}
    _, costs = costs_for(problem.framing, problem.values, columns)
    bag = (frame["Item Description"] == "Carrier bag 10p").to_numpy()
    assert np.unique(np.round(costs.over[bag], 10)).tolist() == [0.0006]
    assert np.unique(np.round(costs.over[~bag], 10)).tolist() == [0.0228]
    assert np.unique(np.round(costs.under[bag], 10)).tolist() == [0.04]  # the lost margin


def test_a_file_with_a_price_of_its_own_is_left_as_it_is():
    frame = read_table(b"date,item,sold,price,takings\n2024-01-01,a,3,2.00,$6.00\n2024-01-02,a,4,2.00,$8.00\n", "f.csv")
    out, _, note = with_unit_price(frame.frame, suggest_roles(frame.frame))
    assert note == "" and list(out.columns) == ["date", "item", "sold", "price", "takings"]


def test_a_price_typed_for_the_blank_rows_keeps_the_margin_per_row():
    frame, roles, _ = _loaded()
    name = unit_price_name("Net Sales", "Qty Sold")
    problem = make_problem(
        frame, roles, "perishable", params={"gross_margin": 0.4, "price": 3.8}, columns={"price": name}
    )
    assert problem.values["price"] == FromColumn(name, 3.8, 1.0)
    assert problem.values["unit_cost"] == FromColumn(name, pytest.approx(3.8 * 0.6), pytest.approx(0.6))


def test_a_free_item_or_a_refund_does_not_switch_the_prices_off():
    frame = read_table(_till(), "till.csv").frame
    frame.loc[0, ["Qty Sold", "Net Sales"]] = [1, 0.0]  # a bag given away
    frame.loc[1, ["Qty Sold", "Net Sales"]] = [2, -7.6]  # a refund booked as a sale
    out, _, note = with_unit_price(frame, suggest_roles(frame))
    name = unit_price_name("Net Sales", "Qty Sold")
    assert note and out.loc[0, name] == pytest.approx(0.10) and out.loc[1, name] == pytest.approx(3.80)


def test_one_unit_cost_above_the_cheapest_items_price_is_refused_with_the_margin_as_the_way_out():
    frame, roles, _ = _loaded()
    with pytest.raises(
        PayoffError, match=r"unit cost for some rows \(one unit cost of 1 against a lowest price of 0.1\)"
    ) as refused:
        analyse(frame, roles, "perishable", params={"unit_cost": 1.0}, models=("naive",))
    assert "Give a gross margin instead" in str(refused.value)


@pytest.mark.parametrize("typed", [{"price": 3.0}, {}])
def test_a_margin_beside_one_typed_price_prices_the_cost_from_that_price(typed):
    """The price column set aside ("one value") and 3.00 typed: a 40% margin is a unit cost of
    1.80, never dropped and never a money file's price of 1. Without a price typed, the price is
    asked for (the margin waits for it)."""
    frame, roles, _ = _loaded()
    params = {"gross_margin": 0.4, **typed}
    if not typed:
        with pytest.raises(PayoffError, match="price"):
            make_problem(frame, roles, "perishable", params=params, columns={"price": None}, defaults_from=None)
        return
    problem = make_problem(frame, roles, "perishable", params=params, columns={"price": None})
    assert problem.values["price"] == 3.0
    assert problem.values["unit_cost"] == pytest.approx(1.8)


def test_a_monthly_fee_beside_a_count_is_no_price_per_unit():
    """A subscription export read as dated rows: '$29.00' a month beside the boxes skipped is not
    what the boxes sold for, so no price per unit is made of it."""
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    text = "date,plan,Monthly fee,Boxes skipped\n" + "".join(
        f"{day:%Y-%m-%d},{plan},${fee:.2f},{(i * 7) % 5}\n"
        for i, day in enumerate(days)
        for plan, fee in (("basic", 29.0), ("family", 49.0))
    )
    frame = read_table(text.encode(), "subscriptions.csv").frame
    roles = suggest_roles(frame)
    assert roles.one(Role.TARGET) == "Boxes skipped"
    out, _, note = with_unit_price(frame, roles)
    assert note == "" and list(out.columns) == list(frame.columns)
