"""Carrying an analysis away: exports that a spreadsheet never runs, the next decisions (a quantity's
range and expected cost, a ranked list for current entities), and the HTML report's escaping."""

import csv
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from payoff import formatting
from payoff.analysis import next_decisions
from payoff.carry import export, tables
from payoff.carry.report import build_report
from payoff.carry.scoring import CurrentFileError, needed_columns, score_current
from payoff.evaluate.policies import expected_cost
from payoff.framings.policy import UnitCosts
from tests.helpers import sample_analysis

PAYLOADS = ["=1+2", "+CMD|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "\nx", '=HYPERLINK("http://x")']


@pytest.fixture(scope="module")
def churn():
    return sample_analysis("churn_customers", "churn")


@pytest.fixture(scope="module")
def retail():
    return sample_analysis("retail_sales", "perishable")


# -- exports --------------------------------------------------------------------------------


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"name": PAYLOADS, "=bad header": range(len(PAYLOADS)), "amount": np.linspace(-5, 5, 8)})


HTML = "<img src=x onerror=alert(1)>"


def test_html_in_a_cell_stays_the_same_text():
    frame = pd.DataFrame({HTML: [HTML, "</script>"]})
    rows = list(csv.reader(io.StringIO(export.to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows == [[HTML], [HTML], ["</script>"]]
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(frame)))
    assert [c.value for c in book["decisions"]["A"]] == [HTML, HTML, "</script>"]


def test_csv_escapes_formulas_keeps_numbers_and_starts_with_a_bom():
    content = export.to_csv_bytes(hostile_frame())
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "'=bad header", "amount"]
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert [float(r[2]) for r in rows[1:]] == pytest.approx(np.linspace(-5, 5, 8))  # -5 stays a number


def test_xlsx_has_three_sheets_escaped_cells_and_numbers_as_numbers(churn):
    decisions = hostile_frame()
    content = export.to_excel_bytes(tables.workbook_sheets(churn, decisions))
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["decisions", "assumptions", "model comparison"]
    sheet = book["decisions"]
    assert [c.value for c in sheet[1]] == ["name", "'=bad header", "amount"]
    # XML stores a lone CR as LF; what matters is the leading quote
    assert [sheet.cell(row=i + 2, column=1).value for i in range(8)] == ["'" + p.replace("\r", "\n") for p in PAYLOADS]
    assert all(sheet.cell(row=i + 2, column=1).data_type == "s" for i in range(8))
    assert sheet.cell(row=2, column=3).value == -5 and sheet.cell(row=2, column=3).data_type == "n"
    assumptions = {r[4]: r[1] for r in book["assumptions"].iter_rows(min_row=2, values_only=True)}  # by technical name
    assert assumptions["contact_cost"] == "10.00" and assumptions["value"] == "each row's 'monthly_value' x 12"


def test_csv_rounds_money_to_cents_and_units_to_whole_as_the_workbook_does():
    frame = formatting.declare(
        pd.DataFrame({"cost": [1234.5678901, 0.125], "share": [0.123456789, 0.5], "other": [1 / 3, 2.0]}),
        {"cost": formatting.MONEY, "share": formatting.PERCENT},
    )
    rows = list(csv.reader(io.StringIO(export.to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1:] == [["1234.57", "0.1235", "0.333333"], ["0.12", "0.5", "2.0"]]  # 0.125 to even, as numpy rounds
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(frame)))["decisions"]
    assert [sheet.cell(row=2, column=i).value for i in (1, 2, 3)] == [1234.57, 0.1235, 0.333333]


# -- quantity: next decisions ---------------------------------------------------------------


def test_expected_cost_by_hand():
    # demand = 10 + e, e in {-4, -2, 0, 2, 4} x 2 (ten errors, the minimum a series uses alone)
    errors = np.array([[-4, -2, 0, 2, 4] * 2], dtype=float)
    costs = UnitCosts(under=np.array(3.0), over=np.array(1.0))
    cost = expected_cost(np.array([[11.0]]), np.array([[10.0]]), np.sort(errors, axis=1), costs)
    # demands 6, 8, 10, 12, 14: over by 5, 3, 1 (x1), short by 1, 3 (x3) -> (9 + 12) / 5
    assert cost[0, 0] == pytest.approx(21 / 5)


def test_next_quantities_have_a_range_and_an_expected_cost(retail):
    decisions = next_decisions(retail)
    assert len(decisions) == 12 * 28  # 12 series (2 shops x 6 items), 28 days
    low, high = decisions["Likely low (10%)"], decisions["Likely high (90%)"]
    assert (low <= decisions["Forecast"] + 1e-9).all() and (decisions["Forecast"] <= high + 1e-9).all()
    assert (decisions["Quantity to stock"] == np.ceil(decisions["Quantity to stock"])).all()
    assert (decisions["Expected cost"] > 0).all()


# -- targeting: score current entities -------------------------------------------------------


def current_customers(churn, rows: int = 200) -> pd.DataFrame:
    return churn.problem.table.drop(columns=["churned"]).head(rows).reset_index(drop=True)


def test_missing_columns_are_named_all_at_once(churn):
    current = current_customers(churn).drop(columns=["tenure_months", "region"])
    with pytest.raises(CurrentFileError, match=r"lacks 2 column.*'tenure_months', 'region'.*churn_customers.csv"):
        score_current(churn, current)


def test_extra_columns_and_unseen_categories_are_listed(churn):
    current = current_customers(churn).assign(
        notes="call back", contract=lambda f: f["contract"].mask(f.index < 3, "lifetime")
    )
    scored = score_current(churn, current)
    assert "notes" in scored.ignored_columns and scored.unseen == {"contract": ("lifetime",)}
    assert len(scored.table) == len(current) and scored.table["Chance it churns"].between(0, 1).all()


def test_text_in_a_number_column_is_a_clear_error(churn):
    current = current_customers(churn).astype({"tenure_months": object})
    current.loc[4, "tenure_months"] = "twelve"
    with pytest.raises(CurrentFileError, match="'tenure_months' \\(row 5: 'twelve'\\)"):
        score_current(churn, current)


def test_the_ranked_list_prices_each_entity_by_the_churn_cells(churn):
    values = churn.values
    contact, offer, save = (float(values[k]) for k in ("contact_cost", "offer_cost", "save_rate"))
    scored = score_current(churn, current_customers(churn))
    table = scored.table.merge(current_customers(churn), on="customer_id")
    p, value = table["Chance it churns"], table["monthly_value"] * 12  # a kept customer: 12 months of the charge
    # acting on a churner: -contact - save*offer - (1-save)*value instead of -value; on a loyal one: -contact - offer
    by_hand = p * (-contact - save * offer + save * value) + (1 - p) * (-contact - offer)
    assert table["Expected gain of contacting"].to_numpy() == pytest.approx(by_hand.to_numpy())
    assert (table["Contact?"] == (by_hand > 0)).all()
    assert table["Rank"].tolist() == list(range(1, len(table) + 1))
    assert table["Expected gain of contacting"].is_monotonic_decreasing


def test_a_budget_cuts_the_list_at_the_top_n(churn):
    scored = score_current(churn, current_customers(churn), {"budget": 5})
    assert scored.table["Contact?"].tolist()[:6] == [True] * 5 + [False]
    assert scored.cutoff["acted_on"] == 5 and "(budget 5)" in scored.caption


def test_needed_columns_are_the_features_and_the_priced_column(churn):
    assert set(needed_columns(churn)) == set(churn.problem.features) | {"monthly_value"}


# -- the report ------------------------------------------------------------------------------

HOSTILE_COLUMN = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "</script><script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile_report():
    from payoff.analysis import run_analysis
    from payoff.data.roles import suggest_roles
    from payoff.problem import make_problem

    frame = sample_analysis("churn_customers", "churn").problem.table.copy()
    frame = frame.rename(columns={"region": HOSTILE_COLUMN})
    frame["customer_id"] = [f"{HOSTILE_ID}{i}" for i in range(len(frame))]
    roles = suggest_roles(frame)
    problem = make_problem(frame, roles, "churn", segment=HOSTILE_COLUMN, source=f"{HOSTILE_COLUMN}.csv")
    # the plotly.js bundle (inlined once) holds its own strings ("<title>", its CDN's name): the
    # checks read the rest of the page
    html = build_report(run_analysis(problem))
    assert html.count(get_plotlyjs()) == 1
    return html.replace(get_plotlyjs(), "")


def test_the_report_escapes_every_user_string(hostile_report):
    html = hostile_report
    assert "<img" not in html.replace("&lt;img", "")
    assert "alert(1)</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text in the tables and the title
    title = "<title>Payoff: Which customers to call to stop churn on &lt;img src=x onerror=alert(1)&gt;.csv</title>"
    assert html.count("<title>") == 1 and title in html


def test_the_report_is_self_contained(hostile_report):
    html = hostile_report
    for outside in ("<script src", "<link", "cdn.plot.ly", "https://cdn", "<iframe"):
        assert outside not in html
    for section in (
        "The question",
        "The data used",
        "Assumptions",
        "The answer",
        "Model comparison",
        "Which assumption matters most",
        "Where the gain comes from",
        "Next decisions",
    ):
        assert section in html


@pytest.mark.parametrize(
    ("gain", "said"),
    [
        (1234.5, "Payoff's choice (X) saves $1,234 against Y"),
        (0.0, "Payoff's choice (X): no gain over Y"),
        (-61859.2, "Payoff's choice (X) would have cost $61,859 more than Y"),  # a loss said as one
    ],
)
def test_the_reports_headline_says_a_loss_as_a_loss(retail, gain, said):
    from dataclasses import replace

    from payoff.carry.report import _headline
    from payoff.models.catalogue import business_name

    impact = retail.impact
    recommended = replace(impact.recommended, model="naive", gain=gain)
    shown = _headline(replace(impact, recommended=recommended, status_quo_label="Y", currency="$"))
    assert said.replace("X", business_name("naive")) in shown.replace("&#x27;", "'")


def test_a_loss_where_the_business_earns_is_said_as_less_earned(churn):
    from dataclasses import replace

    from payoff.carry.report import _headline

    impact = churn.impact
    shown = _headline(replace(impact, recommended=replace(impact.recommended, gain=-500.0), currency="$"))
    assert "would have earned $500 less than" in shown and "cost $500 more" not in shown


def test_a_chance_is_never_shown_as_a_certainty(retail):
    assert [formatting.chance(p) for p in (1.0, 0.996, 0.994, 0.62, 0.004, 0.0)] == [
        "over 99%",
        "over 99%",
        "99%",
        "62%",
        "under 1%",
        "under 1%",
    ]
    table = tables.compare_table(retail.impact)
    kinds = formatting.kinds_of(table)
    beats = table[tables.CHANCE].dropna()
    assert (beats >= 0.995).any()  # the sample's models beat today in every resampled history
    shown = [formatting.cell(v, kinds[tables.CHANCE]) for v in beats]
    assert "100.0%" not in shown and "over 99%" in shown
    assert "of reshuffled histories" in build_report(retail) and "in 100% of reshuffled" not in build_report(retail)
