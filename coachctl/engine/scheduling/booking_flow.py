"""What the booking picker shows: a month of days with free slots, and one day's slots, all in
the visitor's zone."""

from __future__ import annotations

import calendar as month_grid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from coachctl.engine.scheduling.availability import Slot, by_local_day
from coachctl.engine.scheduling.schedule import find_slots_on_days, rules_for
from coachctl.store.models import BookingType, Coach, utcnow


@dataclass(frozen=True)
class MonthView:
    """A month grid (weeks of dates, None outside the month) and the chosen day's slots."""

    month: date
    weeks: list[list[date | None]]
    free_days: frozenset[date]
    day: date | None
    slots: list[Slot]
    previous_month: date | None
    next_month: date | None


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_view(
    coach: Coach,
    kind: BookingType,
    tz: ZoneInfo,
    month: date | None = None,
    day: date | None = None,
    now: datetime | None = None,
) -> MonthView:
    """The month holding ``day`` (or ``month``, or today), its free days, and a day's slots: the
    asked-for day, else the month's first free day."""
    now = now or utcnow()
    today = now.astimezone(tz).date()
    last = (now + rules_for(kind).horizon).astimezone(tz).date()
    first = (month or day or today).replace(day=1)
    first = min(max(first, today.replace(day=1)), last.replace(day=1))
    length = month_grid.monthrange(first.year, first.month)[1]
    grouped = by_local_day(find_slots_on_days(coach, kind, first, length, tz, now), tz)
    if day is None or day.replace(day=1) != first:
        day = next(iter(grouped), None)
    weeks = [
        [d if d.month == first.month else None for d in week]
        for week in month_grid.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    return MonthView(
        month=first,
        weeks=weeks,
        free_days=frozenset(grouped),
        day=day,
        slots=grouped.get(day, []) if day else [],
        previous_month=_shift(first, -1) if first > today.replace(day=1) else None,
        next_month=_shift(first, 1) if _shift(first, 1) <= last else None,
    )


def next_free_month(
    coach: Coach, kind: BookingType, tz: ZoneInfo, after: date, now: datetime | None = None
) -> date | None:
    """The first month after ``after``'s month with a free day, within the horizon."""
    now = now or utcnow()
    last = (now + rules_for(kind).horizon).astimezone(tz).date()
    month = _shift(after.replace(day=1), 1)
    while month <= last:
        length = month_grid.monthrange(month.year, month.month)[1]
        if find_slots_on_days(coach, kind, month, length, tz, now):
            return month
        month = _shift(month, 1)
    return None
