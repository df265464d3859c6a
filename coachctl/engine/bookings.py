"""Create, cancel and reschedule bookings; the check and the write always commit together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from coachctl.engine import credits, parse
from coachctl.engine.errors import Conflict, Forbidden, Invalid, NotFound
from coachctl.engine.schedule import load_calendar, rules_for
from coachctl.engine.signing import new_token, sign, unsign
from coachctl.store.db import write_transaction
from coachctl.store.models import Booking, BookingType, Coach, utcnow

STATUSES = ("PENDING", "CONFIRMED", "CANCELLED", "COMPLETED", "NO_SHOW")
DEFAULT_HOLD = timedelta(minutes=30)


@dataclass(frozen=True)
class Customer:
    """Who is booking: a name, an email, and the zone they read times in."""

    name: str
    email: str
    timezone: str = "UTC"

    @classmethod
    def checked(cls, name: str, email: str, timezone: str | None = None) -> Customer:
        """A customer whose fields have been validated."""
        clean_name = " ".join((name or "").split())
        if not clean_name or len(clean_name) > 120:
            raise Invalid("please give a name of at most 120 characters")
        zone = timezone or "UTC"
        parse.zone(zone)
        return cls(clean_name, parse.email(email), zone)


def _refuse_if_taken(
    coach: Coach, booking_type: BookingType, start: datetime, now: datetime, exclude: int | None
) -> None:
    rules = rules_for(booking_type)
    calendar = load_calendar(coach, start, start + rules.duration, now, exclude_booking=exclude)
    refusal = calendar.refusal(rules, now, start)
    if refusal is not None:
        raise Conflict(refusal.message, code=refusal.code)


def create_booking(
    coach: Coach,
    booking_type: BookingType,
    start: datetime,
    customer: Customer,
    *,
    notes: str = "",
    now: datetime | None = None,
    hold: timedelta = DEFAULT_HOLD,
    use_credit: bool = False,
) -> Booking:
    """Book ``start`` if it is still free: CONFIRMED, or PENDING with a hold when payment is due.

    With ``use_credit`` a paid type spends one of the customer's session credits instead, in the
    same transaction. Raises Conflict (with the refusal's code) when the time cannot be booked.
    """
    now = now or utcnow()
    if len(notes or "") > 2000:
        raise Invalid("the note is longer than 2000 characters")
    paid_by_credit = use_credit and booking_type.requires_payment
    pending = booking_type.requires_payment and not paid_by_credit
    with write_transaction(lock_key=coach.id):
        _refuse_if_taken(coach, booking_type, start, now, exclude=None)
        booking = Booking.create(
            coach=coach,
            booking_type=booking_type,
            customer_name=customer.name,
            customer_email=customer.email,
            customer_timezone=customer.timezone,
            start=start,
            end=start + timedelta(minutes=booking_type.duration),
            buffer_before=booking_type.buffer_before,
            buffer_after=booking_type.buffer_after,
            status="PENDING" if pending else "CONFIRMED",
            hold_expires_at=now + hold if pending else None,
            manage_token=new_token(),
            notes=(notes or "").strip(),
            credit_used=paid_by_credit,
        )
        if paid_by_credit:
            credits.spend_credit(booking, now)
    return booking


def _check_client_policy(booking: Booking, now: datetime, action: str) -> None:
    notice = timedelta(minutes=booking.booking_type.cancel_notice)
    if booking.start - now < notice:
        hours = booking.booking_type.cancel_notice / 60
        raise Forbidden(
            f"this session can no longer be {action} online (less than {hours:g} hours before it);"
            " please contact the coach"
        )


def _open(booking: Booking) -> None:
    if booking.status not in ("PENDING", "CONFIRMED"):
        raise Conflict(f"booking {booking.id} is {booking.status.lower()} and cannot change")


def cancel_booking(
    booking: Booking, *, by_client: bool = False, now: datetime | None = None
) -> Booking:
    """Cancel a booking and free its time; clients must respect the type's cancel notice."""
    now = now or utcnow()
    with write_transaction(lock_key=booking.coach_id):
        booking = Booking.get_by_id(booking.id)
        _open(booking)
        if by_client:
            _check_client_policy(booking, now, "cancelled")
        booking.status = "CANCELLED"
        booking.cancelled_at = now
        booking.sequence += 1
        booking.save()
        if booking.credit_used:
            credits.return_credit(booking)
    return booking


def reschedule_booking(
    booking: Booking, start: datetime, *, by_client: bool = False, now: datetime | None = None
) -> Booking:
    """Move a booking to ``start`` atomically: the new time is checked and taken in one step."""
    now = now or utcnow()
    with write_transaction(lock_key=booking.coach_id):
        booking = Booking.get_by_id(booking.id)
        _open(booking)
        if by_client:
            _check_client_policy(booking, now, "rescheduled")
        if start == booking.start:
            return booking
        _refuse_if_taken(booking.coach, booking.booking_type, start, now, exclude=booking.id)
        booking.end = start + (booking.end - booking.start)
        booking.start = start
        booking.sequence += 1
        booking.save()
    return booking


def expire_holds(now: datetime | None = None) -> int:
    """Cancel PENDING bookings whose hold has run out; return how many."""
    now = now or utcnow()
    return (
        Booking.update(status="CANCELLED", cancelled_at=now)
        .where((Booking.status == "PENDING") & (Booking.hold_expires_at <= now))
        .execute()
    )


def get_booking(coach: Coach, booking_id: int) -> Booking:
    """One of the coach's bookings by id."""
    booking = Booking.get_or_none((Booking.id == booking_id) & (Booking.coach == coach))
    if booking is None:
        raise NotFound(f"no booking {booking_id} for {coach.slug}")
    return booking


def manage_url(booking: Booking, base_url: str, secret: str) -> str:
    """The client's signed link to see, cancel or reschedule ``booking``."""
    return f"{base_url}/booking/{sign(secret, 'booking', booking.manage_token)}"


def find_by_link(signed: str, secret: str) -> Booking:
    """The booking a signed manage link names; forged or unknown links are not found."""
    booking = Booking.get_or_none(Booking.manage_token == unsign(secret, "booking", signed))
    if booking is None:
        raise NotFound("this booking link is not valid")
    return booking


def list_bookings(
    coach: Coach,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
) -> list[Booking]:
    """The coach's bookings overlapping ``[start, end)``, optionally of one status, by start."""
    query = (
        Booking.select(Booking, BookingType, Coach)
        .join(BookingType)
        .switch(Booking)
        .join(Coach)
        .where(Booking.coach == coach)
    )
    if start is not None:
        query = query.where(Booking.end > start)
    if end is not None:
        query = query.where(Booking.start < end)
    if status:
        status = status.upper()
        if status not in STATUSES:
            raise Invalid(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        query = query.where(Booking.status == status)
    return list(query.order_by(Booking.start, Booking.id))


def booking_to_dict(booking: Booking, manage_url: str | None = None) -> dict[str, Any]:
    """The JSON shape of a booking."""
    data: dict[str, Any] = {
        "id": booking.id,
        "coach": booking.coach.slug,
        "type": booking.booking_type.slug,
        "start": parse.format_instant(booking.start),
        "end": parse.format_instant(booking.end),
        "status": booking.status,
        "name": booking.customer_name,
        "email": booking.customer_email,
        "timezone": booking.customer_timezone,
        "notes": booking.notes,
        "hold_expires_at": (
            parse.format_instant(booking.hold_expires_at) if booking.hold_expires_at else None
        ),
    }
    if manage_url is not None:
        data["manage_url"] = manage_url
    return data
