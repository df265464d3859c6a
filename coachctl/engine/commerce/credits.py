"""The session-credit ledger: grants from purchases, one spent per booking, returned on cancel.

Each grant is a row (+n, maybe an expiry); every later movement names the grant it draws on, so
a balance is a sum per grant and expired grants simply stop counting. Moving an expiry is a
zero-delta ``extend`` movement, so the history shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peewee import ModelSelect, fn

from coachctl.engine.errors import Conflict, Invalid, NotFound
from coachctl.store.db import write_transaction
from coachctl.store.models import (
    Booking,
    BookingType,
    Coach,
    CreditLedger,
    Order,
    Outbox,
    Product,
    utcnow,
)

MAX_EXTEND_DAYS = 3650


@dataclass(frozen=True)
class Balance:
    """Credits of one customer for one booking type: usable ones, and ones that expired unused."""

    email: str
    booking_type: str
    available: int
    next_expiry: datetime | None
    expired: int = 0
    expired_at: datetime | None = None  # when the latest of the expired credits lapsed


@dataclass(frozen=True)
class Extension:
    """The credits left on one grant and the expiry they were moved to."""

    email: str
    booking_type: str
    credits: int
    expires_at: datetime


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


def _with_remaining(
    grants: list[CreditLedger], ids: ModelSelect | None = None
) -> list[tuple[CreditLedger, int]]:
    """Each grant with what is left of it after the movements drawn on it (one query); ``ids``,
    a subquery selecting the grants' ids, keeps that query short when there are many."""
    if not grants:
        return []
    used = dict(
        CreditLedger.select(CreditLedger.grant, fn.SUM(CreditLedger.delta))
        .where(CreditLedger.grant.in_(ids if ids is not None else [g.id for g in grants]))
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
    """What ``email`` can spend on ``booking_type`` now, when the soonest of it expires, and what
    expired unused."""
    grants = _all_grants(coach.id, email).where(CreditLedger.booking_type == booking_type.id)
    return _summarise(email, booking_type.slug, _with_remaining(list(grants)), now or utcnow())


def _all_grants(coach_id: int, email: str | None = None) -> ModelSelect:
    """A query for every grant of the coach (to one customer when ``email`` is given)."""
    query = CreditLedger.select().where(
        (CreditLedger.coach == coach_id) & CreditLedger.grant.is_null() & (CreditLedger.delta > 0)
    )
    if email:
        query = query.where(fn.LOWER(CreditLedger.customer_email) == email.lower())
    return query.order_by(CreditLedger.id)


def _summarise(
    email: str, type_slug: str, grants: list[tuple[CreditLedger, int]], now: datetime
) -> Balance:
    held = [(g, left) for g, left in grants if left > 0]
    live = [(g, left) for g, left in held if g.expires_at is None or g.expires_at > now]
    lapsed = [(g, left) for g, left in held if g.expires_at is not None and g.expires_at <= now]
    return Balance(
        email,
        type_slug,
        sum(left for _, left in live),
        min((g.expires_at for g, _ in live if g.expires_at), default=None),
        sum(left for _, left in lapsed),
        max((g.expires_at for g, _ in lapsed), default=None),
    )


def spend_credit(booking: Booking, now: datetime) -> CreditLedger:
    """Spend one credit on ``booking`` inside its transaction; Conflict when none is left."""
    for grant, left in _grants(
        booking.coach_id, booking.customer_email, booking.booking_type_id, now
    ):
        if left > 0:
            return _draw(
                grant, -1, "booking", booking=booking, customer_email=booking.customer_email
            )
    raise Conflict("no session credits left for this booking type", code="no_credits")


def _draw(grant: CreditLedger, delta: int, reason: str, **fields: Any) -> CreditLedger:
    """Record a movement of ``delta`` credits on ``grant`` (for its owner unless ``fields`` say
    otherwise), and drop the grant's unsent expiry reminder, whose words the movement changes."""
    drop_reminder(grant)
    owner = {
        "coach": grant.coach_id,
        "booking_type": grant.booking_type_id,
        "customer_email": grant.customer_email,
    }
    return CreditLedger.create(**{**owner, **fields}, delta=delta, reason=reason, grant=grant)


def _returnable_grant(booking: Booking) -> CreditLedger | None:
    """The grant the credit ``booking`` spent came from, unless its package was refunded."""
    spent = CreditLedger.get_or_none(
        (CreditLedger.booking == booking) & (CreditLedger.reason == "booking")
    )
    if spent is None or spent.grant_id is None:
        return None
    grant = CreditLedger.get_by_id(spent.grant_id)
    refunded = grant.order_id is not None and grant.order.status == "REFUNDED"
    return None if refunded else grant


def can_return(booking: Booking) -> bool:
    """Whether the credit ``booking`` spent could come back: its package was not refunded."""
    return _returnable_grant(booking) is not None


def return_credit(booking: Booking) -> CreditLedger | None:
    """Give back the credit a cancelled booking spent, to the grant it came from, unless that
    grant's package was refunded."""
    grant = _returnable_grant(booking)
    if grant is None or credit_returned(booking):
        return None
    return _draw(grant, 1, "cancel", booking=booking, customer_email=booking.customer_email)


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
            _draw(grant, -left, "refund", order=order)
            removed += left
    return removed


def unspent(order: Order) -> int:
    """How many credits of ``order``'s grants are neither spent nor taken back: what a full
    refund claws back."""
    grants = list(
        CreditLedger.select().where((CreditLedger.order == order) & CreditLedger.grant.is_null())
    )
    return sum(max(left, 0) for _, left in _with_remaining(grants))


def balances(coach: Coach, email: str | None = None, now: datetime | None = None) -> list[Balance]:
    """Balances per customer and booking type (one customer when ``email`` is given), usable
    and expired unused, in two queries."""
    now = now or utcnow()
    query = _all_grants(coach.id, email)
    grouped: dict[tuple[str, int], list[tuple[CreditLedger, int]]] = {}
    for grant, left in _with_remaining(list(query), query.select(CreditLedger.id)):
        key = (grant.customer_email.lower(), grant.booking_type_id)
        grouped.setdefault(key, []).append((grant, left))
    types = {t.id: t.slug for t in coach.booking_types}
    return [
        _summarise(held[0][0].customer_email, types.get(type_id, "?"), held, now)
        for (_, type_id), held in sorted(grouped.items())
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


def remaining(grant: CreditLedger) -> int:
    """How many credits of ``grant`` are not spent or taken back (expired or not)."""
    return _with_remaining([grant])[0][1]


def expiring(now: datetime, lead: timedelta) -> list[tuple[CreditLedger, int]]:
    """Grants with credits left that expire within ``lead`` of ``now``, each with what is left;
    only those granted before that warning window opened (a short package's purchase email
    already names its expiry)."""
    grants = CreditLedger.select().where(
        CreditLedger.grant.is_null()
        & (CreditLedger.delta > 0)
        & (CreditLedger.expires_at > now)
        & (CreditLedger.expires_at <= now + lead)
    )
    fresh = [g for g in grants.order_by(CreditLedger.id) if g.created_at < g.expires_at - lead]
    return [(g, left) for g, left in _with_remaining(fresh) if left > 0]


def reminder_key(grant: CreditLedger) -> str:
    """The outbox dedupe key of the warning that ``grant`` expires: one per grant and expiry day."""
    return f"credits-expiring:{grant.id}:{grant.expires_at.date().isoformat()}"


def drop_reminder(grant: CreditLedger) -> int:
    """Delete ``grant``'s expiry warning if it has not gone out yet, because what it says changed
    (credits spent, returned or taken back, expiry moved); housekeeping writes a fresh one while
    credits remain. Return how many rows went."""
    if grant.expires_at is None:
        return 0
    return (
        Outbox.delete()
        .where((Outbox.dedupe_key == reminder_key(grant)) & (Outbox.status == "PENDING"))
        .execute()
    )


def extend_credits(
    coach: Coach,
    email: str,
    days: int,
    booking_type: BookingType | None = None,
    now: datetime | None = None,
) -> list[Extension]:
    """Give ``email``'s credits that expire ``days`` more, in one transaction: from their expiry,
    or from now for credits that already expired unused (so they can be booked again). Credits
    that never expire, and grants with nothing left, stay as they are."""
    if not 1 <= days <= MAX_EXTEND_DAYS:
        raise Invalid(f"extend by 1 to {MAX_EXTEND_DAYS} days, not {days}")
    now = now or utcnow()
    types = {t.id: t.slug for t in coach.booking_types}
    extended = []
    with write_transaction(lock_key=coach.id):
        query = _all_grants(coach.id, email).where(CreditLedger.expires_at.is_null(False))
        if booking_type is not None:
            query = query.where(CreditLedger.booking_type == booking_type.id)
        for grant, left in _with_remaining(list(query)):
            if left <= 0:
                continue
            until = max(grant.expires_at, now) + timedelta(days=days)
            _draw(grant, 0, "extend", expires_at=until, created_at=now)
            CreditLedger.update(expires_at=until).where(CreditLedger.id == grant.id).execute()
            extended.append(
                Extension(grant.customer_email, types[grant.booking_type_id], left, until)
            )
        if not extended:
            kind = f" ({booking_type.slug})" if booking_type is not None else ""
            raise NotFound(
                f"{email} has no credits{kind} that expire", hint="see: coachctl credits list"
            )
    return extended
