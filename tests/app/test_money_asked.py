"""Money is asked, never silently assumed: on a user's own file the numbers only they know start
empty and Run stays off until they are typed; a money target is priced through its margin; a
monthly value asks how many months a kept customer stays. Runs go through the real fit process."""

import numpy as np
import pandas as pd
import pytest

from payoff.framings.base import FromColumn
from payoff.ui import state
from tests.app.conftest import open_app, shown, upload

RNG = np.random.default_rng(11)


def _daily_units() -> bytes:
    dates = pd.date_range("2025-01-06", periods=200, freq="D")
    rows = [(d, shop, int(RNG.poisson(20 + 8 * (d.day_of_week >= 5)))) for d in dates for shop in ("north", "south")]
    return pd.DataFrame(rows, columns=["date", "shop", "units_sold"]).to_csv(index=False).encode()


def _weekly_dollars() -> bytes:
    dates = pd.date_range("2010-02-05", periods=120, freq="W-FRI")
    rows = [
        (store, d, round(float(RNG.normal(1_500_000 + 200_000 * store, 90_000)), 2), int(d.month == 12))
        for store in (1, 2, 3)
        for d in dates
    ]
    return pd.DataFrame(rows, columns=["Store", "Date", "Weekly_Sales", "Holiday_Flag"]).to_csv(index=False).encode()


def _customers() -> bytes:
    n = 800
    monthly = np.round(RNG.gamma(6, 12, n) + 15, 2)
    tenure = RNG.integers(1, 72, n)
    churn = RNG.random(n) < 1 / (1 + np.exp(1.0 + 0.04 * tenure - 0.01 * (monthly - 80)))
    frame = pd.DataFrame(
        {
            "customerID": [f"K{i:04d}" for i in range(n)],
            "tenure": tenure,
            "MonthlyCharges": monthly,
            "Churn": np.where(churn, "Yes", "No"),
        }
    )
    return frame.to_csv(index=False).encode()


def _problem_page(name: str, data: bytes):
    at = upload(open_app("app_pages/data.py"), name, data)
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception
    return at


def _margin_in_the_what_if(at, framing: str, margin: float) -> str:
    """Run the models through the fit's process, open Impact, and check its what-if shows the
    margin typed (and no price or unit cost); the what-ifs' key prefix."""
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=240)
    at.switch_page("app_pages/impact.py").run()
    assert not at.exception
    whatif = f"{state.WHATIF_PREFIX}{framing}."
    assert at.number_input(key=whatif + "gross_margin").value == pytest.approx(margin)
    assert not [w for w in at.number_input if w.key in (whatif + "price", whatif + "unit_cost")]
    return whatif


def test_own_file_asks_the_prices_and_runs_once_they_are_typed():
    at = _problem_page("shop.csv", _daily_units())
    text = shown(at)
    assert "Needed before the first run: selling price and unit cost." in text
    price = at.number_input(key=state.PARAM_PREFIX + "perishable.price")
    assert price.value is None  # empty, not the samples' 4.00
    at.switch_page("app_pages/models.py").run()
    assert at.button(key=state.RUN_MODELS).disabled
    assert "Before the first run, type on the Problem page: selling price and unit cost." in shown(at)
    at.switch_page("app_pages/problem.py").run()
    at.number_input(key=state.PARAM_PREFIX + "perishable.price").set_value(9.0).run()
    at.number_input(key=state.PARAM_PREFIX + "perishable.unit_cost").set_value(3.0).run()
    assert "Needed before the first run" not in shown(at)
    assert "Selling price: 9 (your number)" in shown(at) and "Salvage value: 0 (Payoff's default)" in shown(at)
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=240)
    assert not at.exception and not at.error
    analysis = at.session_state[state.ANALYSIS]
    assert dict(analysis.problem.sources)["price"] == "typed" and analysis.values["price"] == 9.0
    assert "assumed" not in analysis.impact.narrative  # every number that sets the money is the user's
    assert not any("You changed" in w.value for w in at.warning)  # no stale warning after a run


def test_weekly_dollar_sales_are_priced_through_the_margin():
    at = _problem_page("walmart.csv", _weekly_dollars())
    at.radio(key=state.FRAMING_PICK).set_value("inventory").run()
    text = shown(at)
    assert "'Weekly_Sales' reads as sales in money: values with cents, such as " in text
    assert "Needed before the first run: gross margin and holding cost per period." in text
    at.number_input(key=state.PARAM_PREFIX + "inventory.gross_margin").set_value(25.0).run()
    at.number_input(key=state.PARAM_PREFIX + "inventory.holding_rate").set_value(0.4).run()
    assert not at.exception
    problem = at.session_state[state.CHOICES].problem(
        at.session_state[state.PREPARED].frame, at.session_state[state.PREPARED].roles, "inventory"
    )
    assert problem.values["price"] == 1.0 and problem.values["unit_cost"] == pytest.approx(0.75)
    assert problem.values["holding_cost"] == pytest.approx(0.004 * 0.75)  # 0.4% of the cost of a unit a week
    assert problem.money_target is not None
    assert "Gross margin: 25% (your number)" in shown(at) and "Unit cost: 0.75" not in shown(at)  # as typed
    assert "Holding: 0.4% of the unit cost a period (your number)" in shown(at)
    assert "carrying a unit one more period 0.003:" in shown(at)  # not 0.00

    # the what-if asks the margin too, as the Problem page did, not a price of 1.00 and a cost of 0.75
    whatif = _margin_in_the_what_if(at, "inventory", 25.0)
    holding = at.number_input(key=whatif + "holding_cost")
    assert holding.value == pytest.approx(0.003) and holding.proto.format == "%.5f"  # shown as 0.00300
    before = at.session_state[state.ANALYSIS].impact.recommended.gain
    at.number_input(key=whatif + "gross_margin").set_value(40.0).run()
    # holding, asked as 0.4% of a unit's cost, follows the cost the margin sets: 0.004 x 0.6
    assert dict(at.session_state[state.WHATIF]) == {
        "unit_cost": pytest.approx(0.6),
        "holding_cost": pytest.approx(0.0024),
    }
    assert at.number_input(key=whatif + "gross_margin").value == pytest.approx(40.0)
    assert at.session_state[state.ANALYSIS].impact.recommended.gain == before  # the run's own money is kept


def _weekly_euros() -> bytes:
    """A French export: semicolons, amounts with a euro sign, named in French ("CA TTC": takings
    with tax), nothing in the name that says money to an English reader."""
    dates = pd.date_range("2022-01-03", periods=110, freq="W-MON")
    cents = RNG.normal(1_200_000, 90_000, (2, len(dates))).round().astype(int)
    lines = ["Semaine;Magasin;CA TTC"] + [
        f"{d:%d.%m.%Y};{shop};{c // 100:,}".replace(",", ".") + f",{c % 100:02d} €"  # 12.030,77 €
        for shop, row in zip(("Lyon", "Paris"), cents, strict=True)
        for d, c in zip(dates, row, strict=True)
    ]
    return ("\n".join(lines) + "\n").encode("cp1252")


def test_amounts_with_a_currency_sign_are_priced_through_the_margin_whatever_their_name():
    at = _problem_page("ventes.csv", _weekly_euros())
    text = shown(at)
    assert "'CA TTC' reads as money: its values are written with a currency sign" in text
    assert "Needed before the first run: gross margin." in text
    assert not [w for w in at.number_input if w.key == state.PARAM_PREFIX + "perishable.price"]  # no price per euro
    assert at.selectbox(key=state.PARAM_PREFIX + "currency").value == "€"  # the file's own, not the browser's
    at.selectbox(key=state.PARAM_PREFIX + "currency").set_value("no symbol").run()  # the user's pick stands ...
    at.switch_page("app_pages/data.py").run()
    at.selectbox(key=state.OPT_PREFIX + "day").set_value("day first (3 April)").run()  # ... a re-read later
    at.switch_page("app_pages/problem.py").run()
    assert at.selectbox(key=state.PARAM_PREFIX + "currency").value == "no symbol"


def _bakery_with_blank_prices() -> bytes:
    dates = pd.date_range("2025-01-06", periods=120, freq="D")
    rows = [
        (d, item, int(RNG.poisson(40)), np.nan if d.day % 5 == 0 else price)
        for d in dates
        for item, price in (("baguette", 1.2), ("croissant", 1.4))
    ]
    frame = pd.DataFrame(rows, columns=["date", "item", "sold", "price"])
    frame["list price"] = frame["price"] * 2  # blank on the same days: median 2.6
    return frame.to_csv(index=False).encode()


def test_a_price_columns_blank_rows_are_priced_at_its_median_not_the_samples_price():
    at = _problem_page("bakery.csv", _bakery_with_blank_prices())
    key = state.PARAM_PREFIX + "perishable.price.blank.price"  # the blanks' input is the column's own
    fill = at.number_input(key=key)
    assert "rows where 'price' is blank (its median unless you type one)" in fill.label
    assert fill.value == pytest.approx(1.3)  # the median of 1.20s and 1.40s, not the samples' 4.00

    def priced() -> object:
        prepared = at.session_state[state.PREPARED]
        return at.session_state[state.CHOICES].problem(prepared.frame, prepared.roles, "perishable").values["price"]

    at.number_input(key=state.PARAM_PREFIX + "perishable.unit_cost").set_value(0.5).run()
    price = priced()
    assert isinstance(price, FromColumn) and price.column == "price" and price.fill == pytest.approx(1.3)
    at.number_input(key=key).set_value(1.25).run()  # typed for the blank rows only
    assert priced() == FromColumn("price", 1.25, 1.0)  # the column still prices every other row
    # another column: its blanks start from its own median, not from the 1.25 typed for the first
    at.selectbox(key=state.PARAM_PREFIX + "perishable.price.source").set_value("list price").run()
    other = at.number_input(key=state.PARAM_PREFIX + "perishable.price.blank.list price")
    assert other.value == pytest.approx(2.6)
    price = priced()
    assert isinstance(price, FromColumn) and price.column == "list price" and price.fill == pytest.approx(2.6)


def test_a_monthly_charge_asks_how_long_a_kept_customer_stays():
    at = _problem_page("telco.csv", _customers())
    at.number_input(key=state.PARAM_PREFIX + "churn.contact_cost").set_value(10.0).run()
    at.number_input(key=state.PARAM_PREFIX + "churn.offer_cost").set_value(20.0).run()
    months = at.number_input(key=state.PARAM_PREFIX + "churn.value.periods")
    assert months.value is None
    assert months.label == "'MonthlyCharges' is charged per month: how many months does a kept customer stay?"
    assert "Needed before the first run: periods a kept customer stays." in shown(at)
    months.set_value(12.0).run()
    assert not at.exception
    choices = at.session_state[state.CHOICES]
    assert dict(choices.scales) == {"value": 12.0}
    assert "Needed before the first run" not in shown(at)
    assert "Contact when the chance that it churns is above" in shown(at)
    at.switch_page("app_pages/models.py").run()
    at.button(key=state.RUN_MODELS).click().run(timeout=240)  # through the fit's own process
    assert not at.exception and not at.error
    analysis = at.session_state[state.ANALYSIS]
    assert analysis.values["value"].scale == 12.0 and "assumed" not in analysis.impact.narrative
    assert not any("You changed" in w.value for w in at.warning)


def test_a_sample_says_its_numbers_are_the_samples():
    at = open_app()
    at.button(key="w.home.sample.call_centre").click().run()
    at.switch_page("app_pages/problem.py").run()
    assert "Work one person handles: 45 (the sample's documented value)" in shown(at)
    assert "Needed before the first run" not in shown(at)


def test_a_blank_fill_typed_on_a_money_file_keeps_the_price_column_and_its_form():
    """A sales-in-euros target beside a price column with blanks: typing the blanks' price must
    not swap the price inputs for the margin form on the next run (and back on the one after)."""
    dates = pd.date_range("2025-01-06", periods=120, freq="D")
    rows = [
        (d, item, f"{RNG.poisson(40) * price:.2f} €", np.nan if d.day % 5 == 0 else price)
        for d in dates
        for item, price in (("baguette", 1.2), ("croissant", 1.4))
    ]
    data = pd.DataFrame(rows, columns=["date", "item", "sales", "price"]).to_csv(index=False).encode()
    at = _problem_page("bakery_eur.csv", data)
    key = state.PARAM_PREFIX + "perishable.price.blank.price"
    assert at.number_input(key=key).value == pytest.approx(1.3)
    assert "gross margin" not in shown(at).lower()
    at.number_input(key=key).set_value(1.25).run()
    for _ in range(3):  # the same form at every run
        assert "gross margin" not in shown(at).lower()
        assert at.number_input(key=key).value == pytest.approx(1.25)
        at.run()


def test_a_card_file_with_a_fraud_flag_opens_on_fraud_in_pounds():
    rows = [
        (f"T{i}", f"01/03/2024 {i % 24:02d}:00:00", round(float(RNG.gamma(2, 30)), 2), ["Fuel", "Travel"][i % 2], "N")
        for i in range(400)
    ]
    frame = pd.DataFrame(rows, columns=["txn_id", "txn_time", "amount_gbp", "merchant_category", "fraud_flag"])
    frame.loc[RNG.choice(400, 30, replace=False), "fraud_flag"] = "Y"
    at = _problem_page("cards.csv", frame.to_csv(index=False).encode())
    from payoff.ui.problem_view import current_framing

    assert current_framing(at.session_state[state.PREPARED]).key == "fraud"
    assert at.radio(key=state.FRAMING_PICK).value == "fraud"
    assert at.selectbox(key=state.PARAM_PREFIX + "currency").value.startswith("£")


def test_a_till_export_prices_each_item_at_its_own_price_and_asks_the_margin():
    from payoff.framings.base import FromColumn
    from tests.unit.test_unit_price import _till

    at = upload(open_app("app_pages/data.py"), "till.csv", _till())
    assert any("Payoff added each row's selling price, 'Net Sales' / 'Qty Sold'" in s.value for s in at.success)
    at.switch_page("app_pages/problem.py").run()
    assert not at.exception
    assert "Needed before the first run: gross margin." in shown(at)
    assert not [w for w in at.number_input if w.key == state.PARAM_PREFIX + "perishable.unit_cost"]
    at.number_input(key=state.PARAM_PREFIX + "perishable.gross_margin.per_row").set_value(40.0).run()
    prepared = at.session_state[state.PREPARED]
    problem = at.session_state[state.CHOICES].problem(prepared.frame, prepared.roles, "perishable")
    price = problem.values["price"]
    assert isinstance(price, FromColumn) and price.column.startswith("Price per unit")
    assert problem.values["unit_cost"] == FromColumn(price.column, pytest.approx(price.fill * 0.6), pytest.approx(0.6))
    assert "Needed before the first run" not in shown(at)
    # 40% and 60% of the median price 1.95, in pounds
    assert "missed sale costs £0.78, an unsold unit £1.17" in shown(at)

    # the what-if asks the same margin, not a multiplier of 0.60 on the price column
    whatif = _margin_in_the_what_if(at, "perishable", 40.0)
    at.number_input(key=whatif + "gross_margin").set_value(50.0).run()
    assert dict(at.session_state[state.WHATIF]) == {"unit_cost": pytest.approx(0.5)}  # the column's multiplier


def test_the_quantity_sold_is_not_offered_as_its_own_price():
    at = _problem_page("shop.csv", _daily_units())
    source = at.selectbox(key=state.PARAM_PREFIX + "perishable.price.source")
    assert "units_sold" not in source.options


def test_a_margin_may_price_each_products_cost_from_the_files_own_price_column():
    """A wholesaler's list price per case differs by product (20.00 and 80.00): one unit cost of 38
    is refused where a product sells below it, so a margin is offered instead of it; typed, it
    prices each row's unit cost from the row's price, and one unit cost is no longer asked."""
    from payoff.framings.base import FromColumn

    weeks = pd.date_range("2023-01-02", periods=104, freq="W-MON")
    frame = pd.DataFrame(
        {
            "week": np.tile(weeks, 2),
            "sku": np.repeat(["cheap", "dear"], 104),
            "cases": np.random.default_rng(4).poisson(30, 208),
            "list_price": np.repeat([20.0, 80.0], 104),
        }
    )
    at = _problem_page("wholesale.csv", frame.to_csv(index=False).encode())
    at.radio(key=state.FRAMING_PICK).set_value("inventory").run()
    instead = at.number_input(key=f"{state.PARAM_PREFIX}inventory.gross_margin.instead")
    assert instead.value is None  # offered, never assumed
    assert [w for w in at.number_input if w.key == f"{state.PARAM_PREFIX}inventory.unit_cost"]
    at.number_input(key=f"{state.PARAM_PREFIX}inventory.holding_cost").set_value(0.2).run()
    at.number_input(key=f"{state.PARAM_PREFIX}inventory.gross_margin.instead").set_value(25.0).run()
    assert not at.exception
    assert not [w for w in at.number_input if w.key == f"{state.PARAM_PREFIX}inventory.unit_cost"]
    prepared = at.session_state[state.PREPARED]
    problem = at.session_state[state.CHOICES].problem(prepared.frame, prepared.roles, "inventory")
    assert problem.values["unit_cost"] == FromColumn("list_price", pytest.approx(50.0 * 0.75), pytest.approx(0.75))
