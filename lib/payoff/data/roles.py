"""Column roles (what each column means for the business question) and the table's shape.

Suggestions come from column names in several languages' business habits, types and cardinality;
the user confirms or edits them, so a wrong guess costs one click, not a wrong analysis."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

import pandas as pd

from payoff.data import fast
from payoff.data.yes_no import YES_NO, named_for_the_good_outcome, positive_class


class Role(StrEnum):
    DATE = "date"
    TIME = "time"
    SERIES_KEY = "series key"
    ID = "id"
    TARGET = "target"
    VALUE = "value"
    PRICE = "price"
    COST = "cost"
    DECISION = "status quo decision"
    FEATURE = "feature"
    IGNORE = "ignore"


class Shape(StrEnum):
    TIME_SERIES = "time series"
    ENTITY = "entity table"
    EVENT_LOG = "event log"
    WIDE = "wide time series"


_HINTS: dict[Role, re.Pattern[str]] = {
    Role.DATE: re.compile(r"date|^day$|^week$|^month$|period|timestamp|^ds$|^dt$", re.I),
    Role.TIME: re.compile(r"time$|^time|hour|_at$", re.I),
    Role.SERIES_KEY: re.compile(
        r"item|sku|product|store|shop|location|region|branch|series|site|dept|category|queue|centre|center",
        re.I,
    ),
    Role.ID: re.compile(r"(^|_|\b)id$|^id|uuid|customer.?id|account|^key$|number$|^no$", re.I),
    Role.DECISION: re.compile(
        r"order(ed)?(_qty|_units)?$|^ordered|stock.?level|on.?hand|staff|agents?_sched|scheduled|rostered|on.?shift|investigated|reminded|reminder.?sent|contacted|reviewed|approved|treated|decision|called"
        # what a kitchen or a bakery made for the day is its order: the status quo to price
        r"|(^|[\s_])(baked|produced|prepared|cooked|stocked|made)$|^production$",
        re.I,
    ),
    Role.PRICE: re.compile(r"price|^rrp$|selling", re.I),
    Role.COST: re.compile(r"cost|cogs|purchase.?price", re.I),
    Role.VALUE: re.compile(r"amount|value|revenue|clv|ltv|monthly.?(charge|fee)|deal|loan|balance|limit|spend", re.I),
}
_QUANTITY = re.compile(
    r"sales|sold|units|quantity|qty|demand|volume|calls|arrivals|visits|orders$|count|weekly_sales",
    re.I,
)
_OUTCOME = re.compile(
    r"churn|default|fraud|attrition|^y$|^class$|target|label|outcome|convert|converted|bad|response|exited|no.?show|"
    r"cancel+ed|^is_|flag|(^|[\s_])left( us)?\??$|(^|_)status$",
    re.I,
)
# Names that read as an outcome only when the values do too (yes/no, true/false, 0/1): "is_open",
# a "status" of married/single or a "flag" of colours are not outcomes.
_WEAK_OUTCOME = re.compile(r"^is_|flag|(^|[\s_])left( us)?\??$|(^|_)status$", re.I)
# A customer who left: weak (yes/no values needed), but beside an id per row it names customers
_LEFT = re.compile(r"(^|[\s_])left( us)?\??$", re.I)
# Names no daily quantity file uses for a two-valued column: such a column makes the file entities.
_STRONG_OUTCOME = re.compile(r"churn|default|fraud|attrition|outcome|convert|exited|no.?show", re.I)
# A 0/1 column with such a name marks the days the business was closed (not demand, not a feature).
CLOSED_NAME = re.compile(r"closed|closure|shut", re.I)
_NOT_MONEY = re.compile(r"fuel|idx|index|cpi|oil|gas|rate", re.I)


@dataclass(frozen=True)
class RoleMap:
    """Roles per column plus the table's shape; what the user edits on the Data page."""

    roles: dict[str, Role]
    shape: Shape
    reasons: dict[str, str] = field(default_factory=dict)
    positive_class: str | None = None

    def edited(self, roles: dict[str, Role], shape: Shape, positive: str | None) -> RoleMap:
        """The roles as the user left them: a reason Payoff gave stays only beside the role it gave
        it for ('a different value on every row' beside an id the user made a feature read as
        Payoff's reason for the wrong thing); a changed role is the user's."""
        reasons = {
            column: self.reasons.get(column, "")
            if role == self.roles.get(column)
            else ("left out by you" if role == Role.IGNORE else "set by you")
            for column, role in roles.items()
        }
        return RoleMap(roles, shape, {c: r for c, r in reasons.items() if r}, positive)

    def columns(self, role: Role) -> list[str]:
        return [c for c, r in self.roles.items() if r == role]

    def one(self, role: Role) -> str | None:
        found = self.columns(role)
        return found[0] if found else None

    def with_role(self, column: str, role: Role) -> RoleMap:
        roles = dict(self.roles)
        if role in (Role.DATE, Role.TARGET, Role.DECISION, Role.VALUE, Role.TIME):
            for other, other_role in roles.items():  # these roles are held by one column at a time
                if other_role == role and other != column:
                    roles[other] = Role.FEATURE
        roles[column] = role
        return replace(self, roles=roles)


# Values that name an outcome on their own (a credit file's Status good/bad, paid/default):
# such a two-valued column reads as the outcome whatever it is called.
OUTCOME_VALUES = {"bad", "good", "default", "defaulted", "paid", "fraud", "genuine", "churn", "churned", "converted"}
# A subscriber's "active" or "cancelled": an outcome only as that pair (an order line's "completed"
# or "cancelled" is the state of one order in a log of them, not a customer leaving)
LEFT_VALUES, STAYED_VALUES = {"cancelled", "canceled", "lapsed"}, {"active", "current", "renewed", "retained"}


def is_binary(series: pd.Series) -> bool:
    if series.iloc[:1000].nunique() > 2:  # most columns show a third value early: no full count
        return False
    return series.nunique() == 2


def snake_name(name: str) -> str:
    """A column's name with its spaces and dashes as underscores ('Qty Sold' is 'qty_sold'), so
    one pattern of words reads 'qty_sold', 'Qty Sold' and 'qty-sold' alike."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def hinted(role: Role, name: str) -> bool:
    """Whether a column's name says it plays this role ('price', 'unit cost', 'store')."""
    return bool(_HINTS[role].search(name))


def quantity_named(name: str) -> bool:
    """A name that says a quantity of units or events (qty, units sold, calls)."""
    return bool(_QUANTITY.search(name))


def named_outcome(series: pd.Series, name: str) -> bool:
    """A two-valued column named like an outcome (churn, default, attrition ...); a weaker name
    (is_..., status, left, flag) counts only with yes/no, true/false or 0/1 values."""
    if named_for_the_good_outcome(series, name):
        return True
    if not _OUTCOME.search(name):
        return False
    if not _WEAK_OUTCOME.search(name) or _STRONG_OUTCOME.search(name):
        return True
    return {str(v).strip().lower() for v in series.dropna().unique()} <= YES_NO


def reads_as_outcome(series: pd.Series) -> bool:
    """Two values, at least one of which names an outcome (good/bad, paid/default, fraud ...)."""
    if not is_binary(series) or pd.api.types.is_numeric_dtype(series):
        return False
    values = {str(v).strip().lower() for v in series.dropna().unique()}
    return bool(values & OUTCOME_VALUES) or (bool(values & LEFT_VALUES) and bool(values & STAYED_VALUES))


def one_value_or_blank(series: pd.Series) -> bool:
    """Text with one value where something happened and blanks elsewhere ('sent' beside blanks, a
    reminder's column): a yes/no flag whose blanks are the no, not a constant."""
    if not (pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)):
        return False  # numbers and dates: a blank there is unknown, not a no
    blank = series.isna()
    if not 0.01 <= float(blank.mean()) <= 0.99:
        return False
    first = series.loc[series.first_valid_index()]
    return bool(((series == first) | blank).all())  # compared in place: no copy of a million strings


def _event_times(stamps: pd.Series) -> bool:
    """Stamps of events as they happened (an order at 12:44:50), not periods on a grid (days,
    hours, half hours): most fall off every quarter hour. Such a table is a log to count."""
    sample = stamps.dropna().head(5_000)
    if sample.empty:
        return False
    seconds = sample.dt.hour * 3600 + sample.dt.minute * 60 + sample.dt.second
    return bool((seconds % 900 != 0).mean() > 0.5)


def _is_row_number(name: str, series: pd.Series) -> bool:
    if re.fullmatch(r"column_1|index|unnamed: ?0|row|rownames", name.lower()) is None:
        return False
    if not pd.api.types.is_integer_dtype(series) or len(series) < 3:
        return False
    return bool((pd.Series(series.to_numpy()).diff().dropna() > 0).all())


def _keys_for(frame: pd.DataFrame, date: str, candidates: list[str], unique: dict[str, int]) -> tuple[list[str], float]:
    """The smallest set of columns that, with the date, names each row once (a series key), and
    the share of rows that still repeat a (date, keys) pair.

    A key names an entity (an item, a store), so it changes between the rows of one date. Left
    out: a column that is the same for every row of a date (a holiday or weekend flag: it cannot
    tell two series apart), and a whole-number column named like a measure (units sold, a count:
    it changes over time within one entity). Text and id-like columns are tried first, then the
    fewest distinct values; a column that turns out not to be needed is dropped again."""
    if unique[date] == len(frame):
        return [], 0.0
    per_date = max(2, len(frame) // max(unique[date], 1)) * 2
    eligible = [
        c
        for c in candidates
        if unique[c] <= per_date and not _QUANTITY.search(c) and not _same_within_date(frame, date, c, unique)
    ]
    ranked = sorted(eligible, key=lambda c: (_key_rank(frame[c], c), unique[c]))
    shares = fast.repeat_shares(frame, [date, *ranked])  # the date alone, then one key more each
    date_repeats = repeats = next(shares)
    chosen: list[str] = []
    for column, repeats in zip(ranked, shares, strict=False):
        chosen.append(column)
        if repeats == 0:
            return _pruned(frame, date, chosen), 0.0
    if chosen and repeats < 0.5:
        return chosen, repeats
    return [], date_repeats


def _key_rank(values: pd.Series, name: str) -> int:
    """0 for a column named like a key (item, store), 1 for other text, 2 for other numbers."""
    if _HINTS[Role.SERIES_KEY].search(name) or _HINTS[Role.ID].search(name):
        return 0
    return 1 if not pd.api.types.is_numeric_dtype(values) else 2


def _same_within_date(frame: pd.DataFrame, date: str, column: str, unique: dict[str, int]) -> bool:
    """True when every row of a date holds the same value of `column` (a flag of the day)."""
    *_, pairs = fast.repeat_shares(frame, [date, column])
    return round((1 - pairs) * len(frame)) <= unique[date]


def _pruned(frame: pd.DataFrame, date: str, chosen: list[str]) -> list[str]:
    """Drop, latest first, every chosen column the others do not need to name each row once."""
    kept = list(chosen)
    for column in reversed(chosen):
        if len(kept) < 2:
            break
        rest = [c for c in kept if c != column]
        *_, repeats = fast.repeat_shares(frame, [date, *rest])
        if repeats == 0:
            kept = rest
    return kept


def suggest_roles(frame: pd.DataFrame) -> RoleMap:
    roles: dict[str, Role] = {}
    reasons: dict[str, str] = {}
    n = len(frame)
    unique = {c: fast.distinct_count(frame[c]) for c in frame.columns}
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    dates.sort(key=lambda c: (not _HINTS[Role.DATE].search(c), frame[c].isna().mean()))
    date = dates[0] if dates else None
    for column in frame.columns:
        series = frame[column]
        if unique[column] == 1 and one_value_or_blank(series):
            roles[column], reasons[column] = Role.FEATURE, "one value or blank: a yes/no flag (blank is no)"
        elif unique[column] <= 1:
            roles[column], reasons[column] = Role.IGNORE, "constant or empty"
        elif _is_row_number(column, series):
            roles[column], reasons[column] = Role.IGNORE, "row numbers (1, 2, 3 ...)"
        elif column == date:
            roles[column], reasons[column] = Role.DATE, "dates"
        elif pd.api.types.is_timedelta64_dtype(series):
            roles[column], reasons[column] = Role.TIME, "times of day"
        else:
            roles[column] = Role.FEATURE
    for column in dates[1:]:
        roles[column], reasons[column] = Role.FEATURE, "another date"
    time_cols = [c for c, r in roles.items() if r == Role.TIME]
    for extra in time_cols[1:]:  # only the first time column marks the moment of the event
        roles[extra], reasons[extra] = Role.FEATURE, "another time"
    free = [c for c, r in roles.items() if r == Role.FEATURE]
    text_like = [c for c in free if not pd.api.types.is_float_dtype(frame[c])]
    for column in text_like:
        series = frame[column]
        unique_share = unique[column] / max(n, 1)
        if unique_share > 0.98 and (_HINTS[Role.ID].search(column) or not pd.api.types.is_numeric_dtype(series)):
            roles[column], reasons[column] = Role.ID, "a different value on every row"
        elif (
            not pd.api.types.is_numeric_dtype(series)
            and unique_share > 0.5
            and series.astype("str").str.len().mean() > 30
        ):
            roles[column], reasons[column] = Role.IGNORE, "free text"
    shape = Shape.ENTITY
    if date is not None:
        candidates = [c for c, r in roles.items() if r == Role.FEATURE and not pd.api.types.is_float_dtype(frame[c])]
        keys, repeats = ([], 1.0) if time_cols else _keys_for(frame, date, candidates, unique)
        shape = Shape.EVENT_LOG if time_cols or repeats > 0.3 or _event_times(frame[date]) else Shape.TIME_SERIES
        # a 0/1 outcome with blanks (a loan not granted has no default) reads as floats: it counts too
        two_valued = [c for c, r in roles.items() if r == Role.FEATURE and is_binary(frame[c])]
        outcome = [c for c in two_valued if named_outcome(frame[c], c) or reads_as_outcome(frame[c])]
        strong = [c for c in outcome if _STRONG_OUTCOME.search(c) or reads_as_outcome(frame[c])]
        # a named outcome beside a different id on every row is a table of customers (or loans)
        # even where another column counts something ("support calls"): not a log of events
        # ("is_return" or a "flag" beside a transaction id stays a log of events)
        identified = any(r == Role.ID for r in roles.values()) and any(
            not _WEAK_OUTCOME.search(c) or _LEFT.search(c) for c in outcome
        )
        if strong or (outcome and (identified or not any(_QUANTITY.search(c) for c in frame.columns))):
            shape, keys = Shape.ENTITY, []  # dated entities (transactions, loans): the date orders folds
        if shape == Shape.EVENT_LOG:
            keys = []  # the user chooses what to count per series when aggregating
        for key in keys:
            roles[key], reasons[key] = Role.SERIES_KEY, "with the date, identifies a series"
        numeric = [c for c, r in roles.items() if r == Role.FEATURE and pd.api.types.is_numeric_dtype(frame[c])]
        if (
            shape == Shape.TIME_SERIES
            and not keys
            and len(numeric) >= 3
            and not any(_QUANTITY.search(c) for c in numeric)
        ):
            shape = Shape.WIDE
    _assign_business_roles(frame, roles, reasons, shape)
    target = next((c for c, r in roles.items() if r == Role.TARGET), None)
    binary_target = target is not None and shape == Shape.ENTITY and is_binary(frame[target])
    positive = positive_class(frame[target], target) if binary_target and target is not None else None
    return RoleMap(roles, shape, reasons, positive)


def _assign_business_roles(frame: pd.DataFrame, roles: dict[str, Role], reasons: dict[str, str], shape: Shape) -> None:
    free = [c for c, r in roles.items() if r == Role.FEATURE]
    numeric = [c for c in free if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    target: str | None  # the column found to be the outcome, or none
    if shape == Shape.ENTITY:
        binary = [c for c in free if is_binary(frame[c])]
        named = [c for c in binary if named_outcome(frame[c], c)] or [c for c in binary if reads_as_outcome(frame[c])]
        # the outcome usually comes last: prefer the last named one, else a two-valued last column
        if named:
            target = named[-1]
        elif binary and binary[-1] == free[-1]:
            target = binary[-1]
        else:
            target = None
        if target is None and free and frame[free[-1]].nunique() == 2:
            target = free[-1]
        if target:
            roles[target], reasons[target] = Role.TARGET, "a two-valued outcome"
    elif shape in (Shape.TIME_SERIES, Shape.WIDE):
        named = [c for c in numeric if _QUANTITY.search(c) and not _HINTS[Role.DECISION].search(c)]
        target = named[0] if named else None
        if target is None:
            plain = [c for c in numeric if not any(h.search(c) for h in _HINTS.values()) and frame[c].nunique() > 2]
            target = plain[0] if plain else None
        reason = "the quantity to forecast"
        if target is None:  # a wholesaler's 'cases_ordered' alone: what customers ordered is the demand
            ordered = [c for c in numeric if _HINTS[Role.DECISION].search(c) and frame[c].nunique() > 2]
            target = ordered[0] if ordered else None
            reason = "the only quantity in the file: what was ordered is the demand to forecast"
        if target:
            roles[target], reasons[target] = Role.TARGET, reason
    business = (Role.DECISION, Role.VALUE) if shape == Shape.ENTITY else (Role.DECISION, Role.PRICE, Role.COST)
    for role in business:
        for column in numeric:
            if roles[column] == Role.FEATURE and _HINTS[role].search(column) and not _NOT_MONEY.search(column):
                if role == Role.DECISION and shape == Shape.ENTITY and not is_binary(frame[column]):
                    continue
                roles[column], reasons[column] = role, f"the name reads as {role.value}"
                break
    if shape == Shape.ENTITY:
        for column in free:
            if roles[column] == Role.FEATURE and _HINTS[Role.DECISION].search(column) and is_binary(frame[column]):
                roles[column], reasons[column] = Role.DECISION, "what the business did (act or not)"
                break
