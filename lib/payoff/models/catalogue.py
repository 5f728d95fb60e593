"""The models each family offers, in the order they are shown, with one line each. Names are a
contract (the CLI's --models, the JSON); the estimators themselves live in their own modules."""

from __future__ import annotations

from payoff.errors import BadParameter

QUANTITY_MODELS: dict[str, str] = {
    "naive": "Repeats the last period's value.",
    "seasonal naive": "Repeats the value of the same period one season earlier (e.g. last week's same day).",
    "moving average": "The average of the last few seasons (four weeks of days, eight weeks ...).",
    "exponential smoothing": "Holt-Winters: a smoothed level, a damped trend and a repeating seasonal pattern.",
    "linear regression": "Ridge regression on calendar, holidays, lags, rolling means and price/promotion.",
    "gradient boosting": "One gradient-boosted tree model over all series, on the same features, each series scaled "
    "to its own level.",
    "poisson regression": "A Poisson GLM (log link) on the same features: effects read as percentages of demand, "
    "each with its 95% interval.",
    "croston (sba)": "For slow movers: smooths the size of the sales and the gaps between them (Syntetos-Boylan "
    "corrected). Offered when most periods sell nothing.",
    "tsb": "For slow movers: smooths the chance of any sale and its size, and fades an item that stopped selling. "
    "Offered when most periods sell nothing.",
}
INTERMITTENT = ("croston (sba)", "tsb")
MOSTLY_ZEROS = 0.5  # share of periods with no demand from which the intermittent models are offered
TARGETING_MODELS: dict[str, str] = {
    "logistic regression": "Logistic regression on scaled numbers and one-hot categories, L2-regularised.",
    "random forest": "60 trees of depth 10 on bootstrap samples (of at most 12,000 rows), averaged.",
    "gradient boosting": "Gradient-boosted trees with native categorical support.",
}
BY_FAMILY: dict[str, dict[str, str]] = {"quantity": QUANTITY_MODELS, "targeting": TARGETING_MODELS}

# Entries of every result that are not models a user picks.
STATUS_QUO = "status quo"
AUTO = "auto"
BASE_RATE = "base rate"
ENTRIES = {
    STATUS_QUO: "What you do today.",
    AUTO: "Payoff's own choice: at each test, the model with the best money on the earlier tests "
    "(targeting: on the other folds), so the headline is never picked on the rows it is scored on.",
    BASE_RATE: "The expected-value rule with the overall event rate in place of a model: acts on the "
    "entities whose value alone makes acting pay.",
}


# The names a business user reads; the technical name (the CLI's --models, the JSON) in the help.
BUSINESS_NAMES: dict[str, str] = {
    "naive": "Last period again",
    "seasonal naive": "Same period last season",
    "moving average": "Recent average",
    "exponential smoothing": "Smoothed trend and season",
    "linear regression": "Linear demand model",
    "gradient boosting": "Pattern model (boosted trees)",
    "poisson regression": "Demand model (regression)",
    "croston (sba)": "Intermittent-demand method",
    "tsb": "Intermittent-demand method (fading)",
    "logistic regression": "Scoring model (regression)",
    "random forest": "Pattern model (random forest)",
    STATUS_QUO: "What you do today",
    AUTO: "Payoff's choice",
    BASE_RATE: "Value rule (no model)",
}


def business_name(name: str) -> str:
    """A model's or entry's name in business words (the technical name if it has none)."""
    return BUSINESS_NAMES.get(name, name)


def described(name: str, family: str) -> str:
    """What an entry does, with its technical name: the help beside its business name."""
    text = {**BY_FAMILY.get(family, {}), **ENTRIES}.get(name, "")
    return f"{text} (technical name: {name})" if text else name


def models_for(
    family: str, names: tuple[str, ...] | list[str] | None = None, intermittent: bool = False
) -> tuple[str, ...]:
    """The named models of a family, checked; when none are named, the family's models (the
    intermittent-demand ones only for `intermittent` demand: mostly periods with no sale)."""
    offered = BY_FAMILY[family]
    if not names:
        return tuple(n for n in offered if intermittent or n not in INTERMITTENT)
    unknown = [n for n in names if n not in offered]
    if unknown:
        raise BadParameter(
            f"Unknown model{'s' if len(unknown) > 1 else ''} {', '.join(repr(n) for n in unknown)} for "
            f"{family} framings. Models: {', '.join(offered)}."
        )
    return tuple(dict.fromkeys(names))
