"""The session-credit ledger: grants from purchases, one spent per booking, returned on cancel.

Each grant is a row (+n, maybe an expiry); every later movement names the grant it draws on, so
a balance is a sum per grant and expired grants simply stop counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import fn

from coachctl.engine.errors import Conflict
from coachctl.store.models import Booking, BookingType, Coach, CreditLedger, Order, Product, utcnow


@dataclass(frozen=True)
class Balance:
    """Usable credits of one customer for one booking type."""

    email: str
    booking_type: str
    available: int
    next_expiry: datetime | None


def grant_credits(order: Order, package: Product, now: datetime) -> CreditLedger | None:
    """Grant a package's credits to the order's customer, inside the fulfilment transaction."""
    if not package.credits:
        return None
    expires = now + timedelta(days=package.valid_days) if package.valid_days else None
    return CreditLedger.create(
        coach=order.coach_id,
        booking_type=package.credit_type_id,
        customer_email=order.customer_email,
        delta=package.credits,
        reason="purchase",
        order=order,
        expires_at=expires,
    )


def _grants(
    coach_id: int, email: str, booking_type_id: int, now: datetime
) -> list[tuple[CreditLedger, int]]:
    """Unexpired grants with what remains of each, soonest expiry first."""
    grants = list(
        CreditLedger.select().where(
            (CreditLedger.coach == coach_id)
            & (fn.LOWER(CreditLedger.customer_email) == email.lower())
            & (CreditLedger.booking_type == booking_type_id)
            & CreditLedger.grant.is_null()
            & (CreditLedger.delta > 0)
            & (CreditLedger.expires_at.is_null() | (CreditLedger.expires_at > now))
        )
    )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    grants.sort(key=lambda g: (g.expires_at or far, g.id))
    return _with_remaining(grants)


def _with_remaining(grants: list[CreditLedger]) -> list[tuple[CreditLedger, int]]:
    """Each grant with what is left of it after the movements drawn on it (one query)."""
    if not grants:
        return []
    used = dict(
        CreditLedger.select(CreditLedger.grant, fn.SUM(CreditLedger.delta))
        .where(CreditLedger.grant.in_([g.id for g in grants]))
        .group_by(CreditLedger.grant)
        .tuples()
    )
    return [(g, g.delta + (used.get(g.id) or 0)) for g in grants]


def available_credits(
    coach: Coach, email: str, booking_type: BookingType, now: datetime | None = None
) -> int:
    """How many unexpired credits ``email`` can spend on ``booking_type``."""
    return balance(coach, email, booking_type, now).available


def balance(
    coach: Coach, email: str, booking_type: BookingType, now: datetime | None = None
) -> Balance:
    """What ``email`` can spend on ``booking_type`` now, and when the soonest of it expires."""
    return _balance(coach.id, email, booking_type.id, booking_type.slug, now or utcnow())


def _balance(coach_id: int, email: str, type_id: int, type_slug: str, now: datetime) -> Balance:
    live = [(g, left) for g, left in _grants(coach_id, email, type_id, now) if left > 0]
    return Balance(
        email,
        type_slug,
        sum(left for _, left in live),
        min((g.expires_at for g, _ in live if g.expires_at), default=None),
    )


def spend_credit(booking: Booking, now: datetime) -> CreditLedger:
    """Spend one credit on ``booking`` inside its transaction; Conflict when none is left."""
    for grant, left in _grants(
        booking.coach_id, booking.customer_email, booking.booking_type_id, now
    ):
        if left > 0:
            return CreditLedger.create(
                coach=booking.coach_id,
                booking_type=booking.booking_type_id,
                customer_email=booking.customer_email,
                delta=-1,
                reason="booking",
                booking=booking,
                grant=grant,
            )
    raise Conflict("no session credits left for this booking type", code="no_credits")


def can_return(booking: Booking) -> bool:
    """Whether the credit ``booking`` spent could come back: its package was not refunded."""
    spent = CreditLedger.get_or_none(
        (CreditLedger.booking == booking) & (CreditLedger.reason == "booking")
    )
    if spent is None or spent.grant_id is None:
        return False
    order = CreditLedger.get_by_id(spent.grant_id).order
    return order is None or order.status != "REFUNDED"


def return_credit(booking: Booking) -> CreditLedger | None:
    """Give back the credit a cancelled booking spent, to the grant it came from, unless that
    grant's package was refunded."""
    spent = CreditLedger.get_or_none(
        (CreditLedger.booking == booking) & (CreditLedger.reason == "booking")
    )
    if (
        spent is None
        or not can_return(booking)
        or CreditLedger.get_or_none(
            (CreditLedger.booking == booking) & (CreditLedger.reason == "cancel")
        )
    ):
        return None
    return CreditLedger.create(
        coach=booking.coach_id,
        booking_type=booking.booking_type_id,
        customer_email=booking.customer_email,
        delta=1,
        reason="cancel",
        booking=booking,
        grant=spent.grant_id,
    )


def credit_returned(booking: Booking) -> bool:
    """Whether the credit ``booking`` spent has come back (it was cancelled in time)."""
    return (
        CreditLedger.select()
        .where((CreditLedger.booking == booking) & (CreditLedger.reason == "cancel"))
        .exists()
    )


def claw_back(order: Order) -> int:
    """Remove what is still unspent of an order's grants (a refund); return how many credits."""
    removed = 0
    grants = list(
        CreditLedger.select().where((CreditLedger.order == order) & CreditLedger.grant.is_null())
    )
    for grant, left in _with_remaining(grants):
        if left > 0:
            CreditLedger.create(
                coach=grant.coach_id,
                booking_type=grant.booking_type_id,
                customer_email=grant.customer_email,
                delta=-left,
                reason="refund",
                order=order,
                grant=grant,
            )
            removed += left
    return removed


def balances(coach: Coach, email: str | None = None, now: datetime | None = None) -> list[Balance]:
    """Usable balances per customer and booking type (one customer when ``email`` is given)."""
    now = now or utcnow()
    query = (
        CreditLedger.select(CreditLedger.customer_email, CreditLedger.booking_type)
        .where((CreditLedger.coach == coach) & CreditLedger.grant.is_null())
        .distinct()
    )
    if email:
        query = query.where(fn.LOWER(CreditLedger.customer_email) == email.lower())
    types = {t.id: t.slug for t in coach.booking_types}
    return [
        _balance(
            coach.id,
            row.customer_email,
            row.booking_type_id,
            types.get(row.booking_type_id, "?"),
            now,
        )
        for row in query.order_by(CreditLedger.customer_email)
    ]


def upcoming_on_credits(order: Order, now: datetime | None = None) -> list[Booking]:
    """The open, upcoming bookings paid with credits from ``order``'s grants (a refund of the
    package leaves them for the coach to decide)."""
    now = now or utcnow()
    grants = CreditLedger.select(CreditLedger.id).where(
        (CreditLedger.order == order) & CreditLedger.grant.is_null()
    )
    spent = CreditLedger.select(CreditLedger.booking).where(
        CreditLedger.grant.in_(grants) & (CreditLedger.reason == "booking")
    )
    return list(
        Booking.select()
        .where(
            Booking.id.in_(spent)
            & Booking.status.in_(("PENDING", "CONFIRMED"))
            & (Booking.start > now)
        )
        .order_by(Booking.start)
    )
