"""The question the Problem page offers first, from the file's own column names."""

import pytest

from payoff.data.roles import Shape
from payoff.framings.suggest import suggested_framing


@pytest.mark.parametrize(
    ("shape", "names", "expected"),
    [
        (Shape.ENTITY, ["fraud_flag"], "fraud"),
        (Shape.ENTITY, ["Is Fraudulent?"], "fraud"),
        (Shape.ENTITY, ["Status"], "churn"),  # active / cancelled
        (Shape.ENTITY, ["Churn"], "churn"),
        (Shape.ENTITY, ["converted"], "leads"),
        (Shape.ENTITY, ["y_subscribed"], "leads"),
        (Shape.ENTITY, ["default.payment.next.month"], "credit"),
        (Shape.ENTITY, ["loan_status"], "credit"),
        (Shape.ENTITY, ["outcome"], "churn"),  # nothing telling: the first question for a table of rows
        (Shape.TIME_SERIES, ["Calls Offered"], "staffing"),
        (Shape.TIME_SERIES, ["visits", "Receptionists On Shift"], "staffing"),  # what the business decides
        (Shape.TIME_SERIES, ["units_sold", None], "perishable"),
        (Shape.TIME_SERIES, ["Umsatz"], "perishable"),
        (Shape.TIME_SERIES, ["fraud_flag"], "perishable"),  # not a question a time series asks
    ],
)
def test_the_first_question_follows_the_files_words(shape, names, expected):
    assert suggested_framing(shape, names).key == expected
