"""A coach's weekly windows and blackouts, and the calendar of busy time built from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from coachctl.engine import formats, parse
from coachctl.engine.errors import Invalid, NotFound
from coachctl.engine.scheduling import overrides
from coachctl.engine.scheduling.availability import (
    Blocker,
    Busy,
    Calendar,
    Rules,
    Slot,
    WeeklyWindow,
    WindowReport,
    earliest_instant,
    local_days,
)
from coachctl.engine.scheduling.busy_calendars import load_busy
from coachctl.store.db import write_transaction
from coachctl.store.models import AvailabilityWindow, Blackout, Booking, BookingType, Coach, utcnow

HELD_STATUSES = ("CONFIRMED", "COMPLETED", "NO_SHOW")
MAX_BUFFER = timedelta(days=1)
MAX_DURATION = timedelta(days=1)  # booking_types caps durations at 24 hours


def zone_of(coach: Coach) -> ZoneInfo:
    """The coach's IANA zone."""
    return ZoneInfo(coach.timezone)


def rules_for(booking_type: BookingType) -> Rules:
    """A booking type's slot rules."""
    return Rules(
        duration=timedelta(minutes=booking_type.duration),
        interval=timedelta(minutes=booking_type.interval),
        buffer_before=timedelta(minutes=booking_type.buffer_before),
        buffer_after=timedelta(minutes=booking_type.buffer_after),
        notice=timedelta(minutes=booking_type.notice),
        horizon=timedelta(days=booking_type.horizon_days),
    )


def _window(row: AvailabilityWindow) -> WeeklyWindow:
    return WeeklyWindow(
        row.weekday, parse.minutes_of_day(row.start), parse.minutes_of_day(row.end, allow_24=True)
    )


def holds_time(now: datetime):
    """The peewee condition for bookings that occupy their time at ``now``."""
    return Booking.status.in_(HELD_STATUSES) | (
        (Booking.status == "PENDING")
        & (Booking.hold_expires_at.is_null() | (Booking.hold_expires_at > now))
    )


def load_calendar(
    coach: Coach,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_booking: int | None = None,
) -> Calendar:
    """The coach's windows and date overrides, and the blackouts, held bookings and busy time
    from the coach's own calendars that touch ``[start, end)``."""
    low, high = start - MAX_BUFFER * 2, end + MAX_BUFFER * 2
    tz = zone_of(coach)
    windows = [_window(w) for w in coach.windows.where(AvailabilityWindow.active == True)]  # noqa: E712
    by_date = overrides.windows_by_date(
        coach, low.astimezone(tz).date() - timedelta(days=1), high.astimezone(tz).date()
    )
    blackouts = [
        Blocker(b.start, b.end, f"blackout '{b.reason}'" if b.reason else "blackout")
        for b in Blackout.select(Blackout.start, Blackout.end, Blackout.reason).where(
            (Blackout.coach == coach) & (Blackout.start < high) & (Blackout.end > low)
        )
    ]
    query = Booking.select(
        Booking.start, Booking.end, Booking.buffer_before, Booking.buffer_after
    ).where(
        (Booking.coach == coach)
        & (Booking.start < high)
        & (Booking.start > low - MAX_DURATION)
        & (Booking.end > low)
        & holds_time(now)
    )
    if exclude_booking is not None:
        query = query.where(Booking.id != exclude_booking)
    busy = [
        Busy(b.start, b.end, timedelta(minutes=b.buffer_before), timedelta(minutes=b.buffer_after))
        for b in query
    ]
    busy.extend(load_busy(coach, low, high))
    return Calendar(tz, windows, blackouts, busy, by_date)


def find_slots(
    coach: Coach,
    booking_type: BookingType,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> list[Slot]:
    """Free slots of ``booking_type`` starting in ``[start, end)``."""
    now = now or utcnow()
    rules = rules_for(booking_type)
    return load_calendar(coach, start, end + rules.duration, now).slots(rules, now, start, end)


def find_slots_on_days(
    coach: Coach,
    booking_type: BookingType,
    first: date,
    days: int,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> list[Slot]:
    """Free slots on ``days`` whole local days from ``first``, the days read in ``tz``."""
    if not 1 <= days <= 366:
        raise Invalid("days must be between 1 and 366")
    span = local_days(first, days, tz)
    return find_slots(coach, booking_type, span.start, span.end, now)


def explain_day(
    coach: Coach, booking_type: BookingType, day: date, now: datetime | None = None
) -> list[WindowReport]:
    """Each window opening on the coach's local date ``day``, with its free starts and the reason
    each other start of its grid is not offered."""
    now = now or utcnow()
    rules = rules_for(booking_type)
    span = local_days(day, 2, zone_of(coach))  # an overnight window runs into the next day
    return load_calendar(coach, span.start, span.end + rules.duration, now).explain(rules, now, day)


def has_free_slot(
    coach: Coach, booking_types: list[BookingType], now: datetime | None = None
) -> bool:
    """True when some type in ``booking_types`` has a free slot within its horizon."""
    if not booking_types:
        return False
    now = now or utcnow()
    rules = [rules_for(kind) for kind in booking_types]
    reach = max(r.horizon + r.duration for r in rules)
    calendar = load_calendar(coach, now, now + reach, now)
    return any(calendar.first_slot(r, now) is not None for r in rules)


@dataclass(frozen=True)
class WindowAdded:
    """A window as stored after adding, and the windows it absorbed (overlapping or adjacent)."""

    window: AvailabilityWindow
    merged: list[str]


def add_window(
    coach: Coach, weekday: int | str, start: str, end: str, *, overnight: bool = False
) -> WindowAdded:
    """Add a weekly window, merged with the day's windows it overlaps or touches.

    An ``end`` before ``start`` is refused unless ``overnight`` says it runs past midnight
    (such a window is kept as typed, never merged).
    """
    day = parse.weekday(weekday)
    first = parse.minutes_of_day(start)
    last = parse.minutes_of_day(end, allow_24=True)
    label = f"{start.strip()}-{end.strip()}"
    if first == last:
        raise Invalid(f"window {label} is empty", hint="use 00:00-24:00 for a whole day")
    if last < first and not overnight:
        raise Invalid(
            f"window {label} ends before it starts",
            hint="add --overnight if it runs past midnight",
        )
    if last < first:
        created = AvailabilityWindow.create(
            coach=coach, weekday=day, start=start.strip(), end=end.strip()
        )
        return WindowAdded(created, [])
    with write_transaction(lock_key=coach.id):
        touching = [
            w
            for w in coach.windows.where(AvailabilityWindow.weekday == day)
            if _same_day(w) and _minutes(w.start) <= last and first <= _minutes(w.end)
        ]
        low = min([first, *(_minutes(w.start) for w in touching)])
        high = max([last, *(_minutes(w.end) for w in touching)])
        for window in touching:
            window.delete_instance()
        created = AvailabilityWindow.create(
            coach=coach, weekday=day, start=_clock(low), end=_clock(high)
        )
    return WindowAdded(created, [f"{w.start}-{w.end}" for w in touching])


def _minutes(text: str) -> int:
    return parse.minutes_of_day(text, allow_24=True)


def _same_day(window: AvailabilityWindow) -> bool:
    return _minutes(window.end) > _minutes(window.start)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def list_windows(coach: Coach) -> list[AvailabilityWindow]:
    """The coach's windows by weekday and start."""
    return list(
        coach.windows.order_by(
            AvailabilityWindow.weekday, AvailabilityWindow.start, AvailabilityWindow.id
        )
    )


def remove_window(coach: Coach, window_id: int) -> None:
    """Delete one of the coach's windows."""
    deleted = (
        AvailabilityWindow.delete()
        .where((AvailabilityWindow.id == window_id) & (AvailabilityWindow.coach == coach))
        .execute()
    )
    if not deleted:
        raise NotFound(f"no window {window_id} for {coach.slug}")


def add_blackout(coach: Coach, start: datetime, end: datetime, reason: str = "") -> Blackout:
    """Block ``[start, end)``; existing bookings inside it stay as they are."""
    if end <= start:
        raise Invalid("a blackout must end after it starts")
    return Blackout.create(coach=coach, start=start, end=end, reason=reason.strip()[:200])


def add_blackout_days(coach: Coach, first: date, last: date, reason: str = "") -> Blackout:
    """Block whole local days ``first``…``last`` (inclusive) in the coach's zone."""
    if last < first:
        raise Invalid("a blackout's last day must not come before its first")
    span = local_days(first, (last - first).days + 1, zone_of(coach))
    return add_blackout(coach, span.start, span.end, reason)


def list_blackouts(coach: Coach, since: datetime | None = None) -> list[Blackout]:
    """The coach's blackouts ending after ``since`` (all of them when None), by start."""
    query = coach.blackouts
    if since is not None:
        query = query.where(Blackout.end > since)
    return list(query.order_by(Blackout.start, Blackout.id))


def blackout_label(blackout: Blackout, zone: str) -> str:
    """A blackout as the coach reads it in ``zone``: whole days inclusive (``24–26 Dec 2026``),
    else its local start and end."""
    tz = ZoneInfo(zone)
    start, end = blackout.start.astimezone(tz), blackout.end.astimezone(tz)
    if start.time() == end.time() == datetime.min.time():
        return formats.day_range(start.date(), end.date() - timedelta(days=1))
    if start.date() == end.date():
        return f"{formats.moment(blackout.start, zone)}–{formats.clock(blackout.end, zone)}"
    return f"{formats.moment(blackout.start, zone)} – {formats.moment(blackout.end, zone)}"


def edit_window(
    coach: Coach, window_id: int, weekday: int | str, start: str, end: str
) -> WindowAdded:
    """Replace one of the coach's windows by ``weekday`` ``start``-``end`` in one transaction,
    with ``add_window``'s checks and merging; a refused change leaves the old window."""
    with write_transaction(lock_key=coach.id):
        remove_window(coach, window_id)
        return add_window(coach, weekday, start, end)


def remove_blackout(coach: Coach, blackout_id: int) -> None:
    """Delete one of the coach's blackouts."""
    deleted = (
        Blackout.delete().where((Blackout.id == blackout_id) & (Blackout.coach == coach)).execute()
    )
    if not deleted:
        raise NotFound(f"no blackout {blackout_id} for {coach.slug}")


def slots_to_dict(coach: Coach, zone_name: str, slots: list[Slot]) -> dict:
    """The JSON shape of a slot listing."""
    return {
        "coach": coach.slug,
        "timezone": zone_name,
        "slots": [
            {"start": parse.format_instant(s.start), "end": parse.format_instant(s.end)}
            for s in slots
        ],
    }


def window_to_dict(window: AvailabilityWindow) -> dict:
    """The JSON shape of a weekly window."""
    return {
        "id": window.id,
        "weekday": window.weekday,
        "start": window.start,
        "end": window.end,
        "active": window.active,
    }


def blackout_to_dict(blackout: Blackout) -> dict:
    """The JSON shape of a blackout."""
    return {
        "id": blackout.id,
        "start": parse.format_instant(blackout.start),
        "end": parse.format_instant(blackout.end),
        "reason": blackout.reason,
    }


def explanation_to_dict(coach: Coach, day: date, reports: list[WindowReport]) -> dict:
    """The JSON shape of a date's explanation; times are ``HH:MM`` in the coach's zone."""
    tz = zone_of(coach)

    def clock(instant: datetime) -> str:
        return f"{instant.astimezone(tz):%H:%M}"

    return {
        "coach": coach.slug,
        "date": day.isoformat(),
        "timezone": coach.timezone,
        "windows": [
            {
                "start": clock(report.start),
                "end": clock(report.end),
                "override": report.overridden,
                "free": [clock(start) for start in report.free],
                "removed": [
                    {"reason": reason, "starts": [clock(start) for start in starts]}
                    for reason, starts in report.by_reason().items()
                ],
            }
            for report in reports
        ],
    }


def local_or_instant(text: str, tz: ZoneInfo) -> datetime:
    """An instant with a zone, or a wall time (``YYYY-MM-DDTHH:MM``) read in ``tz``."""
    try:
        wall = datetime.fromisoformat(text.strip().replace(" ", "T").replace("z", "Z"))
    except (ValueError, AttributeError):
        raise Invalid(f"{text!r} is not YYYY-MM-DDTHH:MM or an ISO 8601 instant") from None
    if wall.tzinfo is not None:
        return wall.astimezone(UTC)
    return earliest_instant(wall, tz)
