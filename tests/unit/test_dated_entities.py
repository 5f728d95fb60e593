"""Dated tables of customers and applications, as exports come: a customer list whose outcome is
named for the good outcome ('Renewed' Yes/No) is a table of customers whose event is the No, and a
lender's applications, whose 'defaulted' is blank where the loan was turned down, are a table of
applications: the blanks are said to be unknown outcomes (never "fill in zeros"), a column set only
when a loan is granted is left out with why, and the ranking says whom the models learned from."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from payoff.data import quality
from payoff.data.ended import ended_name, with_outcome_from_end_date
from payoff.data.load import read_table
from payoff.data.roles import Role, RoleMap, Shape, positive_class, suggest_roles
from payoff.designs import outcome
from payoff.errors import PayoffError
from payoff.problem import make_problem


def _customers(n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(21)
    tickets = rng.poisson(2, n)
    renewed = np.where(rng.random(n) < 0.25 + 0.08 * tickets, "No", "Yes")
    renewed[:12] = ""  # a few not known yet
    return pd.DataFrame(
        {
            "Customer ID": [f"C{100000 + i}" for i in range(n)],
            "Plan": rng.choice(["Basic", "Pro", "Enterprise"], n),
            "Seats": rng.integers(1, 60, n),
            "Monthly Fee": [f"${f:,.2f}" for f in rng.integers(2, 40, n) * 30.0],
            "Signup Date": pd.date_range("2021-01-01", periods=n, freq="D").strftime("%m/%d/%Y"),
            "Support Tickets (90d)": tickets,
            "Renewed": renewed,
        }
    )


def _applications(n: int = 800) -> pd.DataFrame:
    rng = np.random.default_rng(22)
    score = rng.normal(680, 60, n).round()
    approved = (score > 640).astype(int)
    defaulted = np.where(approved == 1, (rng.random(n) < np.clip((760 - score) / 600, 0.01, 0.5)).astype(float), np.nan)
    rate = np.where(approved == 1, np.round(0.04 + (760 - score) / 4000, 4), np.nan)
    return pd.DataFrame(
        {
            "application_id": np.arange(50001, 50001 + n),
            "application_date": pd.date_range("2023-01-01", periods=n, freq="D"),
            "annual_income": rng.normal(60000, 15000, n).round(-2),
            "loan_amount": rng.integers(20, 400, n) * 100.0,
            "term_months": rng.choice([36, 60], n),
            "credit_score": score,
            "interest_rate": rate,
            "approved": approved,
            "defaulted": defaulted,
        }
    )


def _read(frame: pd.DataFrame) -> pd.DataFrame:
    return read_table(frame.to_csv(index=False).encode(), "file.csv").frame


def test_a_customer_list_with_renewed_yes_no_is_customers_whose_event_is_the_no():
    frame = _read(_customers())
    roles = suggest_roles(frame)
    assert roles.shape == Shape.ENTITY
    assert roles.one(Role.TARGET) == "Renewed" and roles.positive_class == "No"
    assert not roles.columns(Role.SERIES_KEY)
    said = [f.message for f in quality.check(frame, roles) if f.kind == "class_balance"]
    no = int((frame["Renewed"] == "No").sum())
    assert said == [
        f"The outcome 'Renewed' = No on {no:,} of {frame['Renewed'].notna().sum():,} rows ({no / 588:.1%})."
    ]


def test_only_a_yes_no_column_named_for_the_good_outcome_turns_the_event_around():
    assert positive_class(pd.Series(["Yes", "No", "No"]), "Renewed") == "No"
    assert positive_class(pd.Series([1, 0, 0]), "repaid") == "0"
    assert positive_class(pd.Series(["Yes", "No", "No"]), "Churned") == "Yes"
    assert positive_class(pd.Series(["Gold", "Silver"]), "Retained tier") == "Silver"  # not yes/no: the rarer


def test_applications_with_a_blank_default_where_turned_down_are_applications():
    frame = _read(_applications())
    roles = suggest_roles(frame)
    assert roles.shape == Shape.ENTITY
    assert roles.one(Role.TARGET) == "defaulted" and roles.positive_class == "1.0"
    assert roles.one(Role.DECISION) == "approved" and not roles.columns(Role.SERIES_KEY)
    blank = int(frame["defaulted"].isna().sum())
    [said] = [f.message for f in quality.check(frame, roles) if f.column == "defaulted" and f.kind == "missing_values"]
    assert "fill them in" not in said
    assert said.startswith(f"'defaulted' is missing on {blank:,} row(s)")
    assert "Every one of them is a row your 'approved' column did not act on" in said


def test_a_column_set_only_when_a_loan_is_granted_is_left_out_with_why():
    frame = _read(_applications())
    problem = make_problem(frame, suggest_roles(frame), "credit", params={"margin": 0.08, "loss_given_default": 0.6})
    assert "interest_rate" not in problem.features and "credit_score" in problem.features
    assert dict(problem.left_out)["interest_rate"].startswith("blank exactly where 'defaulted' is")


def test_the_ranking_of_new_applications_says_the_models_learned_from_approved_loans_only():
    from payoff.carry.scoring import score_current
    from tests.helpers import analyse

    frame = _read(_applications())
    roles = suggest_roles(frame)
    analysis = analyse(
        frame, roles, "credit", params={"margin": 0.08, "loss_given_default": 0.6}, models=["logistic regression"]
    )
    turned_down = frame[frame["approved"] == 0].drop(columns=["defaulted", "interest_rate"]).head(50)
    scored = score_current(analysis, turned_down.reset_index(drop=True))
    assert scored.caption.endswith(
        "The models learned only from the loan applications your 'approved' column acted on: for loan "
        "applications unlike those, their chances are untested."
    )


def test_the_money_is_said_to_be_the_approved_loans_alone():
    from tests.helpers import analyse

    frame = _read(_applications())
    analysis = analyse(
        frame,
        suggest_roles(frame),
        "credit",
        params={"margin": 0.08, "loss_given_default": 0.6},
        models=["logistic regression"],
    )
    blank = int(frame["defaulted"].isna().sum())
    said = analysis.impact.evaluation["period_text"]
    assert "loan applications that your 'approved' column acted on (the only ones with an outcome; " in said
    assert f"{blank:,} others have none;" in said and "only train the models" in said
    assert said in analysis.impact.narrative


def test_a_no_show_outcome_a_reminder_sent_and_claims_investigated_are_read_as_such():
    rng = np.random.default_rng(23)
    n = 300
    patients = pd.DataFrame(
        {
            "Patient no.": [f"P{i:05d}" for i in range(n)],
            "Appointment": pd.date_range("2024-01-01", periods=n, freq="D"),
            "Age": rng.integers(18, 90, n),
            "Reminder sent": rng.choice(["Yes", "No"], n),
            "No-show": rng.choice(["Yes", "No"], n, p=[0.15, 0.85]),
        }
    )
    roles = suggest_roles(_read(patients))
    assert roles.shape == Shape.ENTITY and roles.one(Role.TARGET) == "No-show" and roles.positive_class == "Yes"
    assert roles.one(Role.DECISION) == "Reminder sent"
    claims = _read(_applications()).rename(columns={"approved": "Investigated", "defaulted": "Fraudulent"})
    roles = suggest_roles(claims)
    assert roles.one(Role.DECISION) == "Investigated" and roles.one(Role.TARGET) == "Fraudulent"


def test_a_decision_written_approved_or_rejected_is_read_as_the_status_quo_reads_it():
    from payoff.data.outcomes import outcomes_only_where_acted

    frame = pd.DataFrame(
        {"decision": ["approved", "rejected", "rejected", "approved"], "defaulted": [0, None, None, 1]}
    )
    assert outcomes_only_where_acted(frame, "defaulted", "decision")
    assert not outcomes_only_where_acted(frame.assign(decision=["approved"] * 4), "defaulted", "decision")


def test_an_outcome_of_three_values_is_the_event_picked_against_the_rest():
    """A salon's Status: Completed, Late or No-show. The no-show is the event (named so, though
    Late is rarer), Completed and Late count as no event: 60 of 300 rows, said; without a pick,
    the page asks for one. Eleven values are too many to be one against the rest."""
    n = 300
    status = np.array(["Completed"] * 200 + ["Late"] * 40 + ["No-show"] * 60)
    frame = pd.DataFrame(
        {
            "booking": [f"B{i}" for i in range(n)],
            "days_ahead": np.arange(n) % 23,
            "Status": np.random.default_rng(1).permutation(status),
        }
    )
    roles = RoleMap({"booking": Role.ID, "days_ahead": Role.FEATURE, "Status": Role.TARGET}, Shape.ENTITY)
    assert positive_class(frame["Status"], "Status") == "No-show"
    y, label = outcome(frame, "Status", "No-show")
    assert label == "No-show" and int(y.sum()) == 60 and len(y) == n
    said = [f for f in quality.check(frame, replace(roles, positive_class="No-show")) if f.kind == "class_balance"]
    assert said[0].message == (
        "The outcome 'Status' = No-show on 60 of 300 rows (20.0%). The other values (Completed, Late) count as no event."
    )
    asked = [f for f in quality.check(frame, roles) if f.kind == "outcome_not_binary"]
    assert "pick which value is the event (the others count as no event)" in asked[0].message
    with pytest.raises(PayoffError, match="pick which value is the event on the Data page"):
        outcome(frame, "Status")
    many = frame.assign(Status=[f"code {i % 11}" for i in range(n)])
    with pytest.raises(PayoffError, match="has 11 values; targeting needs two outcomes: choose another column"):
        outcome(many, "Status", "code 1")
    problem = make_problem(
        frame,
        roles,
        "custom-payoff",
        positive="No-show",
        params={"act_pos": 5.0, "act_neg": -1.0, "pass_pos": -5.0, "pass_neg": 0.0},
    )
    assert problem.evaluation.positive_class == "No-show"


def _subscriptions(n: int = 300) -> bytes:
    """Customers with a 'cancelled_on' date filled in for every fourth (the leavers), by hand."""
    lines = ["Customer,Signed up,Plan,Monthly fee,Support tickets,cancelled_on"]
    for i in range(n):
        cancelled = f"2024-{1 + i % 12:02d}-15" if i % 4 == 0 else ""
        lines.append(f"SUB-{i:05d},2023-{1 + i % 12:02d}-01,{'Plus' if i % 3 else 'Basic'},$29.00,{i % 5},{cancelled}")
    return ("\n".join(lines) + "\n").encode()


def test_an_end_date_filled_in_for_the_leavers_is_the_outcome_and_is_left_out():
    frame = read_table(_subscriptions(), "subscriptions.csv").frame
    out, roles, note = with_outcome_from_end_date(frame, suggest_roles(frame))
    name = ended_name("cancelled_on")
    assert roles.shape == Shape.ENTITY and roles.one(Role.TARGET) == name and roles.positive_class == "yes"
    assert roles.roles["cancelled_on"] == Role.IGNORE and roles.roles["Customer"] == Role.ID
    assert int((out[name] == "yes").sum()) == 75 and list(out[name][:2]) == ["yes", "no"]
    assert note.startswith("Payoff read 'cancelled_on' as the outcome: filled in on 75 of 300 rows (25%)")
    # a file with an outcome of its own, or no id on every row, is left as it is
    churned = frame.assign(Churned=frame["cancelled_on"].notna().map({True: "Yes", False: "No"}))
    assert with_outcome_from_end_date(churned, suggest_roles(churned))[2] == ""
    shared = frame.assign(Customer="same")
    assert with_outcome_from_end_date(shared, suggest_roles(shared))[2] == ""
