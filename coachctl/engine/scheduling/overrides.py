"""Date overrides: a coach's hours for one local date, in place of that weekday's windows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from coachctl.engine import parse
from coachctl.engine.errors import Invalid, NotFound
from coachctl.engine.scheduling.availability import WeeklyWindow
from coachctl.store.db import write_transaction
from coachctl.store.models import AvailabilityOverride, Coach, utcnow

MAX_WINDOWS = 12


@dataclass(frozen=True)
class Override:
    """The hours a coach keeps on one local date: ``(start, end)`` pairs of ``HH:MM``."""

    day: date
    hours: tuple[tuple[str, str], ...]


def _checked(hours: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    if not hours:
        raise Invalid(
            "give at least one HH:MM-HH:MM window", hint="block a whole day with a blackout"
        )
    if len(hours) > MAX_WINDOWS:
        raise Invalid(f"at most {MAX_WINDOWS} windows on one date")
    checked = []
    for start, end in hours:
        if not isinstance(start, str) or not isinstance(end, str):
            raise Invalid("each window needs a start and an end, HH:MM")
        first = parse.minutes_of_day(start)
        if first == parse.minutes_of_day(end, allow_24=True):
            raise Invalid(f"window {start}-{end} is empty", hint="use 00:00-24:00 for a whole day")
        checked.append((start.strip(), end.strip()))
    return sorted(checked)


def set_override(
    coach: Coach, day: date, hours: Sequence[tuple[str, str]], today: date | None = None
) -> Override:
    """Replace local date ``day``'s windows with ``hours``; ``day`` may not be before ``today``
    (the coach's local date when None). An end at or before its start runs past midnight."""
    today = today or _today(coach)
    if day < today:
        raise Invalid(f"{day} has already passed")
    checked = _checked(hours)
    with write_transaction(lock_key=coach.id):
        AvailabilityOverride.delete().where(
            (AvailabilityOverride.coach == coach) & (AvailabilityOverride.day == day)
        ).execute()
        for start, end in checked:
            AvailabilityOverride.create(coach=coach, day=day, start=start, end=end)
    return Override(day, tuple(checked))


def clear_override(coach: Coach, day: date) -> None:
    """Return local date ``day`` to the weekly pattern; NotFound when it has no override."""
    with write_transaction(lock_key=coach.id):
        deleted = (
            AvailabilityOverride.delete()
            .where((AvailabilityOverride.coach == coach) & (AvailabilityOverride.day == day))
            .execute()
        )
    if not deleted:
        raise NotFound(f"no override on {day} for {coach.slug}")


def list_overrides(
    coach: Coach, first: date | None = None, last: date | None = None
) -> list[Override]:
    """The coach's overrides on dates ``first``…``last`` (either end open when None), by date."""
    query = AvailabilityOverride.select().where(AvailabilityOverride.coach == coach)
    if first is not None:
        query = query.where(AvailabilityOverride.day >= first)
    if last is not None:
        query = query.where(AvailabilityOverride.day <= last)
    days: dict[date, list[tuple[str, str]]] = {}
    for row in query.order_by(AvailabilityOverride.day, AvailabilityOverride.start):
        days.setdefault(row.day, []).append((row.start, row.end))
    return [Override(day, tuple(hours)) for day, hours in days.items()]


def coming_overrides(coach: Coach, today: date | None = None) -> list[Override]:
    """The coach's overrides from ``today`` on (the coach's local date when None)."""
    return list_overrides(coach, today or _today(coach))


def windows_by_date(coach: Coach, first: date, last: date) -> dict[date, list[WeeklyWindow]]:
    """The override windows of dates ``first``…``last``, as the slot engine takes them."""
    return {
        found.day: [
            WeeklyWindow(
                found.day.weekday(),
                parse.minutes_of_day(start),
                parse.minutes_of_day(end, allow_24=True),
            )
            for start, end in found.hours
        ]
        for found in list_overrides(coach, first, last)
    }


def override_to_dict(found: Override) -> dict:
    """The JSON shape of a date override."""
    return {
        "date": found.day.isoformat(),
        "windows": [{"start": start, "end": end} for start, end in found.hours],
    }


def _today(coach: Coach) -> date:
    return utcnow().astimezone(ZoneInfo(coach.timezone)).date()
