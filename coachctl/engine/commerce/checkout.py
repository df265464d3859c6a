"""Orders and their one transition table: create them, move them, find them, show them.

An order's status only moves forward (a late ``expired`` never undoes ``PAID``); refunds in part
keep it PAID with ``refunded_minor`` rising until all of it is back. Starting a checkout is a use
case in ``engine.sales``, applying what the payment provider reports one in
``engine.payment_events``.
"""

from __future__ import annotations

from typing import Any

from peewee import JOIN

from coachctl.engine import formats, parse
from coachctl.engine.commerce import refunds
from coachctl.engine.commerce.money import Money
from coachctl.engine.commerce.payments import PaymentEvent
from coachctl.engine.errors import Invalid, NotFound
from coachctl.store.models import Booking, Coach, Coupon, Order, Product

PENDING, PAID, FAILED, REFUNDED, EXPIRED = "PENDING", "PAID", "FAILED", "REFUNDED", "EXPIRED"
STATUSES = (PENDING, PAID, FAILED, REFUNDED, EXPIRED)
OPEN = (PENDING, FAILED)
NEXT = {
    PENDING: {PAID, FAILED, EXPIRED},
    FAILED: {PAID, EXPIRED},
    EXPIRED: {PAID},
    PAID: {REFUNDED},
    REFUNDED: set(),
}


def move_order(order: Order, status: str, **fields: Any) -> bool:
    """Move ``order`` to ``status`` if the table allows it, saving ``fields`` with it."""
    if status not in NEXT[order.status]:
        return False
    order.status = status
    for key, value in fields.items():
        setattr(order, key, value)
    order.save()
    return True


def new_product_order(
    product: Product,
    email: str,
    name: str,
    provider: str,
    *,
    coupon: Coupon | None = None,
    discount_minor: int = 0,
) -> Order:
    """A PENDING order for a product or package on sale, less ``discount_minor`` by ``coupon``."""
    if not product.active:
        raise NotFound(f"product {product.id} is not on sale")
    return Order.create(
        coach=product.coach_id,
        product=product,
        customer_email=parse.email(email),
        customer_name=name.strip()[:120],
        description=product.title,
        amount_minor=product.price_minor - discount_minor,
        currency=product.currency,
        provider=provider,
        coupon=coupon,
        discount_minor=discount_minor,
    )


def booking_description(booking: Booking) -> str:
    """What an order for ``booking`` paid for: the session and when, in the client's zone."""
    when = formats.span(booking.start, None, booking.customer_timezone)
    return f"{booking.booking_type.name} on {when}"[:200]


def follow_booking(booking: Booking) -> int:
    """Re-describe the orders of a booking that moved; return how many changed."""
    return (
        Order.update(description=booking_description(booking))
        .where(Order.booking == booking)
        .execute()
    )


def new_booking_order(
    booking: Booking, provider: str, *, coupon: Coupon | None = None, discount_minor: int = 0
) -> Order:
    """A PENDING order paying for a held booking, described in the client's zone, less
    ``discount_minor`` by ``coupon``."""
    kind = booking.booking_type
    return Order.create(
        coach=booking.coach_id,
        booking=booking,
        customer_email=booking.customer_email,
        customer_name=booking.customer_name,
        description=booking_description(booking),
        amount_minor=kind.price_minor - discount_minor,
        currency=kind.currency,
        provider=provider,
        coupon=coupon,
        discount_minor=discount_minor,
    )


def open_order_for(booking: Booking, now: Any) -> Order | None:
    """The booking's checkout that can still be paid, if any."""
    return (
        Order.select()
        .where((Order.booking == booking) & (Order.status == PENDING) & (Order.expires_at > now))
        .first()
    )


def order_for_event(event: PaymentEvent, provider: str) -> Order | None:
    """The order a provider event is about, by our reference, its session or its payment."""
    order = None
    if event.order_id is not None:
        order = Order.get_or_none(Order.id == event.order_id)
    elif event.session_id:
        order = Order.get_or_none(Order.provider_session_id == event.session_id)
    elif event.payment_id:
        order = Order.get_or_none(Order.provider_payment_id == event.payment_id)
    return order if order is not None and order.provider == provider else None


def get_order(coach: Coach, order_id: int) -> Order:
    """One of the coach's orders."""
    order = Order.get_or_none((Order.id == order_id) & (Order.coach == coach))
    if order is None:
        raise NotFound(f"no order {order_id} for {coach.slug}")
    return order


def list_orders(coach: Coach, status: str | None = None) -> list[Order]:
    """The coach's orders with their coupons, newest first, optionally of one status."""
    query = (
        Order.select(Order, Coupon)
        .join(Coupon, JOIN.LEFT_OUTER, on=(Order.coupon == Coupon.id))
        .where(Order.coach == coach)
    )
    if status:
        status = status.upper()
        if status not in STATUSES:
            raise Invalid(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        query = query.where(Order.status == status)
    return list(query.order_by(Order.id.desc()))


def order_to_dict(order: Order) -> dict[str, Any]:
    """The JSON shape of an order."""
    return {
        "id": order.id,
        "status": order.status,
        "description": order.description,
        "amount": order.amount_minor,
        "currency": order.currency,
        "amount_display": Money(order.amount_minor, order.currency).display(),
        "discount": order.discount_minor,
        "discount_display": Money(order.discount_minor, order.currency).display()
        if order.discount_minor
        else None,
        "coupon": order.coupon.code if order.coupon_id else None,
        "email": order.customer_email,
        "provider": order.provider,
        "product": order.product_id,
        "booking": order.booking_id,
        "created_at": parse.format_instant(order.created_at),
        "paid_at": parse.format_instant(order.paid_at) if order.paid_at else None,
        "refunded": order.refunded_minor,
        "refunded_display": Money(order.refunded_minor, order.currency).display(),
        "refundable": refunds.refundable(order),
    }
