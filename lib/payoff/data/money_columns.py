"""What a file says about money by itself: the number columns whose amounts carry a currency
sign (money whatever the column is called: "CA TTC", 12.030,77 €) and the currency the file names,
kept in the typed frame's attrs for the pricing (params.money_target) and the pages (the currency
suggested over the browser's region)."""

from __future__ import annotations

import re

import pandas as pd

CURRENCY = re.compile(r"[$€£¥]")
CURRENCY_NOTE = "currency symbols removed"  # a column type's note where CURRENCY was stripped
# The frame's attrs keys: the number columns written with a currency sign, and the file's currency.
MONEY_COLUMNS = "payoff.money_columns"
CURRENCY_SIGN = "payoff.currency_sign"
_CODE_IN_NAME = re.compile(r"(?<![A-Za-z])(EUR|USD|GBP|JPY)(?![A-Za-z])", re.I)  # "Price (EUR)", "amount_gbp"
_SIGN_OF_CODE = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def mark_money(frame: pd.DataFrame, raw: pd.DataFrame, typed: list[tuple[str, str, str]]) -> None:
    """Record in `frame.attrs` the money columns and the file's currency, from each column's
    (name, kind, note) as typed and the raw text the signs were read from."""
    numbers = [name for name, kind, _ in typed if kind in ("number", "integer")]
    money = tuple(name for name, kind, note in typed if kind in ("number", "integer") and CURRENCY_NOTE in note)
    frame.attrs[MONEY_COLUMNS] = money
    frame.attrs[CURRENCY_SIGN] = currency_sign(raw, money, numbers)


def currency_sign(frame: pd.DataFrame, money: tuple[str, ...], numbers: list[str]) -> str:
    """The currency the file names, or "": the sign most of its money columns' amounts carry
    ("12.128,52 €", read from the raw text), else a code in a number column's name ("Avg price
    (EUR)")."""
    signs: list[str] = []
    for column in money:
        found = frame[column].head(1_000).astype("string").str.extract(f"({CURRENCY.pattern})", expand=False)
        signs += found.dropna().tolist()
    if not signs:
        signs = [_SIGN_OF_CODE[m.group(1).upper()] for c in numbers if (m := _CODE_IN_NAME.search(c))]
    return max(sorted(set(signs)), key=signs.count) if signs else ""
