"""Coupons: discount codes a coach hands out, and the rules that decide what one takes off.

A coupon is counted once an order that carries it is fulfilled (``redeem``). Until then an
order that can still be paid holds one use, so a maximum and once-per-customer hold while many
checkouts race: ``price_with`` counts both, and its caller runs it in the coach's write
transaction (``write_transaction(lock_key=coach.id)``) and creates the order in that same one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peewee import IntegrityError, fn

from coachctl.engine import parse
from coachctl.engine.commerce.checkout import OPEN, PENDING
from coachctl.engine.commerce.money import Money
from coachctl.engine.errors import Conflict, Invalid, NotFound
from coachctl.store.db import db
from coachctl.store.models import (
    BookingType,
    Coach,
    Coupon,
    CouponRedemption,
    Order,
    Product,
    utcnow,
)

CODE = re.compile(r"[A-Z0-9_-]{3,40}")
MAX_USES = 1_000_000
OPENING = timedelta(minutes=31)  # an order whose checkout is still opening holds a use this long


@dataclass(frozen=True)
class Discount:
    """What a coupon takes off one price, in minor units."""

    coupon: Coupon
    amount: int


def normal_code(text: str) -> str:
    """A coupon code as stored: upper case, 3–40 letters, digits, ``-`` or ``_``."""
    code = text.strip().upper() if isinstance(text, str) else ""
    if not CODE.fullmatch(code):
        raise Invalid(
            f"coupon code {str(text)[:60]!r} is not 3 to 40 letters, digits, - or _",
            code="bad_coupon_code",
        )
    return code


def end_of_day(day: date, zone: str) -> datetime:
    """The instant ``day`` ends in ``zone`` (the next local midnight, or the earliest instant the
    clock shows it when a transition skips or repeats it), in UTC."""
    midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=ZoneInfo(zone))
    return midnight.astimezone(UTC)


def last_day(coupon: Coupon) -> date | None:
    """The last day ``coupon`` works, in its coach's zone; None when it never expires."""
    if coupon.expires_at is None:
        return None
    zone = ZoneInfo(coupon.coach.timezone)
    return (coupon.expires_at - timedelta(microseconds=1)).astimezone(zone).date()


def create_coupon(
    coach: Coach,
    code: str,
    *,
    percent_off: int | None = None,
    amount_off: Money | None = None,
    products: list[int] | None = None,
    booking_types: list[BookingType] | None = None,
    expires_on: date | None = None,
    max_redemptions: int | None = None,
    once_per_customer: bool = False,
    now: datetime | None = None,
) -> Coupon:
    """Add a coupon taking ``percent_off`` (1–100) or ``amount_off`` (in the coach's currency)
    off, only for ``products``/``booking_types`` when either is given, until ``expires_on`` ends
    in the coach's zone."""
    code = normal_code(code)
    if (percent_off is None) == (amount_off is None):
        raise Invalid(
            "a coupon takes either a percentage or an amount off",
            hint="--percent 20 or --amount '10.00 EUR'",
        )
    if percent_off is not None and not 1 <= percent_off <= 100:
        raise Invalid(f"a percentage off is between 1 and 100, not {percent_off}")
    if amount_off is not None:
        if amount_off.amount <= 0:
            raise Invalid("an amount off must be more than nothing")
        if amount_off.currency != coach.currency:
            raise Invalid(
                f"the amount is in {amount_off.currency} but {coach.slug} sells in {coach.currency}"
            )
    if max_redemptions is not None and not 1 <= max_redemptions <= MAX_USES:
        raise Invalid(f"the maximum number of uses is between 1 and {MAX_USES:,}")
    product_ids = sorted(set(products or []))
    found = {p.id for p in Product.select(Product.id).where(Product.coach == coach)}
    unknown = [str(p) for p in product_ids if p not in found]
    if unknown:
        raise NotFound(f"{coach.slug} has no product {', '.join(unknown)}")
    type_ids = sorted({t.id for t in booking_types or []})
    if any(t.coach_id != coach.id for t in booking_types or []):
        raise Invalid("a coupon only applies to the coach's own booking types")
    expires_at = end_of_day(expires_on, coach.timezone) if expires_on else None
    if expires_at is not None and expires_at <= (now or utcnow()):
        raise Invalid(f"{expires_on} is already over in {coach.timezone}")
    taken = Conflict(
        f"{coach.slug} already has a coupon {code}", hint="a code stays taken once archived"
    )
    if Coupon.select().where((Coupon.coach == coach) & (Coupon.code == code)).exists():
        raise taken
    try:
        with db.atomic():
            return Coupon.create(
                coach=coach,
                code=code,
                percent_off=percent_off,
                amount_off=amount_off.amount if amount_off else None,
                currency=amount_off.currency if amount_off else None,
                products=product_ids,
                booking_types=type_ids,
                expires_at=expires_at,
                max_redemptions=max_redemptions,
                once_per_customer=once_per_customer,
            )
    except IntegrityError:
        raise taken from None


def get_coupon(coach: Coach, code: str) -> Coupon:
    """One of the coach's coupons, archived or not, by its code in any case."""
    coupon = _find(coach, code)
    if coupon is None:
        raise NotFound(f"{coach.slug} has no coupon {str(code)[:60]!r}")
    return coupon


def archive_coupon(coach: Coach, code: str) -> Coupon:
    """Stop a coupon from working; its orders and redemptions stay."""
    coupon = get_coupon(coach, code)
    coupon.active = False
    coupon.save()
    return coupon


def list_coupons(coach: Coach) -> list[Coupon]:
    """The coach's coupons in the order they were made, each with its ``used`` count and its
    booking types' ``type_slugs`` (what ``coupon_to_dict`` needs, in three queries)."""
    coupons = list(
        Coupon.select(Coupon, Coach).join(Coach).where(Coupon.coach == coach).order_by(Coupon.id)
    )
    used = dict(
        CouponRedemption.select(CouponRedemption.coupon, fn.COUNT(CouponRedemption.id))
        .join(Coupon)
        .where(Coupon.coach == coach)
        .group_by(CouponRedemption.coupon)
        .tuples()
    )
    slugs = dict(
        BookingType.select(BookingType.id, BookingType.slug)
        .where(BookingType.coach == coach)
        .tuples()
    )
    for coupon in coupons:
        coupon.used = used.get(coupon.id, 0)
        coupon.type_slugs = [slugs[t] for t in coupon.booking_types if t in slugs]
    return coupons


def status_of(coupon: Coupon, used: int, now: datetime) -> str:
    """``archived``, ``expired``, ``used up`` or ``active``."""
    if not coupon.active:
        return "archived"
    if coupon.expires_at is not None and coupon.expires_at <= now:
        return "expired"
    if coupon.max_redemptions is not None and used >= coupon.max_redemptions:
        return "used up"
    return "active"


def describe(coupon: Coupon) -> str:
    """What a coupon takes off: ``20%`` or ``€10.00``."""
    if coupon.percent_off is not None:
        return f"{coupon.percent_off}%"
    return Money(coupon.amount_off, coupon.currency).display()


def coupon_to_dict(coupon: Coupon, now: datetime | None = None) -> dict[str, Any]:
    """The JSON shape of a coupon (``used`` counts fulfilled orders)."""
    used = getattr(coupon, "used", None)
    if used is None:
        used = CouponRedemption.select().where(CouponRedemption.coupon == coupon).count()
    slugs = getattr(coupon, "type_slugs", None)
    if slugs is None:
        slugs = [
            t.slug for t in BookingType.select().where(BookingType.id.in_(coupon.booking_types))
        ]
    ends = last_day(coupon)
    return {
        "id": coupon.id,
        "code": coupon.code,
        "percent_off": coupon.percent_off,
        "amount_off": coupon.amount_off,
        "currency": coupon.currency,
        "discount_display": describe(coupon),
        "products": coupon.products,
        "types": slugs,
        "expires_at": parse.format_instant(coupon.expires_at) if coupon.expires_at else None,
        "last_day": ends.isoformat() if ends else None,
        "max_redemptions": coupon.max_redemptions,
        "used": used,
        "once_per_customer": coupon.once_per_customer,
        "status": status_of(coupon, used, now or utcnow()),
        "stripe_coupon": coupon.stripe_coupon_id,
    }


def applies_to(coupon: Coupon, what: Product | BookingType) -> bool:
    """Whether ``coupon`` may be used for ``what``: anything when it names neither products nor
    booking types, else only what it names."""
    if not coupon.products and not coupon.booking_types:
        return True
    listed = coupon.booking_types if isinstance(what, BookingType) else coupon.products
    return what.id in listed


def amount_off(coupon: Coupon, amount: int) -> int:
    """What ``coupon`` takes off ``amount`` minor units: a percentage rounded half up, never more
    than the amount itself."""
    if coupon.percent_off is not None:
        return (amount * coupon.percent_off + 50) // 100
    return min(coupon.amount_off, amount)


def usable(
    coupon_code: str, coach: Coach, what: Product | BookingType, currency: str, now: datetime
) -> Coupon:
    """The coach's coupon ``coupon_code``, when it may be used for ``what`` priced in
    ``currency`` now (however often it was used); Invalid saying why not."""
    coupon = _find(coach, coupon_code)
    if coupon is None:
        shown = " ".join(str(coupon_code).split())[:40].upper()
        raise Invalid(f"the discount code {shown} does not exist", code="coupon_unknown")
    code = coupon.code
    if not coupon.active:
        raise Invalid(f"the discount code {code} is no longer valid", code="coupon_archived")
    if coupon.expires_at is not None and coupon.expires_at <= now:
        raise Invalid(f"the discount code {code} has expired", code="coupon_expired")
    if not applies_to(coupon, what):
        name = what.name if isinstance(what, BookingType) else what.title
        raise Invalid(
            f"the discount code {code} does not apply to {name}", code="coupon_not_applicable"
        )
    if coupon.amount_off is not None and coupon.currency != currency:
        raise Invalid(
            f"the discount code {code} is for prices in {coupon.currency}, not {currency}",
            code="coupon_currency",
        )
    return coupon


def price_with(
    coupon_code: str,
    coach: Coach,
    what: Product | BookingType,
    amount: int,
    currency: str,
    email: str,
    now: datetime,
) -> Discount:
    """What ``coupon_code`` takes off ``amount`` when ``email`` pays for ``what``, or why it
    cannot: Invalid for a code that does not apply (see ``usable``), Conflict when it is used up
    for everyone or for this email. Run it in the coach's write transaction that creates the
    order, so the uses held by checkouts racing it are counted."""
    coupon = usable(coupon_code, coach, what, currency, now)
    code = coupon.code
    if coupon.max_redemptions is not None and _uses(coupon, now) >= coupon.max_redemptions:
        raise Conflict(f"the discount code {code} has been used up", code="coupon_used_up")
    if coupon.once_per_customer and _uses(coupon, now, email):
        raise Conflict(
            f"the discount code {code} has already been used with this email address",
            code="coupon_already_used",
        )
    return Discount(coupon, amount_off(coupon, amount))


def redeem(order: Order) -> None:
    """Count the coupon a fulfilled order carries, once however often its payment is reported."""
    if order.coupon_id is None:
        return
    CouponRedemption.insert(
        coupon=order.coupon_id,
        order=order.id,
        customer_email=order.customer_email,
        discount_minor=order.discount_minor,
        created_at=utcnow(),
    ).on_conflict_ignore().execute()


def _find(coach: Coach, code: str) -> Coupon | None:
    text = code.strip().upper() if isinstance(code, str) else ""
    if not CODE.fullmatch(text):
        return None
    return Coupon.get_or_none((Coupon.coach == coach) & (Coupon.code == text))


def _uses(coupon: Coupon, now: datetime, email: str | None = None) -> int:
    """Fulfilled uses of ``coupon`` plus those held by orders that can still be paid (their
    checkout not expired, or still opening), by everyone or by ``email``."""
    redeemed = CouponRedemption.select().where(CouponRedemption.coupon == coupon)
    holding = Order.select().where(
        (Order.coupon == coupon)
        & Order.status.in_(OPEN)
        & (
            (Order.expires_at > now)
            | (
                Order.expires_at.is_null()
                & (Order.status == PENDING)
                & (Order.created_at > now - OPENING)
            )
        )
    )
    if email is not None:
        address = email.strip().lower()
        redeemed = redeemed.where(fn.LOWER(CouponRedemption.customer_email) == address)
        holding = holding.where(fn.LOWER(Order.customer_email) == address)
    return redeemed.count() + holding.count()
