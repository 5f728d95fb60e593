"""Each row's own selling price, where a file gives units sold and what they sold for: a till's
'Qty Sold' beside its 'Net Sales'. Without it one typed price priced every item: a shop's 10p
carrier bags at the £2.50 typed for its loaves, their biggest "gain" a fiction.

The price is the money column over the units on every row that sold; a row that sold nothing (or
took returns) takes its own series' median price, so a day without sales is not priced at the
whole shop's median. The column is added to the table under a name that says what it is, in the
price role; the pages and `payoff analyze` then price from it unless the user says otherwise."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from payoff.data.keys import key_text
from payoff.data.money_columns import MONEY_COLUMNS
from payoff.data.roles import Role, RoleMap, Shape, hinted

# A money column that is a rate, not what the units sold for: a 'Monthly fee' over 'Boxes skipped'
# once made a "price per unit" of a subscription file.
_A_RATE = re.compile(r"fee|charge|cost|rate|monthly|weekly|per.?(unit|month|week|day)|subscription|salary|wage", re.I)
UNIT_PRICE = "payoff.unit_price"  # frame.attrs: the name of the price column Payoff added, if any


def unit_price_name(money: str, units: str) -> str:
    return f"Price per unit ('{money}' / '{units}')"


def with_unit_price(frame: pd.DataFrame, roles: RoleMap) -> tuple[pd.DataFrame, RoleMap, str]:
    """The table with each row's price added (and its role), and a sentence saying so; as it was,
    with "", where the file has a price already, no counted target, or no money column beside it."""
    units = roles.one(Role.TARGET)
    money = [
        c
        for c in frame.attrs.get(MONEY_COLUMNS, ())
        if c != units and c in frame.columns and not _A_RATE.search(str(c))  # a fee is no day's sales
    ]
    if (
        roles.shape != Shape.TIME_SERIES
        or units is None
        or len(money) != 1
        or any(hinted(Role.PRICE, str(column)) for column in frame.columns)  # a price of its own, even one
        or not pd.api.types.is_numeric_dtype(frame[units])
    ):
        return frame, roles, ""
    sold = frame[units].astype("float64")
    amount = frame[money[0]].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        price = pd.Series(np.where(sold > 0, amount / sold, np.nan), index=frame.index)
    price = price.where(price > 0)  # a free item or a refund: no price to read from that row
    if price.notna().sum() < 0.5 * max(int((sold > 0).sum()), 1):
        return frame, roles, ""  # not a sales amount of those units
    keys = roles.columns(Role.SERIES_KEY)
    codes = pd.MultiIndex.from_frame(key_text(frame[keys])).factorize()[0] if keys else np.zeros(len(frame), int)
    price = price.fillna(price.groupby(codes).transform("median")).fillna(price.median())
    name = unit_price_name(money[0], units)
    out = frame.assign(**{name: price.round(4)})
    out.attrs = {**frame.attrs, UNIT_PRICE: name}
    updated = RoleMap(
        {**roles.roles, name: Role.PRICE},
        roles.shape,
        {**roles.reasons, name: "each row's selling price, added by Payoff"},
        roles.positive_class,
    )
    spread = price.groupby(codes).median()
    note = (
        f"Payoff added each row's selling price, '{money[0]}' / '{units}' (from {spread.min():,.2f} to "
        f"{spread.max():,.2f}), so every item is priced at its own price; days that sold nothing take "
        "their item's usual price."
    )
    return out, updated, note
