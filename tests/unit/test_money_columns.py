"""What a file says about money by itself: amounts written with a currency sign, and the currency
its amounts or column names carry (suggested over the browser's region)."""

import pytest

from payoff.charges import charge_period, per_period_value
from payoff.data.load import read_table


@pytest.mark.parametrize(
    ("text", "money", "sign"),
    [
        ("week;shop;takings\n03.01.2022;Lyon;10.810,52 €\n10.01.2022;Lyon;9.540,09 €\n", ("takings",), "€"),
        ("date,item,sold,Avg price (EUR)\n2023-03-01,bread,58,1.2\n2023-03-02,bread,61,1.2\n", (), "€"),
        ("date,item,sold,price\n2023-03-01,bread,58,$1.20\n2023-03-02,bread,61,$1.25\n", ("price",), "$"),
        ("date,NEURONS,sold\n2023-03-01,5,58\n2023-03-02,6,61\n", (), ""),  # EUR inside a word is no currency
        ("txn_id,amount_gbp,fraud_flag\nT1,233.89,N\nT2,6.61,Y\n", (), "£"),  # a code in lower case
        ("date,neuron,sold\n2023-03-01,5,58\n2023-03-02,6,61\n", (), ""),
    ],
)
def test_the_files_own_currency_and_money_columns_are_read(text, money, sign):
    frame = read_table(text.encode(), "f.csv").frame
    assert frame.attrs["payoff.money_columns"] == money
    assert frame.attrs["payoff.currency_sign"] == sign


def test_a_decimal_comma_with_three_decimals_is_not_read_as_thousands():
    text = 'item,weight\na,"0,250"\nb,"1,500"\nc,"0,750"\n'
    table = read_table(text.encode(), "w.csv")
    assert table.detection.thousands is None  # "0,250" is no thousands group: never 250, 1,500 and 750
    assert table.frame["weight"].tolist() != [250, 1500, 750]


@pytest.mark.parametrize(
    ("column", "period"),
    [
        ("MonthlyCharges", ("month", 12)),
        ("Monthly Fee", ("month", 12)),
        ("mrr", ("month", 12)),
        ("weekly_fee", ("week", 52)),
        ("annual_subscription", ("year", 1)),
        ("Fee", ("period", None)),  # the name does not say: asked in periods
    ],
)
def test_a_charge_is_asked_in_the_period_its_name_says(column, period):
    assert per_period_value(column)
    assert charge_period(column) == period


def test_a_workbooks_euros_written_as_text_are_read_as_amounts():
    """Excel cells of text '1.754,98 €' (a French claims export): a decimal comma and a thousands
    point, read as 1754.98 and said; a column with one point-decimal value among them stays text."""
    import io

    import pandas as pd

    frame = pd.DataFrame(
        {"claim": ["A1", "A2", "A3", "A4"], "amount": ["1.754,98 €", "312,00 €", "12.300,50 €", "9,99 €"]}
    )
    book = io.BytesIO()
    frame.to_excel(book, index=False)
    loaded = read_table(book.getvalue(), "claims.xlsx")
    assert loaded.frame["amount"].tolist() == [1754.98, 312.0, 12300.5, 9.99]
    kind = next(c for c in loaded.detection.column_types if c.name == "amount")
    assert kind.kind == "number" and "written with a decimal comma" in kind.detail
    mixed = read_table('id,amount\nA,"1.754,98 €"\nB,4.5\n'.encode(), "mixed.csv").frame
    assert mixed["amount"].tolist() == ["1.754,98 €", "4.5"]


def test_amounts_that_may_be_thousands_are_not_read_as_decimals():
    """'1,234' beside '12,500' could be thousands: never read as 1.234 (money a thousand times too
    small); '12,5' beside them settles it as a decimal comma."""
    assert read_table(b"id;amount\nA;1,234\nB;12,500\n", "x.csv").frame["amount"].tolist() != [1.234, 12.5]
    import io

    import pandas as pd

    book = io.BytesIO()
    pd.DataFrame({"id": ["A", "B"], "amount": ["1,234 €", "12,500 €"]}).to_excel(book, index=False)
    thousands = read_table(book.getvalue(), "x.xlsx").frame["amount"].tolist()
    assert thousands == [1234, 12500]  # as the workbook reads them
