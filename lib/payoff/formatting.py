"""One formatting module for the screen, the report and the workbook: money with its currency and
thousands separators, shares as percentages, whole units as integers, dates in the file's own
calendar, blank for missing. Downloads keep full precision and carry formats, not text."""

from __future__ import annotations

import math

import pandas as pd

MILLION = 1_000_000


def money(value: float | None, compact: bool = False, currency: str = "") -> str:
    """1234567.8 -> "1,234,568" (or "1.23 M" when compact); 12.345 -> "12.35"; None -> "n/a".
    A currency symbol goes before the number ("$1,234", "-€12.50"), a code after it ("1,234 CHF")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if compact and abs(value) >= MILLION:
        text = f"{abs(value) / MILLION:,.2f} M"
    elif abs(value) >= 100:
        text = f"{abs(value):,.0f}"
    else:
        text = f"{abs(value):,.2f}"
    if text in ("0", "0.00"):
        return with_currency("0", currency)
    return ("-" if value < 0 else "") + with_currency(text, currency)


def with_currency(text: str, currency: str) -> str:
    if not currency:
        return text
    return f"{currency}{text}" if len(currency) == 1 else f"{text} {currency}"


def interval(low: float, high: float, compact: bool = False, currency: str = "") -> str:
    return f"{money(low, compact, currency)} to {money(high, compact, currency)}"


# Currency by the language/region tag a browser or a system locale gives (en-US, de_DE.UTF-8):
# a suggestion the user confirms on the Problem page, never a silent choice.
_BY_REGION = {
    "US": "$",
    "CA": "$",
    "AU": "$",
    "NZ": "$",
    "SG": "$",
    "HK": "$",
    "MX": "$",
    "GB": "£",
    "IE": "€",
    "JP": "¥",
    "CN": "¥",
    "IN": "₹",
    "CH": "CHF",
    "SE": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "PL": "PLN",
    "CZ": "CZK",
    "HU": "HUF",
    "IL": "₪",
    "BR": "R$",
    "ZA": "R",
    "KR": "₩",
    "TR": "₺",
}
_EURO = {
    "DE",
    "FR",
    "ES",
    "IT",
    "NL",
    "BE",
    "AT",
    "PT",
    "FI",
    "GR",
    "SK",
    "SI",
    "LT",
    "LV",
    "EE",
    "LU",
    "MT",
    "CY",
    "HR",
}
CURRENCIES = ("$", "€", "£", "¥", "₹", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "₪", "R$", "R", "₩", "₺")


def currency_for_locale(tag: str | None) -> str:
    """ "en-US" -> "$", "de_DE.UTF-8" -> "€", "fr" or "C" -> "" (no region: nothing to go on)."""
    if not tag:
        return ""
    parts = tag.replace("-", "_").split(".")[0].split("_")
    region = parts[1].upper() if len(parts) > 1 else ""
    return "€" if region in _EURO else _BY_REGION.get(region, "")


def listed(names: list[str]) -> str:
    """Names as a sentence lists them: "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def share(value: float) -> str:
    return f"{value:.0%}"


def chance(value: float) -> str:
    """A probability as a manager reads it: 0.62 -> "62%"; never "100%" or "0%", which read as
    certainty where a resampling of a few hundred days only found no case against it."""
    if value >= 0.995:
        return "over 99%"
    if value <= 0.005:
        return "under 1%"
    return f"{value:.0%}"


def amount(value: float, currency: str = "") -> str:
    """A unit cost in a sentence: cents (£1.50), or its first digits where cents would show 0.00
    (a holding cost of 0.00325 a dollar-week)."""
    text = f"{abs(value):,.2f}" if value == 0 or abs(value) >= 0.01 else f"{abs(value):.3g}"
    return ("-" if value < 0 else "") + with_currency(text, currency)


def decimals(value: float | None) -> int:
    """Decimals an input shows for this value: two, or enough for its first three digits (0.00325)."""
    if value is None or value == 0 or abs(value) >= 0.01:
        return 2
    return min(8, 2 - math.floor(math.log10(abs(value))))


def input_step(value: float | None, share: bool = False) -> tuple[float, str]:
    """A number input's step and format for a value: a twentieth of it (0.01 for a share), in as
    many decimals as the value needs (0.00325 shown as 0.00325, not 0.00)."""
    places = decimals(value)
    step = 0.01 if share else max(10.0**-places, round(abs(float(value or 1)) / 20, places))
    return step, f"%.{places}f"


def number(value: float) -> str:
    """A parameter value as typed: 0.3, 1.8, 250, 1,200."""
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


# --- one way to show a table's cells: on screen, in the report and in the workbook ----------------
#
# A table carries the kind of each column (frame.attrs["kinds"]); each front end turns a kind into
# its own format: Streamlit's column config, the report's cell text, an Excel number format.
# NUMBER: quantities with decimals (forecasts, average stock), two of them as in the workbook, so
# a column's decimals line up; SCORE: a figure whose size varies by orders (AUC 0.83, a Brier
# score of 0.0123, a parameter as typed), to four significant digits.
MONEY, PERCENT, COUNT, NUMBER, SCORE, PROBABILITY, DATE, TEXT = (
    "money",
    "percent",
    "count",
    "number",
    "score",
    "probability",
    "date",
    "text",
)
KINDS_ATTR = "kinds"


def kinds_of(frame: pd.DataFrame) -> dict[str, str]:
    """The declared kind of each column, else one guessed from its values."""
    declared = dict(frame.attrs.get(KINDS_ATTR, {}))
    out = {}
    for column in frame.columns:
        if column in declared:
            out[column] = declared[column]
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            out[column] = DATE
        elif pd.api.types.is_bool_dtype(frame[column]) or not pd.api.types.is_numeric_dtype(frame[column]):
            out[column] = TEXT
        elif pd.api.types.is_integer_dtype(frame[column]) or _whole(frame[column]):
            out[column] = COUNT
        else:
            out[column] = NUMBER
    return out


def with_kinds(frame: pd.DataFrame, **kinds: str) -> pd.DataFrame:
    """The frame with these columns' kinds declared (by keyword; use `declare` for any name)."""
    return declare(frame, kinds)


def declare(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    frame.attrs[KINDS_ATTR] = {**frame.attrs.get(KINDS_ATTR, {}), **{k: v for k, v in kinds.items() if k in frame}}
    return frame


def _whole(values: pd.Series) -> bool:
    known = values.dropna()
    return bool(len(known)) and bool((known == known.round()).all())


def cell(value: object, kind: str, currency: str = "", unit: str = "day") -> str:
    """A cell as text, blank when missing: money with its currency and separators, shares as
    percentages, whole units as integers, dates in the file's calendar."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if kind == MONEY:
        return money(float(value), currency=currency)  # type: ignore[arg-type]
    if kind == PROBABILITY:
        return chance(float(value))  # type: ignore[arg-type]
    if kind == PERCENT:
        return percent(float(value))  # type: ignore[arg-type]
    if kind == COUNT:
        text = f"{float(value):,.0f}"  # type: ignore[arg-type]
        return "0" if text == "-0" else text  # a closed day's -0.0 stock, never "-0"
    if kind == DATE:
        return date(pd.Timestamp(value), unit)
    if kind == NUMBER and isinstance(value, int | float):
        text = f"{float(value):,.2f}"
        return "0.00" if text == "-0.00" else text
    if kind == SCORE and isinstance(value, int | float):
        return number(float(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def percent(value: float) -> str:
    """0.447 -> "44.7%", 0.05 -> "5.0%", 0.98 -> "98.0%"; no "-0%"."""
    text = f"{value:.1%}"
    return "0.0%" if text == "-0.0%" else text


def date(stamp: pd.Timestamp, unit: str = "day") -> str:
    """A period label in the file's own calendar: 01 Oct 2026, Oct 2026, 01 Oct 2026 14:00."""
    if unit == "month":
        return f"{stamp:%b %Y}"
    if unit == "hour":
        return f"{stamp:%d %b %Y %H:%M}"
    return f"{stamp:%d %b %Y}"


def excel_format(kind: str, currency: str = "") -> str | None:
    """An Excel number format for a kind (None: leave the cell as it is)."""
    if kind == MONEY:
        symbol = f'"{currency}"' if currency else ""
        return f"{symbol}#,##0.00;-{symbol}#,##0.00" if len(currency) <= 1 else f'#,##0.00 "{currency}"'
    if kind in (PERCENT, PROBABILITY):
        return "0.0%"
    if kind == COUNT:
        return "#,##0"
    if kind == NUMBER:
        return "#,##0.00"
    if kind == DATE:
        return "yyyy-mm-dd"
    return None


def streamlit_format(kind: str, currency: str = "") -> str | None:
    """A Streamlit NumberColumn format (sprintf-style) for a kind."""
    if kind == MONEY:
        return with_currency("%,.0f", currency)
    if kind == COUNT:
        return "%,d"
    if kind == NUMBER:
        return "%,.2f"
    if kind in (PERCENT, PROBABILITY):
        return "percent"
    return None
