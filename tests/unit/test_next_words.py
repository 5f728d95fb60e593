"""What the next decisions' caption says where a 'Forecast' would puzzle a manager: one outside its
own likely range, one that is the stock to hold rather than the middle of demand; and a money
file's forecast, range and stock are amounts of money."""

import numpy as np
import pandas as pd

from payoff import formatting
from payoff.analysis import next_decisions
from payoff.data.roles import Role, RoleMap, Shape
from tests.helpers import analyse

ROLES = RoleMap({"Date": Role.DATE, "Store": Role.SERIES_KEY, "Sales": Role.TARGET}, Shape.TIME_SERIES)


def _growing_dollars(weeks: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    dates = pd.date_range("2021-01-01", periods=weeks, freq="W-FRI")
    rows = [
        (d, store, round(float(base * (1 + 0.02 * t) + rng.normal(0, base * 0.02)), 2))
        for store, base in (("A", 10_000.0), ("B", 25_000.0))
        for t, d in enumerate(dates)
    ]
    frame = pd.DataFrame(rows, columns=["Date", "Store", "Sales"])
    frame["Sales"] = frame["Sales"].map(lambda v: f"${v:,.2f}")  # written as money
    return frame


def _next(models):
    from payoff.data.load import read_table

    frame = read_table(_growing_dollars().to_csv(index=False).encode(), "sales.csv").frame
    analysis = analyse(frame, ROLES, "perishable", params={"gross_margin": 0.3}, models=models, horizon=4)
    return next_decisions(analysis)


def test_a_lagging_forecast_outside_its_range_is_said_and_money_is_money():
    rota = _next(("moving average",))  # a moving average lags a growing store: its errors sit above it
    outside = (rota["Forecast"] < rota["Likely low (10%)"]).sum()
    assert outside > 0
    assert f"On {outside:,} row(s) the forecast lies outside its likely range" in rota.attrs["caption"]
    kinds = formatting.kinds_of(rota)
    assert kinds["Forecast"] == kinds["Likely low (10%)"] == kinds["Quantity to stock"] == formatting.MONEY


def test_the_order_models_forecast_is_said_to_be_the_stock_to_hold():
    rota = _next(("linear quantile regression",))
    assert "Order model (linear) forecasts the demand to cover at these costs directly" in rota.attrs["caption"]


def test_a_money_files_sweep_varies_what_a_dollar_of_sales_costs_not_its_price():
    from payoff.carry.sensitivity import sensitivity
    from payoff.data.load import read_table

    frame = read_table(_growing_dollars().to_csv(index=False).encode(), "sales.csv").frame
    analysis = analyse(frame, ROLES, "perishable", params={"gross_margin": 0.3}, models=("naive",), horizon=4)
    swept = {sweep.param: sweep for sweep in sensitivity(analysis)}
    assert "price" not in swept and "unit_cost" in swept
    assert swept["unit_cost"].label == "Cost of one unit of sales (1 - the gross margin)"
    assert "cost of one unit of sales (1 - the gross margin)" in swept["unit_cost"].sentence
    assert "price is below the unit cost" not in swept["unit_cost"].sentence


def test_a_service_level_that_changes_nothing_is_not_said_to_cost_nothing_more():
    from payoff.evaluate import service

    table = pd.DataFrame(
        {
            service.TARGET: ["Order model: 10.0% of periods", "Order model: 5.0% of periods"],
            service.SHORT: [0.062, 0.062],
            service.COST: [1000.0, 1000.2],
            service.MONTHLY: [250.0, 250.05],
        }
    )
    said = service.sentence(table, "€")
    assert "€0 a month more" not in said and said.startswith("At these costs the orders already stock for both")
    table.loc[1, service.MONTHLY] = 310.0
    assert service.sentence(table, "€").startswith("Short on at most 1 period in 20 (5%) costs €60.00 a month more")
