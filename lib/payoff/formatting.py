"""Money that reads like money: thousands separators and sensible decimals on screen and in
reports (downloads keep full precision)."""

from __future__ import annotations

import math

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


def share(value: float) -> str:
    return f"{value:.0%}"


def number(value: float) -> str:
    """A parameter value as typed: 0.3, 1.8, 250, 1,200."""
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
