"""What a coach wants at a glance: upcoming sessions, free time this week, money, mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import fn

from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling.availability import by_local_day
from coachctl.engine.scheduling.booking_types import list_booking_types
from coachctl.engine.scheduling.bookings import list_bookings
from coachctl.engine.scheduling.schedule import find_slots, zone_of
from coachctl.store.models import Booking, Coach, Order, Outbox, utcnow


@dataclass(frozen=True)
class SessionRow:
    id: int
    when: str
    type: str
    client: str
    status: str


@dataclass(frozen=True)
class OrderRow:
    id: int
    when: str
    customer: str
    item: str
    amount: str
    status: str


@dataclass(frozen=True)
class Dashboard:
    """A coach's week, in the coach's zone."""

    coach: str
    timezone: str
    sessions: list[SessionRow]
    free_days: list[tuple[str, str]]
    orders: list[OrderRow]
    revenue_30d: list[str]  # net of refunds
    outcomes_30d: dict[str, int]  # sessions of the last 30 days: completed, no-show, cancelled
    outbox: dict[str, int]


def dashboard(coach: Coach, now: datetime | None = None) -> Dashboard:
    """The next 30 days of sessions, the next 7 days of free slots, the last orders and mail."""
    now = now or utcnow()
    tz = zone_of(coach)
    sessions = [
        SessionRow(
            b.id,
            f"{b.start.astimezone(tz):%a %d %b %H:%M}",
            b.booking_type.name,
            f"{b.customer_name} <{b.customer_email}>",
            b.status,
        )
        for b in list_bookings(coach, start=now, end=now + timedelta(days=30))
        if b.status in ("CONFIRMED", "PENDING")
    ]
    free_days = []
    types = list_booking_types(coach)
    if types:
        slots = find_slots(coach, types[0], now, now + timedelta(days=7), now)
        free_days = [
            (f"{day:%a %d %b}", " ".join(f"{s.start.astimezone(tz):%H:%M}" for s in day_slots))
            for day, day_slots in by_local_day(slots, tz).items()
        ]
    orders = [
        OrderRow(
            o.id,
            f"{o.created_at.astimezone(tz):%d %b %H:%M}",
            o.customer_email,
            o.description,
            Money(o.amount_minor, o.currency).display(),
            o.status,
        )
        for o in Order.select().where(Order.coach == coach).order_by(Order.id.desc()).limit(20)
    ]
    revenue = (
        Order.select(Order.currency, fn.SUM(Order.amount_minor - Order.refunded_minor))
        .where(
            (Order.coach == coach)
            & (Order.status == "PAID")
            & (Order.paid_at > now - timedelta(days=30))
        )
        .group_by(Order.currency)
        .tuples()
    )
    outcomes = dict(
        Booking.select(Booking.status, fn.COUNT(Booking.id))
        .where(
            (Booking.coach == coach)
            & Booking.status.in_(("COMPLETED", "NO_SHOW", "CANCELLED"))
            & (Booking.start > now - timedelta(days=30))
            & (Booking.start <= now)
        )
        .group_by(Booking.status)
        .tuples()
    )
    outbox = dict(
        Outbox.select(Outbox.status, fn.COUNT(Outbox.id))
        .where(Outbox.coach == coach)
        .group_by(Outbox.status)
        .tuples()
    )
    return Dashboard(
        coach=coach.name,
        timezone=coach.timezone,
        sessions=sessions,
        free_days=free_days,
        orders=orders,
        revenue_30d=[Money(int(total), cur).display() for cur, total in revenue],
        outcomes_30d=outcomes,
        outbox=outbox,
    )
