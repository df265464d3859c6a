"""Create, cancel, reschedule and close bookings; the check and the write always commit together.

Status changes go through the transition table in ``lifecycle``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peewee import fn

from coachctl.config import Settings
from coachctl.engine import formats, intake, locations, parse, tracking
from coachctl.engine.commerce import checkout, credits, refunds
from coachctl.engine.errors import Conflict, Forbidden, Invalid, NotFound
from coachctl.engine.messaging import notify
from coachctl.engine.scheduling import booking_types, cancel_policy, lifecycle
from coachctl.engine.scheduling.lifecycle import CONFIRMED, OPEN, PENDING, STATUSES
from coachctl.engine.scheduling.schedule import load_calendar, rules_for
from coachctl.engine.signing import new_token
from coachctl.store.db import write_transaction
from coachctl.store.models import Booking, BookingType, Coach, utcnow

DEFAULT_HOLD = timedelta(minutes=30)


@dataclass(frozen=True)
class Customer:
    """Who is booking: a name, an email, the zone they read times in, and a phone number."""

    name: str
    email: str
    timezone: str = "UTC"
    phone: str = ""

    @classmethod
    def checked(
        cls, name: str, email: str, timezone: str | None = None, phone: str = ""
    ) -> Customer:
        """A customer whose fields have been validated."""
        clean_name = " ".join((name or "").split())
        if not clean_name or len(clean_name) > 120:
            raise Invalid("please give a name of at most 120 characters")
        zone = timezone or "UTC"
        parse.zone(zone)
        number = locations.phone_number(phone) if (phone or "").strip() else ""
        return cls(clean_name, parse.email(email), zone, number)


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
    settings: Settings,
    notes: str = "",
    now: datetime | None = None,
    hold: timedelta = DEFAULT_HOLD,
    use_credit: bool = False,
    request_key: str | None = None,
    answers: dict[str, Any] | None = None,
) -> Booking:
    """Book ``start`` if it is still free: CONFIRMED, or PENDING with a hold when payment is due.

    With ``use_credit`` a paid type spends one of the customer's session credits instead, in the
    same transaction. A ``request_key`` (see ``signing.request_key``) seen before returns that
    earlier booking when it asked for the same thing (a form sent twice books once), and is
    refused when it asked for something else. Raises Conflict (with the refusal's code) when the
    time cannot be booked, Invalid when an intake answer or a phone number the type needs is bad.
    """
    now = now or utcnow()
    if len(notes or "") > 2000:
        raise Invalid("the note is longer than 2000 characters")
    if locations.needs_phone(booking_type) and not customer.phone:
        raise Invalid("please give a phone number: this session is a phone call", code="phone")
    kept_answers = intake.check_answers(booking_type.questions, answers or {})
    paid_by_credit = use_credit and booking_type.requires_payment
    pending = booking_type.requires_payment and not paid_by_credit
    with write_transaction(lock_key=coach.id):
        if request_key:
            earlier = Booking.get_or_none(Booking.request_key == request_key)
            if earlier is not None:
                asked = (coach.id, booking_type.id, start, customer.email.lower())
                if asked != (
                    earlier.coach_id,
                    earlier.booking_type_id,
                    earlier.start,
                    earlier.customer_email.lower(),
                ):
                    raise Invalid(
                        "this request was already used for another booking; start again",
                        code="key_reused",
                    )
                return earlier
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
            status=PENDING if pending else CONFIRMED,
            hold_expires_at=now + hold if pending else None,
            manage_token=new_token(),
            notes=(notes or "").strip(),
            credit_used=paid_by_credit,
            request_key=request_key,
            customer_phone=customer.phone,
            answers=kept_answers,
        )
        if paid_by_credit:
            credits.spend_credit(booking, now)
        if booking.status == CONFIRMED:
            tracking.record(coach, "booking_created", at=now)
            notify.booking_changed(
                booking,
                "confirmed",
                settings,
                now=now,
                policy=cancel_policy.policy_words(booking_type),
            )
    return booking


def client_change_refusal(booking: Booking, now: datetime | None = None) -> str | None:
    """Why the client may not move ``booking`` online now, or None when they may."""
    now = now or utcnow()
    if booking.status not in OPEN:
        return f"this booking is {booking.status.lower()}"
    if cancel_policy.is_late(booking, now):
        notice = formats.duration_words(booking.booking_type.cancel_notice)
        return f"sessions can be rescheduled online until {notice} before they start"
    return None


def client_cancel_refusal(booking: Booking, now: datetime | None = None) -> str | None:
    """Why the client may not cancel ``booking`` online now, or None when they may (a late
    cancellation is allowed: the policy says what it costs)."""
    now = now or utcnow()
    if booking.status not in OPEN:
        return f"this booking is {booking.status.lower()}"
    if booking.start <= now:
        return "this session has already started"
    return None


def _changeable(
    booking: Booking, refusal: Callable[[Booking, datetime], str | None] | None, now: datetime
) -> Booking:
    """The booking re-read inside the caller's transaction, refused if it may not change now."""
    fresh = Booking.get_by_id(booking.id)
    if fresh.status not in OPEN:
        raise Conflict(f"booking {fresh.id} is {fresh.status.lower()} and cannot change")
    reason = refusal(fresh, now) if refusal else None
    if reason:
        raise Forbidden(reason)
    return fresh


def cancel_booking(
    booking: Booking,
    *,
    settings: Settings,
    by_client: bool = False,
    now: datetime | None = None,
) -> cancel_policy.Cancellation:
    """Cancel a booking, free its time and settle its money by the cancellation policy, in one
    transaction: the credit comes back or is used up, and a card refund is recorded for the
    caller to send (``booking_desk.cancel_booking`` sends it and closes an unpaid checkout)."""
    now = now or utcnow()
    with write_transaction(lock_key=booking.coach_id):
        fresh = _changeable(booking, client_cancel_refusal if by_client else None, now)
        outcome = cancel_policy.outcome(fresh, by_coach=not by_client, now=now)
        refund = None
        if outcome.refund is not None and outcome.order is not None:
            refund = refunds.request(
                outcome.order, outcome.refund.amount, "cancel", key=f"cancel:{fresh.id}"
            )
        move = "cancel" if outcome.credit_back or not fresh.credit_used else "cancel_late"
        cancelled = lifecycle.move(fresh, move, settings, now, said=outcome.done)
        return cancel_policy.Cancellation(cancelled, outcome, refund)


def reschedule_booking(
    booking: Booking,
    start: datetime,
    *,
    settings: Settings,
    by_client: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Move a booking to ``start`` atomically: the new time is checked and taken in one step."""
    now = now or utcnow()
    with write_transaction(lock_key=booking.coach_id):
        booking = _changeable(booking, client_change_refusal if by_client else None, now)
        if start == booking.start:
            return booking
        _refuse_if_taken(booking.coach, booking.booking_type, start, now, exclude=booking.id)
        previous = booking.start
        booking.end = start + (booking.end - booking.start)
        booking.start = start
        checkout.follow_booking(booking)
        return lifecycle.move(booking, "reschedule", settings, now, previous_start=previous)


def set_booking_location(
    booking: Booking, text: str, *, settings: Settings, now: datetime | None = None
) -> Booking:
    """Give one booking its own location (``""`` falls back to its type's); the client gets an
    updated invite with the same UID and a raised SEQUENCE."""
    now = now or utcnow()
    value = locations.parse_location(text)
    with write_transaction(lock_key=booking.coach_id):
        fresh = _changeable(booking, None, now)
        fresh.location = value
        return lifecycle.move(fresh, "relocate", settings, now)


def record_outcome(
    booking: Booking, outcome: str, *, settings: Settings, now: datetime | None = None
) -> Booking:
    """Mark a confirmed session ``complete`` or ``no_show`` (a no-show keeps its credit spent)."""
    if outcome not in ("complete", "no_show"):
        raise Invalid(f"unknown outcome {outcome!r}; use complete or no_show")
    now = now or utcnow()
    with write_transaction(lock_key=booking.coach_id):
        return lifecycle.move(Booking.get_by_id(booking.id), outcome, settings, now)


def expire_holds(settings: Settings, now: datetime | None = None) -> int:
    """Cancel PENDING bookings whose hold has run out; return how many."""
    now = now or utcnow()
    return _move_each(
        (Booking.status == PENDING) & (Booking.hold_expires_at <= now),
        "expire",
        lambda b: b.status == PENDING and b.hold_expires_at <= now,
        settings,
        now,
    )


def get_booking(coach: Coach, booking_id: int) -> Booking:
    """One of the coach's bookings by id."""
    booking = Booking.get_or_none((Booking.id == booking_id) & (Booking.coach == coach))
    if booking is None:
        raise NotFound(f"no booking {booking_id} for {coach.slug}")
    return booking


def list_bookings(
    coach: Coach,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
    email: str | None = None,
) -> list[Booking]:
    """The coach's bookings overlapping ``[start, end)``, optionally of one status or one
    client's ``email``, by start."""
    query = (
        Booking.select(Booking, BookingType, Coach)
        .join(BookingType)
        .switch(Booking)
        .join(Coach)
        .where(Booking.coach == coach)
    )
    if email:
        query = query.where(fn.LOWER(Booking.customer_email) == email.strip().lower())
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
        "phone": booking.customer_phone or None,
        "location": booking_types.location_dict(locations.booking_location(booking)),
        "answers": [
            {"question": question, "answer": answer}
            for question, answer in intake.answered(booking.booking_type.questions, booking.answers)
        ],
        "hold_expires_at": (
            parse.format_instant(booking.hold_expires_at) if booking.hold_expires_at else None
        ),
    }
    if manage_url is not None:
        data["manage_url"] = manage_url
    return data


def complete_past_bookings(settings: Settings, now: datetime | None = None) -> int:
    """Mark CONFIRMED bookings that have ended as COMPLETED; return how many."""
    now = now or utcnow()
    return _move_each(
        (Booking.status == CONFIRMED) & (Booking.end <= now),
        "complete",
        lambda b: b.status == CONFIRMED,
        settings,
        now,
    )


def _move_each(
    where: Any, move: str, still: Callable[[Booking], bool], settings: Settings, now: datetime
) -> int:
    """Apply ``move`` to each booking matching ``where`` that, re-read in its own transaction,
    ``still`` qualifies; return how many moved."""
    moved = 0
    for row in list(Booking.select(Booking.id, Booking.coach).where(where)):
        with write_transaction(lock_key=row.coach_id):
            fresh = Booking.get_by_id(row.id)
            if still(fresh):
                lifecycle.move(fresh, move, settings, now)
                moved += 1
    return moved
