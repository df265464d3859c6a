"""Money is integer minor units and a currency; parsing is strict and round-trips exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachctl.engine.commerce.money import Money, parse_money
from coachctl.engine.errors import Invalid


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("49.00 EUR", None, Money(4900, "EUR")),
        ("49 eur", None, Money(4900, "EUR")),
        ("EUR 49.5", None, Money(4950, "EUR")),
        ("4900", "EUR", Money(4900, "EUR")),
        (4900, "USD", Money(4900, "USD")),
        ("4900 JPY", None, Money(4900, "JPY")),
        ("1.234 KWD", None, Money(1234, "KWD")),
        ("0.10 GBP", None, Money(10, "GBP")),
    ],
)
def test_prices_parse_strictly(text, default, expected):
    assert parse_money(text, default) == expected


@pytest.mark.parametrize(
    "text",
    [
        "49,00 EUR",
        "49.001 EUR",
        "49.5 JPY",
        "-5 EUR",
        "EUR",
        "49 EURO",
        "4900",
        "1e3 EUR",
        "49.00",
        " ",
        "49.00 E1R",
        "99999999999999 EUR",
        True,
    ],
)
def test_ambiguous_or_wrong_prices_are_refused(text):
    with pytest.raises(Invalid):
        parse_money(text)


@given(st.integers(0, 10**10), st.sampled_from(["EUR", "USD", "JPY", "KWD", "GBP"]))
def test_formatted_money_parses_back_exactly(amount, currency):
    money = Money(amount, currency)
    assert parse_money(str(money)) == money
