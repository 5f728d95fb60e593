"""The model registry: every model a user can pick, in the order it is shown, as one spec (see
models/protocols.py). The backtest, the next decisions, the classifiers, the explanations and the
pages all read it; adding a model is its class or builder plus one line here. Names are a
contract (the CLI's --models, the JSON)."""

from __future__ import annotations

from dataclasses import dataclass

from payoff.decision_kinds import DecisionKind
from payoff.errors import BadParameter
from payoff.models import estimators, forecasters, glm, local_glm, regression
from payoff.models.protocols import (
    ClassifierSpec,
    ExplainedBy,
    ForecasterSpec,
    GlobalForecasterSpec,
    ModelSpec,
    QuantitySpec,
)

SLOW_MOVERS = "Offered when most periods sell nothing."

MODELS: tuple[ModelSpec, ...] = (
    ForecasterSpec(
        name="naive",
        business_name="Last period again",
        description="Repeats the last period's value.",
        build=lambda season: forecasters.Naive(),
        repeats_data=True,
    ),
    ForecasterSpec(
        name="seasonal naive",
        business_name="Same period last season",
        description="Repeats the value of the same period one season earlier (e.g. last week's same day).",
        build=lambda season: forecasters.SeasonalNaive(season=season),
        repeats_data=True,
    ),
    ForecasterSpec(
        name="moving average",
        business_name="Recent average",
        description="The average of the last few seasons (four weeks of days, eight weeks ...).",
        # four seasons of a short season, one of a long one, never fewer than 8 periods
        build=lambda season: forecasters.MovingAverage(window=max(4 * season if season <= 12 else season, 8)),
        repeats_data=True,
    ),
    ForecasterSpec(
        name="exponential smoothing",
        business_name="Smoothed trend and season",
        description="Holt-Winters: a smoothed level, a damped trend and a repeating seasonal pattern.",
        build=lambda season: forecasters.HoltWinters(season=season),
    ),
    GlobalForecasterSpec(
        name="linear regression",
        business_name="Linear demand model",
        description="Ridge regression on calendar, holidays, lags, rolling means and price/promotion.",
        build=lambda ratio: regression.LinearRegression(),
    ),
    GlobalForecasterSpec(
        name="gradient boosting",
        business_name="Pattern model (boosted trees)",
        description="One gradient-boosted tree model over all series, on the same features, each series scaled "
        "to its own level.",
        build=lambda ratio: regression.GradientBoosting(),
        fit_cost=15.0,
        explained_by=ExplainedBy.MONEY_IMPORTANCE,
    ),
    GlobalForecasterSpec(
        name="quantile boosting",
        business_name="Order model (boosted trees)",
        description="Gradient-boosted trees on the same features that learn the order itself: the level demand "
        "stays under as often as the costs say (the critical ratio at the run's costs), not the average, so its "
        "forecasts sit above or below the average on purpose. A what-if at other costs moves its orders by its "
        "own past errors; a new run refits it at the new ratio.",
        build=lambda ratio: regression.QuantileBoosting(quantile=ratio),
        fit_cost=15.0,
        learns_decision=True,
    ),
    GlobalForecasterSpec(
        name="linear quantile regression",
        business_name="Order model (linear)",
        description="Linear quantile regression on the same features as the linear demand model: the order as a "
        "straight line in them, at the level demand stays under as often as the costs say. The order model's "
        "plain twin: a what-if at other costs moves its orders by its own past errors; a new run refits it.",
        build=lambda ratio: regression.LinearQuantile(quantile=ratio),
        fit_cost=3.0,
        learns_decision=True,
    ),
    GlobalForecasterSpec(
        name="poisson regression",
        business_name="Demand model (regression)",
        description="A Poisson GLM (log link) on the same features: effects read as percentages of demand, "
        "each with its 95% interval.",
        build=lambda ratio: glm.PoissonGLM(),
        explained_by=ExplainedBy.EFFECTS,
    ),
    GlobalForecasterSpec(
        name="local poisson regression",
        business_name="Demand model per series",
        description="A Poisson GLM for each series on its own weekday (or hour) pattern, time of year, trend and "
        "price/promotion, shrunk toward the shared fit when a series is short.",
        build=lambda ratio: local_glm.LocalPoissonGLM(),
    ),
    ForecasterSpec(
        name="croston (sba)",
        business_name="Intermittent-demand method",
        description="For slow movers: smooths the size of the sales and the gaps between them (Syntetos-Boylan "
        f"corrected). {SLOW_MOVERS}",
        build=lambda season: forecasters.Croston(),
        intermittent=True,
    ),
    ForecasterSpec(
        name="tsb",
        business_name="Intermittent-demand method (fading)",
        description="For slow movers: smooths the chance of any sale and its size, and fades an item that stopped "
        f"selling. {SLOW_MOVERS}",
        build=lambda season: forecasters.TSB(),
        intermittent=True,
    ),
    ClassifierSpec(
        name="logistic regression",
        business_name="Scoring model (regression)",
        description="Logistic regression on scaled numbers and one-hot categories, L2-regularised.",
        build=estimators.logistic_regression,
        categories_first=False,
        explained_by=ExplainedBy.EFFECTS,
    ),
    ClassifierSpec(
        name="random forest",
        business_name="Pattern model (random forest)",
        description="60 trees of depth 10 on bootstrap samples (of at most 12,000 rows), averaged.",
        build=estimators.random_forest,
        # scikit-learn's forest bootstraps by weighting all rows, so each tree costs the whole
        # fold; a seeded subsample keeps a 100,000-entity fold to about a second.
        max_rows=12_000,
        explained_by=ExplainedBy.MONEY_IMPORTANCE,
    ),
    ClassifierSpec(
        name="gradient boosting",
        business_name="Pattern model (boosted trees)",
        description="Gradient-boosted trees with native categorical support.",
        build=estimators.gradient_boosting,
        explained_by=ExplainedBy.MONEY_IMPORTANCE,
    ),
)
MOSTLY_ZEROS = 0.5  # share of periods with no demand from which the intermittent models are offered


@dataclass(frozen=True)
class Entry:
    """An entry of every result that is not a model a user picks."""

    name: str
    business_name: str
    description: str
    family: DecisionKind | None = None  # None: every result has it


STATUS_QUO = "status quo"
AUTO = "auto"
BASE_RATE = "base rate"
BLEND = "blend"
OTHER_ENTRIES = (
    Entry(STATUS_QUO, "What you do today", "What you do today."),
    Entry(
        AUTO,
        "Payoff's choice",
        "Payoff's own choice: at each test, the model with the best money on the earlier tests "
        "(targeting: on the other folds), so the headline is never picked on the rows it is scored on. "
        "Where that model was ahead of the blend of the leading models by less than the noise, the blend.",
    ),
    Entry(
        BASE_RATE,
        "Value rule (no model)",
        "The expected-value rule with the overall event rate in place of a model: acts on the "
        "entities whose value alone makes acting pay.",
        DecisionKind.TARGETING,
    ),
    Entry(
        BLEND,
        "Blend of the leading models",
        "At each test, the middle decision (the median) of the five models that cost least on the earlier "
        "tests. When no model is clearly best, the blend is steadier than any one of them; Payoff's choice "
        "takes it when it did best on the earlier tests, or when the model that did was ahead of it by less "
        "than the noise.",
        DecisionKind.QUANTITY,
    ),
)

# The tables callers read, derived from the registry.
BY_FAMILY: dict[str, dict[str, str]] = {
    family: {spec.name: spec.description for spec in MODELS if spec.kind == family} for family in DecisionKind
}
INTERMITTENT = tuple(spec.name for spec in MODELS if spec.intermittent)
REPEATERS = tuple(spec.name for spec in MODELS if spec.repeats_data)
ENTRIES: dict[str, str] = {entry.name: entry.description for entry in OTHER_ENTRIES}
ENTRIES_OF: dict[str, dict[str, str]] = {
    family: {entry.name: entry.description for entry in OTHER_ENTRIES if entry.family in (None, family)}
    for family in DecisionKind
}
# business_name() takes no family: a name both families use must read the same in both.
BUSINESS_NAMES: dict[str, str] = {
    **{spec.name: spec.business_name for spec in MODELS},
    **{entry.name: entry.business_name for entry in OTHER_ENTRIES},
}


def spec_of(name: str, family: DecisionKind) -> ModelSpec:
    """The registered model `name` of a family."""
    for spec in MODELS:
        if spec.name == name and spec.kind == family:
            return spec
    raise BadParameter(f"Unknown model '{name}'.")


def quantity_spec(name: str) -> QuantitySpec:
    spec = spec_of(name, DecisionKind.QUANTITY)
    assert isinstance(spec, ForecasterSpec | GlobalForecasterSpec)
    return spec


def classifier_spec(name: str) -> ClassifierSpec:
    spec = spec_of(name, DecisionKind.TARGETING)
    assert isinstance(spec, ClassifierSpec)
    return spec


def business_name(name: str) -> str:
    """A model's or entry's name in business words (the technical name if it has none)."""
    return BUSINESS_NAMES.get(name, name)


def described(name: str, family: str) -> str:
    """What an entry does, with its technical name: the help beside its business name."""
    text = {**BY_FAMILY.get(family, {}), **ENTRIES_OF.get(family, {})}.get(name, "")
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
