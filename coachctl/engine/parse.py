"""Strict parsers for what people type: weekdays, times, dates, instants and zones."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, date, datetime
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from coachctl.engine.errors import Invalid

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates outside this span are typos, and break arithmetic
MAX_ZONE_NAME = 64


def weekday(text: str | int) -> int:
    """``mon``…``sun`` (or a full name, or 0–6 with Monday = 0) as 0–6."""
    if isinstance(text, int) or (isinstance(text, str) and text.isdigit()):
        number = int(text)
        if 0 <= number <= 6:
            return number
        raise Invalid(f"weekday {text} is not between 0 (Monday) and 6 (Sunday)")
    key = text.strip().lower()
    for number, name in enumerate(_WEEKDAY_NAMES):
        if key in (name, name[:3]):
            return number
    raise Invalid(f"unknown weekday {text!r}", hint="use mon, tue, wed, thu, fri, sat or sun")


def minutes_of_day(text: str, *, allow_24: bool = False) -> int:
    """``HH:MM`` as minutes after midnight; ``24:00`` only where ``allow_24`` (a window's end)."""
    match = _HHMM.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise Invalid(f"time {text!r} is not HH:MM")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and (minutes or not allow_24):
        raise Invalid(f"time {text!r} is not a time of day")
    return hours * 60 + minutes


def time_range(text: str) -> tuple[str, str]:
    """``09:00-12:00`` as its two ends, each checked."""
    start, sep, end = text.partition("-")
    if not sep:
        raise Invalid(f"time range {text!r} is not HH:MM-HH:MM")
    minutes_of_day(start)
    minutes_of_day(end, allow_24=True)
    return start.strip(), end.strip()


def _in_span(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(f"{text!r} is not between the years {FIRST_YEAR} and {LAST_YEAR}")


def day(text: str) -> date:
    """``YYYY-MM-DD`` as a date between the years 1900 and 2999."""
    value = text.strip() if isinstance(text, str) else ""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            _in_span(parsed.year, value)
            return parsed
    raise Invalid(f"date {text!r} is not a real YYYY-MM-DD date")


def instant(text: str) -> datetime:
    """An ISO 8601 instant with a zone (``Z`` or an offset), years 1900–2999, in UTC."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except (ValueError, AttributeError):
        raise Invalid(f"instant {text!r} is not ISO 8601 (e.g. 2027-03-15T13:00:00Z)") from None
    if parsed.tzinfo is None:
        raise Invalid(f"instant {text!r} has no zone; add Z for UTC or an offset")
    _in_span(parsed.year, text)
    return parsed.astimezone(UTC)


def zone(name: str) -> ZoneInfo:
    """An IANA zone name as a ZoneInfo."""
    if (
        not isinstance(name, str)
        or not name
        or len(name) > MAX_ZONE_NAME
        or name.startswith(("/", "."))
        or ".." in name
    ):
        raise Invalid(f"unknown timezone {str(name)[:MAX_ZONE_NAME]!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        close = nearest_zone(name)
        hint = f"did you mean {close}?" if close else "use an IANA name such as Europe/Berlin"
        raise Invalid(f"unknown timezone {name!r}", hint=hint) from None


@lru_cache(maxsize=1)
def _zones_by_key() -> dict[str, str]:
    found: dict[str, str] = {}
    for known in sorted(available_timezones()):
        found.setdefault(known.lower(), known)
        found.setdefault(known.rsplit("/", 1)[-1].lower().replace("_", " "), known)
    return found


def nearest_zone(name: str) -> str | None:
    """The IANA zone a mistyped ``name`` most likely meant (``europe/londn``, ``New York``)."""
    keys = _zones_by_key()
    typed = name.strip().lower()
    for candidate in (typed, typed.replace(" ", "_"), typed.replace("_", " ")):
        if candidate in keys:
            return keys[candidate]
    close = difflib.get_close_matches(typed, list(keys), n=1, cutoff=0.75)
    return keys[close[0]] if close else None


def email(text: str) -> str:
    """A deliverable-looking address (syntax only, no DNS), its domain in ASCII, lower-cased.

    Addresses whose local part needs SMTPUTF8 are refused: not every mail server takes them.
    """
    from email_validator import EmailNotValidError, validate_email

    value = text.strip() if isinstance(text, str) else ""
    try:
        checked = validate_email(
            value,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_domain_literal=False,
            test_environment=True,  # also lets *.test through, for demos and staging
        )
    except EmailNotValidError as error:
        raise Invalid(f"email {value[:80]!r} is not a valid address: {error}") from None
    local, _, domain = checked.ascii_email.rpartition("@")
    return f"{local}@{domain.lower()}"


def format_instant(value: datetime) -> str:
    """An aware instant as ISO 8601 UTC with a ``Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def web_url(url: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """A URL with one of ``schemes`` and a host (mailto needs only an address)."""
    value = (url or "").strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in schemes or (parts.scheme != "mailto" and not parts.netloc):
        raise Invalid(f"link {url!r} must start with {' or '.join(s + ':' for s in schemes)}")
    return value


_SPAN = re.compile(r"^(\d{1,6})\s*(m|min|h|d)?$")
_UNIT_MINUTES = {None: 1, "m": 1, "min": 1, "h": 60, "d": 24 * 60}


def minutes_list(text: str) -> list[int]:
    """Comma-separated spans as minutes: ``"24h, 1h"``, ``"1d,30m"`` or plain ``"1440,60"``."""
    found = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        match = _SPAN.match(part.strip().lower())
        if not match:
            raise Invalid(f"{part.strip()!r} is not a span; use minutes or 30m, 2h, 1d")
        found.append(int(match[1]) * _UNIT_MINUTES[match[2]])
    return found
