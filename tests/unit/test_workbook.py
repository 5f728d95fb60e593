"""A workbook a manager opens: money in the analysis's currency, percentages and whole numbers as
Excel number formats (the values stay numbers, with no float noise), the interval as two numeric
columns, widths that fit and a frozen header; and the one formatting module behind screen, report
and workbook."""

import io
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from payoff import formatting
from payoff.analysis import next_decisions
from payoff.carry import export, tables
from tests.helpers import sample_analysis


@pytest.fixture(scope="module")
def churn():
    analysis = sample_analysis("churn_customers", "churn")
    problem = replace(analysis.problem, currency="€")
    from payoff.analysis import Analysis, rebased

    return rebased(Analysis(problem, analysis.predictions, analysis.impact), {"contact_cost": 10.0})


def _book(analysis):
    decisions = next_decisions(analysis)
    content = export.to_excel_bytes(tables.workbook_sheets(analysis, decisions), analysis.impact.currency)
    return openpyxl.load_workbook(io.BytesIO(content))


def test_money_percent_and_counts_carry_excel_formats_and_the_header_is_frozen(churn):
    book = _book(churn)
    assert book.sheetnames == ["decisions", "assumptions", "model comparison"]
    sheet = book["decisions"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Rank", "Row in your file"] and "Expected gain of contacting" in header
    gain = sheet.cell(row=2, column=header.index("Expected gain of contacting") + 1)
    assert gain.data_type == "n" and gain.number_format == '"€"#,##0.00;-"€"#,##0.00'
    assert gain.value == round(gain.value, 2)  # cents, no float noise
    chance = sheet.cell(row=2, column=header.index("Chance it churns") + 1)
    assert chance.number_format == "0.0%" and 0 <= chance.value <= 1
    assert sheet.cell(row=2, column=1).number_format == "#,##0"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width >= len("Expected gain of contacting")
    comparison = book["model comparison"]
    names = [c.value for c in comparison[1]]
    low, high = names.index("90% range: from") + 1, names.index("to") + 1
    row = next(
        r for r in range(2, comparison.max_row + 1) if comparison.cell(row=r, column=1).value == "Payoff's choice"
    )
    assert (
        comparison.cell(row=row, column=low).data_type == "n" and comparison.cell(row=row, column=high).data_type == "n"
    )
    assert comparison.cell(row=row, column=low).value < comparison.cell(row=row, column=high).value
    assert comparison.cell(row=row, column=low).number_format.startswith('"€"')


def test_the_one_formatting_module_shows_cells_as_a_reader_expects():
    assert formatting.cell(1234.5, formatting.MONEY, "$") == "$1,234"
    assert formatting.cell(-12.345, formatting.MONEY, "€") == "-€12.35"
    assert formatting.cell(0.447, formatting.PERCENT) == "44.7%"
    assert formatting.cell(-0.0001, formatting.PERCENT) == "0.0%"  # no "-0%"
    assert formatting.cell(38.0, formatting.COUNT) == "38"
    assert formatting.cell(-0.0, formatting.COUNT) == "0"  # a closed day's stock, no "-0"
    assert [formatting.cell(v, formatting.NUMBER) for v in (10.7, 34.72, 1234.567)] == ["10.70", "34.72", "1,234.57"]
    assert formatting.cell(-0.001, formatting.NUMBER) == "0.00"  # no "-0.00"
    assert [formatting.cell(v, formatting.SCORE) for v in (0.8312, 0.01234, 0.02, 250.0)] == [
        "0.8312",
        "0.01234",
        "0.02",
        "250",
    ]
    assert formatting.cell(None, formatting.MONEY, "$") == "" and formatting.cell(np.nan, formatting.COUNT) == ""
    assert formatting.cell(pd.Timestamp("2026-10-01"), formatting.DATE) == "01 Oct 2026"
    assert formatting.cell(pd.Timestamp("2026-10-01 14:00"), formatting.DATE, unit="hour") == "01 Oct 2026 14:00"
    assert formatting.cell(pd.Timestamp("2026-10-31"), formatting.DATE, unit="month") == "Oct 2026"
    assert formatting.excel_format(formatting.MONEY, "CHF") == '#,##0.00 "CHF"'


def test_the_comparison_speaks_business_words(churn):
    table = tables.compare_table(churn.impact)
    assert list(table.columns) == [
        "Option",
        "Net value",
        "Gain",
        "90% range: from",
        "to",
        "Chance of a gain",
        "Note",
    ]
    assert table["Option"].iloc[0] == "Today: your 'contacted' column" and table["Option"].iloc[1] == "Payoff's choice"
    assert (
        "Scoring model (regression)" in table["Option"].tolist()
        and "logistic regression" not in table["Option"].tolist()
    )
    full = tables.money_table(churn.impact)
    assert {"Contact, and it churns", "Do not contact, and it stays", "Ranking quality (AUC)"} <= set(full.columns)
