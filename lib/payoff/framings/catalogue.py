"""Every framing Payoff offers: parameters with units, defaults and one-line help, the money
formula, and the status quo assumed when the file has no decision column."""

from __future__ import annotations

from payoff.data.roles import Shape
from payoff.errors import BadParameter
from payoff.framings import quantity, targeting
from payoff.framings.base import Direction, Framing, Param, QuantityFraming, TargetingFraming
from payoff.framings.rules import Newsvendor, OrderUpTo, ShelfLife, Staffing
from payoff.statusquo import Everybody, LastValue, Nobody


def _budget(act: str, entities: str) -> Param:
    """The most rows to act on, in the framing's words ('Most customers to contact')."""
    return Param("budget", f"Most {entities} to {act}", None, entities, "Leave empty for no limit.", "optional_count")


_PRICE = Param(
    "price", "Selling price", 4.0, "per unit", "What a customer pays for one unit.", column_role="price", ask=True
)
_UNIT_COST = Param("unit_cost", "Unit cost", 1.5, "per unit", "What one unit costs you.", column_role="cost", ask=True)
_MAX_SHORT = Param(
    "max_short",
    "Short at most",
    None,
    "of periods",
    "A service level: run short in at most this share of periods (5%: 1 day in 20), at the least cost "
    "that meets it. Empty: the costs alone decide.",
    "optional_share",
    0.001,
    0.5,
)
_GOODWILL = Param(
    "goodwill", "Goodwill loss", 0.0, "per missed unit", "Extra cost of disappointing a customer.", sweep_from="price"
)

PERISHABLE = QuantityFraming(
    key="perishable",
    title="Minimise stockout and overstock losses (perishable stock)",
    question="How much should I stock each day when leftovers are lost?",
    params=(
        _PRICE,
        _UNIT_COST,
        Param(
            "salvage",
            "Salvage value",
            0.0,
            "per unit",
            "What an unsold unit still brings back.",
            sweep_from="unit_cost",
        ),
        _GOODWILL,
        Param(
            "shelf_life",
            "Keeps for",
            1,
            "periods",
            "How many periods it keeps. 1: what is not sold the day it arrives is thrown away. More: it is sold "
            "oldest first and written off when it reaches this age.",
            "periods",
            1,
            365,
        ),
        Param(
            "storage_cost",
            "Storage cost",
            0.0,
            "per unit per period",
            "What keeping one unit until the next period costs (cold storage), when it keeps more than one period.",
        ),
        Param("case_pack", "Sold in cases of", 1, "units", "Orders are whole cases of this many units.", "count", 1),
        Param(
            "min_order",
            "Minimum order",
            0,
            "units",
            "The least the supplier delivers (0: no minimum).",
            "count",
            0,
            at_most="max_order",
        ),
        Param(
            "max_order",
            "Most you can take",
            None,
            "units",
            "Shelf or storage space per delivery; empty for no limit.",
            "optional_count",
            1,
        ),
        Param(
            "order_days",
            "Delivered on",
            None,
            "days of the week",
            "The weekdays the supplier delivers, as Mon, Thu (a daily file). Each delivery covers the days until "
            "the next one. Empty: a delivery every period.",
            "weekdays",
            None,
        ),
        _MAX_SHORT,
    ),
    default_status_quo=LastValue(),
    policy=ShelfLife(quantity.perishable_costs),
)
INVENTORY = QuantityFraming(
    key="inventory",
    title="Keep the right stock on the shelf (replenishment)",
    question="How much should I order each review, given delivery lead time and stock carried over?",
    params=(
        _PRICE,
        _UNIT_COST,
        Param(
            "holding_cost", "Holding cost", 0.05, "per unit per period", "Cost of keeping one unit in stock.", ask=True
        ),
        Param(
            "lead_time",
            "Lead time",
            1,
            "periods",
            "Periods between placing an order and receiving it (the most likely, when it varies).",
            "periods",
            0,
            52,
        ),
        Param(
            "lead_time_min",
            "Lead time from",
            None,
            "periods",
            "The shortest a delivery takes, when it varies; empty: always the lead time above.",
            "optional_periods",
            0,
            52,
            at_most="lead_time",
        ),
        Param(
            "lead_time_max",
            "Lead time to",
            None,
            "periods",
            "The longest a delivery takes, when it varies (a 2-day lead time that is sometimes 4: 4).",
            "optional_periods",
            0,
            52,
            at_least="lead_time",
        ),
        Param("review_period", "Review period", 1, "periods", "Periods between two orders.", "periods", 1, 52),
        Param(
            "backorders",
            "Unmet demand waits",
            False,
            "",
            "True: customers wait (back-orders); false: lost.",
            "bool",
            None,
        ),
        _GOODWILL,
        _MAX_SHORT,
    ),
    default_status_quo=LastValue(),
    policy=OrderUpTo(),
)
STAFFING = QuantityFraming(
    key="staffing",
    title="Schedule the right number of staff",
    question="How many people should I schedule each period for the work that will arrive?",
    params=(
        Param(
            "units_per_staff",
            "Work one person handles",
            45.0,
            "units per period",
            "Calls, orders or visits one person can handle in one period.",
            "rate",
            minimum=1e-9,
            ask=True,
        ),
        Param("staff_cost", "Cost of one person", 160.0, "per period", "Pay for one person for one period.", ask=True),
        Param(
            "min_staff",
            "Fewest people on shift",
            0,
            "people",
            "The fewest people to schedule in any open period, however quiet (to open up, for safety, for the "
            "till). 0: none. Your own rota in a decision column is priced as it is.",
            "count",
            0,
        ),
        Param(
            "unserved_cost",
            "Cost of unserved work",
            6.0,
            "per unit",
            "Cost of one call or order not handled.",
            ask=True,
        ),
    ),
    default_status_quo=LastValue(),
    policy=Staffing(),
)
CUSTOM_QUANTITY = QuantityFraming(
    key="custom-quantity",
    title="Too little vs too much: name the two costs",
    question="What does one unit too few cost, and one unit too many?",
    params=(
        Param("under", "Cost of one unit too few", 3.0, "per unit", "Lost margin, penalty or goodwill.", ask=True),
        Param("over", "Cost of one unit too many", 1.0, "per unit", "Waste, holding or idle cost.", ask=True),
    ),
    default_status_quo=LastValue(),
    policy=Newsvendor(quantity.custom_costs),
)
CHURN = TargetingFraming(
    key="churn",
    title="Which customers to call to stop churn",
    question="Whom should we contact with a retention offer?",
    params=(
        Param(
            "value",
            "Value of a customer kept",
            300.0,
            "per customer",
            "What a customer who stays is worth.",
            column_role="value",
            ask=True,
        ),
        Param("contact_cost", "Cost of a contact", 10.0, "per contact", "Staff time for one call or mail.", ask=True),
        Param("offer_cost", "Cost of the offer", 30.0, "per accepted offer", "Discount or gift given.", ask=True),
        Param(
            "save_rate",
            "Churners the offer keeps",
            0.3,
            "share 0-1",
            "Share of would-be churners who stay.",
            "share",
            0.0,
            1.0,
        ),
        _budget("contact", "customers"),
    ),
    default_status_quo=Nobody(),
    direction=Direction.VALUE,
    act_label="contact",
    cells=targeting.churn_cells,
    words=("contact", "churns", "stays"),
    entities="customers",
)
FRAUD = TargetingFraming(
    key="fraud",
    title="Which transactions to review",
    question="Which payments should an analyst review before they go through?",
    params=(
        Param(
            "value",
            "Transaction amount",
            100.0,
            "per transaction",
            "Use the amount column when there is one.",
            column_role="value",
            ask=True,
        ),
        Param("review_cost", "Cost of a review", 5.0, "per review", "Analyst time for one review.", ask=True),
        Param(
            "recovery_rate", "Share recovered when caught", 1.0, "share 0-1", "Of a fraud's amount.", "share", 0.0, 1.0
        ),
        Param(
            "false_alarm_cost",
            "Cost of a false alarm",
            0.0,
            "per genuine payment reviewed",
            "Customer friction of a held genuine payment.",
            sweep_from="review_cost",
        ),
        _budget("review", "payments"),
    ),
    default_status_quo=Nobody(),
    direction=Direction.VALUE,
    act_label="review",
    cells=targeting.fraud_cells,
    words=("review", "is fraud", "is genuine"),
    entities="payments",
)
LEADS = TargetingFraming(
    key="leads",
    title="Which leads to contact",
    question="Which leads are worth a sales call?",
    params=(
        Param(
            "value",
            "Value of a conversion",
            500.0,
            "per conversion",
            "Margin on a won deal.",
            column_role="value",
            ask=True,
        ),
        Param("contact_cost", "Cost of a contact", 25.0, "per contact", "Sales time for one lead.", ask=True),
        _budget("contact", "leads"),
    ),
    default_status_quo=Everybody(),
    direction=Direction.VALUE,
    act_label="contact",
    cells=targeting.leads_cells,
    words=("contact", "converts", "does not convert"),
    entities="leads",
)
CREDIT = TargetingFraming(
    key="credit",
    title="Which loans to approve",
    question="Which applications should we approve?",
    params=(
        Param(
            "value",
            "Loan amount",
            10000.0,
            "per loan",
            "Use the amount column when there is one.",
            column_role="value",
            ask=True,
        ),
        Param(
            "margin",
            "Margin on a repaid loan",
            0.08,
            "share of amount",
            "Interest and fees earned.",
            "share",
            0.0,
            1.0,
            ask=True,
        ),
        Param(
            "loss_given_default",
            "Loss on a default",
            0.6,
            "share of amount",
            "Share lost when it defaults.",
            "share",
            0.0,
            1.0,
            ask=True,
        ),
    ),
    # The file holds loans that were granted: today every application of this kind is approved.
    default_status_quo=Everybody(),
    direction=Direction.VALUE,
    act_label="approve",
    cells=targeting.credit_cells,
    words=("approve", "defaults", "repays"),
    entities="loan applications",
)


def _payoff(key: str, label: str, default: float, example: str) -> Param:
    """One of the four payoffs a user types (any sign: a loss is negative), per row."""
    return Param(key, label, default, "per row", example, minimum=None, ask=True)


CUSTOM_PAYOFF = TargetingFraming(
    key="custom-payoff",
    title="Act or not: type the four payoffs",
    question="What do you gain or lose in each of the four cases?",
    params=(
        _payoff("act_pos", "Act, and it has the outcome", 50.0, "E.g. a churner you called."),
        _payoff("act_neg", "Act, and it does not have it", -10.0, "E.g. a loyal customer you called."),
        _payoff("pass_pos", "Pass, and it has the outcome", -100.0, "E.g. a churner you missed."),
        _payoff("pass_neg", "Pass, and it does not have it", 0.0, "E.g. a loyal customer left alone."),
    ),
    # words that read in every sentence: "act when the chance that it has the outcome is above 9%"
    words=("act", "has the outcome", "does not have it"),
    entities="rows",
    default_status_quo=Nobody(),
    direction=Direction.VALUE,
    cells=targeting.custom_cells,
)

FRAMINGS: dict[str, Framing] = {
    f.key: f for f in (PERISHABLE, INVENTORY, STAFFING, CUSTOM_QUANTITY, CHURN, FRAUD, LEADS, CREDIT, CUSTOM_PAYOFF)
}


def get(key: str) -> Framing:
    if key not in FRAMINGS:
        raise BadParameter(f"Unknown framing '{key}'. Choose one of: {', '.join(FRAMINGS)}.")
    return FRAMINGS[key]


def for_shape(shape: Shape) -> list[Framing]:
    """The framings that read a file of this shape as it is (an entity table: whom to act on;
    a time series or an event log: how much)."""
    return [f for f in FRAMINGS.values() if f.shape_for(shape) == shape]
