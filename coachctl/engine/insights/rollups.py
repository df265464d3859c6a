"""Daily rollups: each closed local day of a coach's events counted once, so a report over a
year reads a few thousand rows instead of a million events.

A day is rolled up once it ended ``SETTLE`` ago (buffered events have long been written by
then) and is marked in ``AnalyticsDay``; raw events are kept for the retention period and only
ever pruned from marked days, so pruning never loses a count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peewee import Value, fn

from coachctl.config import Settings
from coachctl.store.db import db
from coachctl.store.models import AnalyticsDaily, AnalyticsDay, AnalyticsEvent, Coach, utcnow

SETTLE = timedelta(hours=1)
DIMS = {
    "all": None,
    "page": AnalyticsEvent.path,
    "source": AnalyticsEvent.source,
    "product": AnalyticsEvent.product,
}


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where the coach's local ``day`` starts and ends."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def last_closed_day(coach: Coach, now: datetime) -> date:
    """The latest local day of ``coach`` that ended at least ``SETTLE`` before ``now``."""
    return (now - SETTLE).astimezone(ZoneInfo(coach.timezone)).date() - timedelta(days=1)


def count_day(coach: Coach, day: date) -> list[dict[str, Any]]:
    """The rollup rows of one local day, counted from the raw events (one query a dimension)."""
    start, end = day_bounds(day, ZoneInfo(coach.timezone))
    rows: list[dict[str, Any]] = []
    currency = fn.COALESCE(AnalyticsEvent.currency, "")
    for dim, column in DIMS.items():
        key = column if column is not None else Value("")
        groups = (
            (AnalyticsEvent.type, currency)
            if column is None
            else (key, AnalyticsEvent.type, currency)
        )
        query = (
            AnalyticsEvent.select(
                key.alias("key"),
                AnalyticsEvent.type,
                currency.alias("currency"),
                fn.COUNT(AnalyticsEvent.id).alias("events"),
                fn.COUNT(fn.DISTINCT(fn.NULLIF(AnalyticsEvent.visitor, ""))).alias("visitors"),
                fn.COALESCE(fn.SUM(AnalyticsEvent.amount_minor), 0).alias("amount"),
            )
            .where(
                (AnalyticsEvent.coach == coach)
                & (AnalyticsEvent.occurred_at >= start)
                & (AnalyticsEvent.occurred_at < end)
            )
            .group_by(*groups)
        )
        if column is AnalyticsEvent.product:
            query = query.where(AnalyticsEvent.product.is_null(False))
        rows.extend(
            {
                "coach": coach.id,
                "day": day,
                "dim": dim,
                "key": str(found_key if found_key is not None else "")[:500],
                "type": kind,
                "currency": found_currency,
                "events": events,
                "visitors": visitors,
                "amount_minor": int(amount),
            }
            for found_key, kind, found_currency, events, visitors, amount in query.tuples()
        )
    return rows


def roll_up(coach: Coach, day: date, now: datetime | None = None) -> None:
    """Replace the rollup rows of ``day`` with a fresh count and mark it, in one transaction."""
    rows = count_day(coach, day)
    with db.atomic():
        AnalyticsDaily.delete().where(
            (AnalyticsDaily.coach == coach) & (AnalyticsDaily.day == day)
        ).execute()
        for start in range(0, len(rows), 500):
            AnalyticsDaily.insert_many(rows[start : start + 500]).execute()
        AnalyticsDay.insert(
            coach=coach, day=day, rolled_at=now or utcnow()
        ).on_conflict_ignore().execute()


def first_event_day(coach: Coach) -> date | None:
    """The local day of the coach's oldest raw event, if any."""
    first = (
        AnalyticsEvent.select(fn.MIN(AnalyticsEvent.occurred_at))
        .where(AnalyticsEvent.coach == coach)
        .scalar()
    )
    if first is None:
        return None
    if isinstance(first, str):
        first = datetime.fromisoformat(first)
    first = first.replace(tzinfo=UTC) if first.tzinfo is None else first
    return first.astimezone(ZoneInfo(coach.timezone)).date()


def rolled_days(coach: Coach, start: date, end: date) -> set[date]:
    """The days of ``[start, end]`` whose rollups are complete."""
    return {
        row.day if isinstance(row.day, date) else date.fromisoformat(row.day)
        for row in AnalyticsDay.select(AnalyticsDay.day).where(
            (AnalyticsDay.coach == coach) & (AnalyticsDay.day.between(start, end))
        )
    }


def ensure(coach: Coach, start: date, end: date, now: datetime) -> set[date]:
    """Roll up the closed days of ``[start, end]`` that still lack rollups; return the days of
    the range that have them (the others are counted from raw events)."""
    done = rolled_days(coach, start, end)
    first = first_event_day(coach)
    last = min(end, last_closed_day(coach, now))
    if first is None:
        return done
    day = max(start, first)
    while day <= last:
        if day not in done:
            roll_up(coach, day, now)
            done.add(day)
        day += timedelta(days=1)
    return done


def rebuild(coach: Coach, now: datetime | None = None) -> int:
    """Count again every closed day that still has raw events; return how many days. Rollups of
    days whose events were pruned are kept: they cannot be counted again."""
    now = now or utcnow()
    first = first_event_day(coach)
    if first is None:
        return 0
    last = last_closed_day(coach, now)
    days = 0
    day = first
    while day <= last:
        roll_up(coach, day, now)
        days += 1
        day += timedelta(days=1)
    return days


def prune(settings: Settings, now: datetime | None = None) -> int:
    """Delete raw events older than the retention period, after rolling up their days; return
    how many were deleted."""
    now = now or utcnow()
    cutoff = now - timedelta(days=settings.analytics_retention_days)
    deleted = 0
    for coach in Coach.select():
        zone = ZoneInfo(coach.timezone)
        last = min(cutoff.astimezone(zone).date() - timedelta(days=1), last_closed_day(coach, now))
        first = first_event_day(coach)
        if first is None or first > last:
            continue
        ensure(coach, first, last, now)
        end = day_bounds(last, zone)[1]
        deleted += (
            AnalyticsEvent.delete()
            .where((AnalyticsEvent.coach == coach) & (AnalyticsEvent.occurred_at < end))
            .execute()
        )
    return deleted
