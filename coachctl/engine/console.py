"""The coach's console (the TUI) reads: the agenda by local day, one booking with its emails,
free time ahead, slots to move a booking to, and courses with their learners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import JOIN, fn

from coachctl.config import Settings
from coachctl.engine import formats, links
from coachctl.engine.learning.enrolments import ACTIVE
from coachctl.engine.scheduling.availability import Slot, by_local_day, local_days
from coachctl.engine.scheduling.booking_types import list_booking_types
from coachctl.engine.scheduling.bookings import booking_to_dict, get_booking, list_bookings
from coachctl.engine.scheduling.schedule import find_slots, zone_of
from coachctl.store.models import Booking, Coach, Course, Enrolment, Order, Outbox

AGENDA_DAYS = 28
PAYMENT_MARKS = {"PAID": "paid", "PENDING": "unpaid", "REFUNDED": "refunded"}


@dataclass(frozen=True)
class AgendaRow:
    """One booking as the agenda lists it, in the coach's zone."""

    id: int
    day: date
    time: str
    client: str  # the name; the details show the email
    type: str
    status: str
    payment: str  # credit, paid, unpaid, refunded, or "" for a free session


def agenda(coach: Coach, now: datetime, days: int = AGENDA_DAYS) -> list[AgendaRow]:
    """The coach's bookings from the start of today (their zone) for ``days`` days, by start."""
    tz = zone_of(coach)
    span = local_days(now.astimezone(tz).date(), days, tz)
    rows = list_bookings(coach, start=span.start, end=span.end)
    paid = dict(
        Order.select(Order.booking, Order.status)
        .where(
            (Order.coach == coach)
            & Order.booking.is_null(False)
            & Order.status.in_(tuple(PAYMENT_MARKS))
            & Order.booking.in_(
                Booking.select(Booking.id).where(
                    (Booking.coach == coach)
                    & (Booking.end > span.start)
                    & (Booking.start < span.end)
                )
            )
        )
        .order_by(Order.id)
        .tuples()
    )
    return [
        AgendaRow(
            b.id,
            b.start.astimezone(tz).date(),
            f"{b.start.astimezone(tz):%H:%M}–{b.end.astimezone(tz):%H:%M}",
            b.customer_name,
            b.booking_type.name,
            b.status.lower().replace("_", "-"),
            "credit" if b.credit_used else PAYMENT_MARKS.get(paid.get(b.id, ""), ""),
        )
        for b in rows
    ]


@dataclass(frozen=True)
class BookingDetail:
    """One booking's fields as label and value, and the emails it caused, newest first."""

    id: int
    title: str
    fields: list[tuple[str, str]]
    emails: list[tuple[str, str, str, str]]  # when (coach's zone), kind, subject, status


def booking_detail(coach: Coach, booking_id: int, settings: Settings) -> BookingDetail:
    """One of the coach's bookings with its emails."""
    booking = get_booking(coach, booking_id)
    data = booking_to_dict(booking, links.manage_url(booking, settings))
    zone = coach.timezone
    fields = [
        ("when", formats.span(booking.start, booking.end, zone)),
        ("client", f"{booking.customer_name} <{booking.customer_email}>"),
        ("type", booking.booking_type.name),
        ("status", booking.status.lower().replace("_", "-")),
        ("payment", _payment(booking)),
        ("where", data["location"]["label"] if data.get("location") else "not set"),
        ("notes", booking.notes or "none"),
        ("manage link", data["manage_url"]),
    ]
    fields += [(f"answer: {a['question']}", a["answer"]) for a in data.get("answers", [])]
    emails = [
        (formats.moment(row.created_at, zone), row.kind, row.subject, row.status.lower())
        for row in Outbox.select().where(Outbox.booking == booking).order_by(Outbox.id.desc())
    ]
    title = f"{booking.booking_type.name} with {booking.customer_name}"
    return BookingDetail(booking.id, title, fields, emails)


def _payment(booking: Booking) -> str:
    if booking.credit_used:
        return "a credit"
    order = Order.select().where(Order.booking == booking).order_by(Order.id.desc()).first()
    if order is None:
        return "free"
    return f"order {order.id}, {order.status.lower()}"


def free_days(coach: Coach, now: datetime, days: int = 7) -> list[tuple[str, str]]:
    """Free start times of the coach's first bookable type over the next ``days`` days, one
    line per local day (an empty list when nothing is bookable)."""
    types = list_booking_types(coach)
    if not types:
        return []
    tz = zone_of(coach)
    slots = find_slots(coach, types[0], now, now + timedelta(days=days), now)
    return [
        (formats.day(day, year=False), " ".join(f"{s.start.astimezone(tz):%H:%M}" for s in found))
        for day, found in by_local_day(slots, tz).items()
    ]


def move_slots(coach: Coach, booking_id: int, now: datetime, days: int = 14) -> list[Slot]:
    """The slots a visitor would be offered for the booking's type over the next ``days`` days:
    where the coach can move it."""
    booking = get_booking(coach, booking_id)
    return find_slots(coach, booking.booking_type, now, now + timedelta(days=days), now)


@dataclass(frozen=True)
class CourseRow:
    """A course with how many learners it has and how many finished it."""

    id: int
    slug: str
    title: str
    access: str
    published: bool
    learners: int
    completed: int

    @property
    def completion(self) -> str:
        """The share of learners who finished, as a whole percentage ("–" without learners)."""
        return f"{round(100 * self.completed / self.learners)}%" if self.learners else "–"


def course_rows(coach: Coach) -> list[CourseRow]:
    """The coach's courses in the order they were made, with learner counts, in one query."""
    query = (
        Course.select(
            Course.id,
            Course.slug,
            Course.title,
            Course.access,
            Course.published,
            fn.COUNT(Enrolment.id).alias("learners"),
            fn.COUNT(Enrolment.completed_at).alias("completed"),
        )
        .join(
            Enrolment,
            JOIN.LEFT_OUTER,
            on=(Enrolment.course == Course.id) & (Enrolment.status == ACTIVE),
        )
        .where(Course.coach == coach)
        .group_by(Course.id, Course.slug, Course.title, Course.access, Course.published)
        .order_by(Course.id)
    )
    return [
        CourseRow(c.id, c.slug, c.title, c.access.lower(), c.published, c.learners, c.completed)
        for c in query
    ]
