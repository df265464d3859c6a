"""One format per kind of value, by locale (Babel): days, clock times and spans.

Money formats itself: ``Money.display(locale)``."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.units import format_unit

DEFAULT_LOCALE = "en_GB"


def locale_name(tag: str | None) -> str:
    """A Babel locale name for a BCP 47 tag such as ``en-US``; the default for anything unknown."""
    if not tag:
        return DEFAULT_LOCALE
    try:
        return str(Locale.parse(tag.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return DEFAULT_LOCALE


def uses_12_hour_clock(locale: str) -> bool:
    """Whether readers in ``locale`` expect ``2:00 PM`` rather than ``14:00``."""
    return "a" in Locale.parse(locale).time_formats["short"].pattern


def day(
    value: date, locale: str = DEFAULT_LOCALE, *, weekday: bool = True, year: bool = True
) -> str:
    """A day without a zero-padded number: ``Tue 1 Dec 2026``."""
    pattern = ("EEE " if weekday else "") + "d MMM" + (" y" if year else "")
    return format_date(value, pattern, locale=locale)


def long_day(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A day in full, in the locale's order: ``Monday 7 December 2026`` (en_GB)."""
    return format_date(value, "full", locale=locale)


def month(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A month and its year: ``December 2026``."""
    return format_skeleton("yMMMM", value, locale=locale)


def accept_language(header: str | None) -> str:
    """The Babel locale of an ``Accept-Language`` header's first language; the default if none."""
    first = (header or "").split(",", 1)[0].split(";", 1)[0].strip()
    return locale_name(first) if first and first != "*" else DEFAULT_LOCALE


def clock(
    value: datetime, zone: str, locale: str = DEFAULT_LOCALE, hour12: bool | None = None
) -> str:
    """The wall-clock time of ``value`` in ``zone``: ``14:00`` or ``2:00 PM``."""
    local = value.astimezone(ZoneInfo(zone))
    if hour12 is None:
        hour12 = uses_12_hour_clock(locale)
    return format_time(local, "h:mm a" if hour12 else "HH:mm", locale=locale)


def moment(value: datetime, zone: str, locale: str = DEFAULT_LOCALE) -> str:
    """An instant as a day and a time in ``zone``, for tables titled with the zone's name:
    ``Tue 1 Dec 2026, 14:00``."""
    local_day = value.astimezone(ZoneInfo(zone)).date()
    return f"{day(local_day, locale)}, {clock(value, zone, locale)}"


def span(
    start: datetime,
    end: datetime | None,
    zone: str,
    locale: str = DEFAULT_LOCALE,
    hour12: bool | None = None,
) -> str:
    """A meeting as a reader in ``zone`` sees it: ``Tue 1 Dec 2026, 14:00–15:00 (Europe/Paris)``."""
    until = f"–{clock(end, zone, locale, hour12)}" if end is not None else ""
    local_day = start.astimezone(ZoneInfo(zone)).date()
    when = f"{day(local_day, locale)}, {clock(start, zone, locale, hour12)}{until}"
    return f"{when} ({zone.replace('_', ' ')})"


def day_range(first: date, last: date, locale: str = DEFAULT_LOCALE) -> str:
    """Inclusive days as one label: ``24–26 Dec 2026``, ``30 Dec 2026 – 2 Jan 2027``."""
    if first == last:
        return day(first, locale, weekday=False)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day(last, locale, weekday=False)}"
    if first.year == last.year:
        return (
            f"{day(first, locale, weekday=False, year=False)} – {day(last, locale, weekday=False)}"
        )
    return f"{day(first, locale, weekday=False)} – {day(last, locale, weekday=False)}"


def minutes(count: int) -> str:
    """Minutes as a person says them: ``45 min``, ``2 h``, ``1 h 30 min``, ``3 d``."""
    days, rest = divmod(count, 24 * 60)
    if days and not rest:
        return f"{days} d"
    hours, mins = divmod(count, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h" + (f" {mins} min" if mins else "")


def duration_words(count: int, locale: str = DEFAULT_LOCALE) -> str:
    """Minutes in words, in the largest exact unit: ``3 days``, ``24 hours``, ``90 minutes``."""
    if count >= 2 * 24 * 60 and count % (24 * 60) == 0:
        return format_unit(count // (24 * 60), "duration-day", length="long", locale=locale)
    if count and count % 60 == 0:
        return format_unit(count // 60, "duration-hour", length="long", locale=locale)
    return format_unit(count, "duration-minute", length="long", locale=locale)
