"""One format per kind of value: days, clock times, spans and money, by locale."""

from datetime import UTC, date, datetime

from coachctl.engine import formats
from coachctl.engine.commerce.money import Money


def test_locale_tags_map_to_babel_names_and_unknown_tags_fall_back():
    assert formats.locale_name("en-US") == "en_US"
    assert formats.locale_name("xx-??") == formats.DEFAULT_LOCALE
    assert formats.locale_name(None) == formats.DEFAULT_LOCALE


def test_the_clock_follows_the_locale_unless_the_visitor_chose():
    start = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    assert formats.clock(start, "America/New_York", "en_US") == "2:00 PM"
    assert formats.clock(start, "America/New_York", "en_GB") == "14:00"
    assert formats.clock(start, "America/New_York", "en_US", hour12=False) == "14:00"


def test_spans_name_the_zone_and_never_pad_the_day():
    start = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    end = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert formats.span(start, end, "Europe/Paris") == "Tue 1 Dec 2026, 14:00–15:00 (Europe/Paris)"


def test_inclusive_day_ranges_read_as_one_label():
    assert formats.day_range(date(2026, 12, 24), date(2026, 12, 26)) == "24–26 Dec 2026"
    assert formats.day_range(date(2026, 12, 30), date(2027, 1, 2)) == "30 Dec 2026 – 2 Jan 2027"
    assert formats.day_range(date(2026, 11, 30), date(2026, 12, 2)) == "30 Nov – 2 Dec 2026"


def test_money_reads_as_the_page_shows_it():
    assert Money(2900, "EUR").display() == "€29.00"
    assert Money(2900, "EUR").display("de_DE") == "29,00\xa0€"
    assert Money(4900, "JPY").display() == "JP¥4,900"
