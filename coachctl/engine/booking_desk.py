"""Booking use cases that span scheduling and commerce: book (with a pass or a checkout), cancel.

The JSON API and the HTML booking form both call ``request_booking``; every face that cancels
calls ``cancel_booking``, which also closes an unpaid booking's checkout and sends its refund.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from coachctl.config import Settings
from coachctl.engine import links, sales
from coachctl.engine.commerce import checkout, coupons
from coachctl.engine.errors import DomainError, Invalid
from coachctl.engine.scheduling import bookings, lifecycle
from coachctl.engine.scheduling.bookings import Customer
from coachctl.engine.scheduling.cancel_policy import Cancellation
from coachctl.store.db import write_transaction
from coachctl.store.models import Booking, BookingType, Coach, Order, utcnow


@dataclass(frozen=True)
class BookingRequest:
    """A booking just made, and the checkout that pays for it when its type is paid."""

    booking: Booking
    order: Order | None = None


def request_booking(
    coach: Coach,
    kind: BookingType,
    start: datetime,
    customer: Customer,
    *,
    settings: Settings,
    notes: str = "",
    credits_pass: str = "",
    request_key: str | None = None,
    answers: dict[str, Any] | None = None,
    coupon: str = "",
    now: datetime | None = None,
) -> BookingRequest:
    """Book ``start`` for ``customer``: spend a credit with a valid pass, or open the checkout,
    less what ``coupon`` takes off (a code that does not apply is refused before the slot is
    held; a hold left with no checkout, its code used up meanwhile, is let go).

    The booking (and its credit) commits first; the checkout session is opened after, so the
    provider is never called inside the booking's transaction.
    """
    now = now or utcnow()
    use_credit = False
    if credits_pass:
        holder = links.email_from_pass(settings, coach, credits_pass)
        if holder != customer.email.lower():
            raise Invalid("this booking pass belongs to another email address")
        use_credit = True
    coupon = coupon if kind.requires_payment and not use_credit else ""
    if coupon:
        coupons.usable(coupon, coach, kind, kind.currency, now)
    booking = bookings.create_booking(
        coach,
        kind,
        start,
        customer,
        settings=settings,
        notes=notes,
        use_credit=use_credit,
        request_key=request_key,
        answers=answers,
        now=now,
    )
    if booking.status != lifecycle.PENDING:
        return BookingRequest(booking)
    try:
        order = sales.start_booking_checkout(booking, settings, coupon=coupon, now=now)
    except DomainError:
        if checkout.open_order_for(booking, now) is None:
            _let_go(booking, settings, now)
        raise
    return BookingRequest(Booking.get_by_id(booking.id), order)


def _let_go(booking: Booking, settings: Settings, now: datetime) -> None:
    """End the hold of a booking whose checkout could not start."""
    with write_transaction(lock_key=booking.coach_id):
        fresh = Booking.get_by_id(booking.id)
        if fresh.status == lifecycle.PENDING:
            lifecycle.move(fresh, "expire", settings, now)


def cancel_booking(
    booking: Booking, *, settings: Settings, by_client: bool = False, now: datetime | None = None
) -> Cancellation:
    """Cancel a booking (see ``bookings.cancel_booking``), close its unpaid checkout, and send
    the refund the policy decided; a provider that cannot be reached leaves the refund recorded
    for the worker to send, and says so in ``refund_error``."""
    done = bookings.cancel_booking(booking, settings=settings, by_client=by_client, now=now)
    sales.abandon_checkout(done.booking, settings, now=now)
    if done.refund is None:
        return done
    errors = sales.send_refunds(settings, done.outcome.order, now=now)
    return replace(done, refund_error=errors[0] if errors else "")
