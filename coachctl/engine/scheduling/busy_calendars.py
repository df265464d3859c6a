"""A coach's own calendars: connecting them, syncing their busy intervals, and reading them back.

Only busy time is kept — UTC start and end, an all-day flag and the calendar it came from — for
the booking horizon. Titles, descriptions and attendees are read to decide, never stored.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from coachctl.config import Settings, home_dir
from coachctl.engine import parse
from coachctl.engine.errors import Invalid, NotFound
from coachctl.engine.scheduling.availability import Busy, Interval, local_days
from coachctl.engine.scheduling.calendar_fetch import FetchError, fetch_caldav, fetch_feed
from coachctl.store.db import db, write_transaction
from coachctl.store.models import BusyCalendar, BusyInterval, Coach, utcnow

DEFAULT_HORIZON_DAYS = 60
PAST_MARGIN = timedelta(days=1)
STALE_AFTER_POLLS = 3


@dataclass(frozen=True)
class SyncResult:
    """What one sync did: ``changed`` is False for a 304 or a failure."""

    calendar_id: int
    changed: bool
    intervals: int
    error: str = ""


def _feed_url(url: str) -> str:
    url = url.strip()
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    if not url.lower().startswith(("https://", "http://")):
        raise Invalid(f"not a calendar address: {url!r}", hint="use webcal://, https:// or http://")
    return url


def _all_day_choice(all_day: str) -> bool:
    if all_day not in ("busy", "free"):
        raise Invalid("all-day events must be 'busy' or 'free'")
    return all_day == "busy"


def add_feed(coach: Coach, url: str, name: str = "", all_day: str = "busy") -> BusyCalendar:
    """Connect an ICS subscription (``webcal://`` is read as ``https://``)."""
    address = _feed_url(url)
    return BusyCalendar.create(
        coach=coach,
        name=(name.strip() or address.split("//", 1)[1].split("/", 1)[0])[:120],
        kind="ICS",
        url=address,
        all_day_busy=_all_day_choice(all_day),
    )


def secrets_dir() -> Path:
    """The owner-only folder holding CalDAV passwords."""
    return home_dir() / "secrets"


def _password_path(calendar: BusyCalendar) -> Path:
    return secrets_dir() / f"caldav-{calendar.id}"


def add_caldav(
    coach: Coach, url: str, username: str, password: str, name: str = "", all_day: str = "busy"
) -> BusyCalendar:
    """Connect a CalDAV calendar; the password goes to a file only the owner can read."""
    address = url.strip()
    if not address.lower().startswith(("https://", "http://")):
        raise Invalid(f"not a CalDAV address: {url!r}", hint="use https://")
    if not username.strip() or not password:
        raise Invalid("a CalDAV calendar needs a user name and a password")
    with write_transaction(lock_key=coach.id):
        calendar = BusyCalendar.create(
            coach=coach,
            name=(name.strip() or username.strip())[:120],
            kind="CALDAV",
            url=address,
            username=username.strip(),
            all_day_busy=_all_day_choice(all_day),
        )
        folder = secrets_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.chmod(0o700)
        path = _password_path(calendar)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password)
        path.chmod(0o600)
    return calendar


def list_calendars(coach: Coach) -> list[BusyCalendar]:
    """The coach's calendars, oldest first."""
    return list(coach.busy_calendars.order_by(BusyCalendar.id))


def get_calendar(coach: Coach, calendar_id: int) -> BusyCalendar:
    """One of the coach's calendars, or NotFound."""
    found = BusyCalendar.get_or_none(
        (BusyCalendar.id == calendar_id) & (BusyCalendar.coach == coach)
    )
    if found is None:
        raise NotFound(f"no calendar {calendar_id} for {coach.slug}")
    return found


def remove_calendar(coach: Coach, calendar_id: int) -> None:
    """Disconnect a calendar: its busy intervals and any stored password go with it."""
    calendar = get_calendar(coach, calendar_id)
    with write_transaction(lock_key=coach.id):
        BusyInterval.delete().where(BusyInterval.calendar == calendar).execute()
        calendar.delete_instance()
    _password_path(calendar).unlink(missing_ok=True)


def sync_window(coach: Coach, now: datetime) -> Interval:
    """The span kept from a coach's calendars: a day back to the longest booking horizon."""
    horizons = [t.horizon_days for t in coach.booking_types if t.active]
    days = max(horizons, default=DEFAULT_HORIZON_DAYS) + 2
    return Interval(now - PAST_MARGIN, now + timedelta(days=days))


def own_addresses(coach: Coach, calendar: BusyCalendar) -> set[str]:
    """Addresses that are the coach's own, for spotting declined invitations (may be empty)."""
    found = {coach.email.strip().lower()} if coach.email.strip() else set()
    if "@" in calendar.username:
        found.add(calendar.username.strip().lower())
    return found


def sync_calendar(calendar: BusyCalendar, now: datetime | None = None) -> SyncResult:
    """Fetch one calendar and replace its busy intervals; a failure keeps the last good copy."""
    now = now or utcnow()
    coach = calendar.coach
    span = sync_window(coach, now)
    try:
        if calendar.kind == "CALDAV":
            password = _password_path(calendar).read_text()
            texts = fetch_caldav(calendar.url, calendar.username, password, span.start, span.end)
            etag, modified = "", ""
        else:
            fetched = fetch_feed(calendar.url, calendar.etag, calendar.last_modified)
            if fetched.body is None:
                _record(calendar, now, error="", fresh=True)
                return SyncResult(calendar.id, False, _count(calendar))
            texts, etag, modified = [fetched.body], fetched.etag, fetched.last_modified
        spans = []
        for text in texts:
            spans.extend(
                busy_spans(
                    text,
                    span,
                    ZoneInfo(coach.timezone),
                    all_day_busy=calendar.all_day_busy,
                    own=own_addresses(coach, calendar),
                )
            )
    except (FetchError, InvalidFeed, OSError) as error:
        message = str(error)[:500] or type(error).__name__
        _record(calendar, now, error=message, fresh=False)
        return SyncResult(calendar.id, False, _count(calendar), message)
    with write_transaction(lock_key=coach.id):
        BusyInterval.delete().where(BusyInterval.calendar == calendar).execute()
        rows = [
            {"calendar": calendar.id, "coach": coach.id, "start": s, "end": e, "all_day": a}
            for s, e, a in spans
        ]
        for first in range(0, len(rows), 500):
            BusyInterval.insert_many(rows[first : first + 500]).execute()
        calendar.etag, calendar.last_modified = etag[:255], modified[:64]
        _record(calendar, now, error="", fresh=True)
    return SyncResult(calendar.id, True, len(rows))


def _record(calendar: BusyCalendar, now: datetime, error: str, fresh: bool) -> None:
    calendar.synced_at = now
    calendar.last_error = error
    if fresh:
        calendar.fetched_at = now
    calendar.save()


def _count(calendar: BusyCalendar) -> int:
    return BusyInterval.select().where(BusyInterval.calendar == calendar).count()


def sync_coach(coach: Coach, calendar_id: int | None = None) -> list[SyncResult]:
    """Sync every calendar of ``coach`` (or just ``calendar_id``) now."""
    if calendar_id is not None:
        return [sync_calendar(get_calendar(coach, calendar_id))]
    return [sync_calendar(c) for c in list_calendars(coach)]


def sync_due(settings: Settings, now: datetime | None = None) -> list[SyncResult]:
    """Sync every calendar not tried within the poll interval; never raises for one source."""
    now = now or utcnow()
    due_before = now - timedelta(minutes=settings.calendar_poll_minutes)
    due = BusyCalendar.select().where(
        BusyCalendar.synced_at.is_null() | (BusyCalendar.synced_at <= due_before)
    )
    return [sync_calendar(c, now) for c in list(due)]


def is_stale(calendar: BusyCalendar, settings: Settings, now: datetime | None = None) -> bool:
    """True when the last sync failed or no good copy arrived for three poll intervals."""
    now = now or utcnow()
    limit = timedelta(minutes=settings.calendar_poll_minutes * STALE_AFTER_POLLS)
    return (
        bool(calendar.last_error)
        or calendar.fetched_at is None
        or (now - calendar.fetched_at > limit)
    )


def load_busy(coach: Coach, low: datetime, high: datetime) -> list[Busy]:
    """The busy time from the coach's calendars touching ``[low, high)``, by start: overlapping
    intervals of one calendar come merged, each labelled with its calendar's name."""
    names = {
        c.id: c.name
        for c in BusyCalendar.select(BusyCalendar.id, BusyCalendar.name).where(
            BusyCalendar.coach == coach
        )
    }
    if not names:
        return []
    query = (
        BusyInterval.select(BusyInterval.calendar, BusyInterval.start, BusyInterval.end)
        .where(
            (BusyInterval.coach == coach) & (BusyInterval.start < high) & (BusyInterval.end > low)
        )
        .order_by(BusyInterval.start)
    )
    # Raw values skip the field converters: stored instants sort as they compare (naive UTC
    # text on SQLite, naive timestamps on PostgreSQL), so merging comes before converting.
    merged: list[list] = []
    latest: dict[int, list] = {}
    for calendar_id, start, end in db.execute(query).fetchall():
        current = latest.get(calendar_id)
        if current is not None and start <= current[2]:
            current[2] = max(current[2], end)
        else:
            current = [calendar_id, start, end]
            merged.append(current)
            latest[calendar_id] = current
    return [
        Busy(_stored(start), _stored(end), label=f"busy in '{names.get(calendar_id, '?')}'")
        for calendar_id, start, end in merged
    ]


def _stored(value: str | datetime) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def calendar_to_dict(
    calendar: BusyCalendar, settings: Settings, now: datetime | None = None
) -> dict:
    """The JSON shape of a connected calendar (never its password)."""
    return {
        "id": calendar.id,
        "name": calendar.name,
        "kind": calendar.kind,
        "url": calendar.url,
        "user": calendar.username,
        "all_day": "busy" if calendar.all_day_busy else "free",
        "last_sync": parse.format_instant(calendar.synced_at) if calendar.synced_at else None,
        "last_good": parse.format_instant(calendar.fetched_at) if calendar.fetched_at else None,
        "busy_intervals": _count(calendar),
        "last_error": calendar.last_error,
        "stale": is_stale(calendar, settings, now),
    }


class InvalidFeed(Exception):
    """The body is not a readable iCalendar file."""


def busy_spans(
    text: bytes,
    span: Interval,
    tz: ZoneInfo,
    all_day_busy: bool = True,
    own: Iterable[str] = (),
) -> list[tuple[datetime, datetime, bool]]:
    """The busy ``(start, end, all_day)`` UTC spans of an iCalendar text that touch ``span``."""
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    own = {a.lower() for a in own}
    try:
        parsed = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(text))
        parsed.subcomponents = [  # an event without a start has no time to block
            c for c in parsed.subcomponents if c.name != "VEVENT" or "DTSTART" in c
        ]
        # Local wall-clock bounds a day wider, so floating and all-day events are caught too.
        low = span.start.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
        high = span.end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
        events = recurring_ical_events.of(parsed, skip_bad_series=True).between(low, high)
        found = []
        for event in events:
            if not _is_busy(event, own):
                continue
            start, end = event.get("DTSTART").dt, _end_of(event)
            all_day = not isinstance(start, datetime)
            if all_day and not all_day_busy:
                continue
            first, last = _instant(start, tz), _instant(end, tz)
            if last > first and first < span.end and last > span.start:
                found.append((first, last, all_day))
    except Exception as error:  # icalendar and the expander raise many unrelated types
        raise InvalidFeed(
            f"cannot read the calendar: {type(error).__name__}: {error}"[:300]
        ) from None
    return found


def _is_busy(event, own: set[str]) -> bool:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    if own:
        attendees = event.get("ATTENDEE", [])
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            address = str(attendee).lower().removeprefix("mailto:")
            status = str(attendee.params.get("PARTSTAT", "")).upper()
            if address in own and status == "DECLINED":
                return False
    return True


def _end_of(event):
    if event.get("DTEND") is not None:
        return event.get("DTEND").dt
    start = event.get("DTSTART").dt
    if event.get("DURATION") is not None:
        return start + event.get("DURATION").dt
    return start + timedelta(days=1) if not isinstance(start, datetime) else start


def _instant(value: date | datetime, tz: ZoneInfo) -> datetime:
    """An event edge in UTC: a date is local midnight, a floating time is read in ``tz``."""
    if not isinstance(value, datetime):
        return local_days(value, 1, tz).start
    if value.tzinfo is None:
        return value.replace(tzinfo=tz).astimezone(UTC)
    return value.astimezone(UTC)
