"""Money as integer minor units and an ISO 4217 code; strict parsing, exact formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency

from coachctl.engine.errors import Invalid

# Stripe's zero- and three-decimal currencies; every other code has two decimals.
_ZERO_DECIMAL = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
_THREE_DECIMAL = frozenset(["BHD", "JOD", "KWD", "OMR", "TND"])
_MAJOR = re.compile(
    r"^(?:(?P<a>\d{1,12}(?:\.\d+)?)\s+(?P<c1>[A-Za-z]{3})|(?P<c2>[A-Za-z]{3})\s+(?P<b>\d{1,12}(?:\.\d+)?))$"
)
_MINOR = re.compile(r"^\d{1,12}$")
MAX_MINOR = 10**11


def exponent(currency: str) -> int:
    """How many decimal places ``currency`` has."""
    code = currency.upper()
    if code in _ZERO_DECIMAL:
        return 0
    return 3 if code in _THREE_DECIMAL else 2


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units (cents) and its currency."""

    amount: int
    currency: str

    def __str__(self) -> str:
        places = exponent(self.currency)
        if places == 0:
            return f"{self.amount} {self.currency}"
        sign = "-" if self.amount < 0 else ""
        major, minor = divmod(abs(self.amount), 10**places)
        return f"{sign}{major}.{minor:0{places}d} {self.currency}"

    def display(self, locale: str = "en_GB") -> str:
        """The amount as ``locale`` writes it: ``€49.00``, ``49,00 €``, ``¥4,900``."""
        major = Decimal(self.amount).scaleb(-exponent(self.currency))
        return format_currency(major, self.currency, locale=locale)


def currency_code(text: str) -> str:
    """An upper-case ISO 4217 currency code that exists (Babel's CLDR list)."""
    code = text.strip().upper() if isinstance(text, str) else ""
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise Invalid(f"currency {text!r} is not a three-letter ISO 4217 code")
    if code not in _known_currencies():
        raise Invalid(f"currency {code} is not an ISO 4217 currency", hint="e.g. EUR, USD, GBP")
    return code


@lru_cache(maxsize=1)
def _known_currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def parse_money(text: str | int, default_currency: str | None = None) -> Money:
    """``"49.00 EUR"`` (major units and a code), ``4900`` (minor units, default currency), or
    ``free`` (nothing, in the default currency)."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    value = (text or "").strip() if isinstance(text, str) else ""
    if value.lower() == "free":
        value = "0"
    if _MINOR.match(value):
        if not default_currency:
            raise Invalid(f"price {text!r} needs a currency, e.g. '49.00 EUR'")
        return _bounded(Money(int(value), currency_code(default_currency)))
    match = _MAJOR.match(value)
    if not match:
        raise Invalid(
            f"price {text!r} is not understood",
            hint="write '49.00 EUR' (major units and a code) or 4900 (minor units)",
        )
    amount = Decimal(match.group("a") or match.group("b"))
    currency = currency_code(match.group("c1") or match.group("c2"))
    places = exponent(currency)
    minor = amount.scaleb(places)
    if minor != minor.to_integral_value():
        raise Invalid(f"{currency} has {places} decimal places; {text!r} has more")
    return _bounded(Money(int(minor), currency))


def _bounded(money: Money) -> Money:
    if money.amount >= MAX_MINOR:
        raise Invalid(f"price {money} is too large")
    return money
