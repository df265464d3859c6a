"""Selling: start checkouts, drive the sandbox, expire unpaid checkouts, and ask for refunds.

These use cases are where orders meet bookings, coupons and the payment provider, so they live
above commerce and scheduling. What the provider then reports is applied in
``engine.payment_events``.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from coachctl.config import Settings
from coachctl.engine import formats, links, parse, payment_events, tracking
from coachctl.engine.commerce import checkout, coupons, credits, payments, refunds
from coachctl.engine.commerce.catalog import get_product, price_of
from coachctl.engine.commerce.checkout import FAILED, OPEN
from coachctl.engine.commerce.money import Money
from coachctl.engine.commerce.payments import (
    LineItem,
    Provider,
    SandboxProvider,
    StripeProvider,
    provider_for,
    sandbox_event,
)
from coachctl.engine.commerce.stripe_sync import stripe_coupon
from coachctl.engine.errors import Conflict, Invalid, NotFound, Unavailable
from coachctl.engine.scheduling import lifecycle
from coachctl.engine.signing import unsign
from coachctl.store.db import write_transaction
from coachctl.store.models import (
    Booking,
    BookingType,
    Coach,
    Coupon,
    Order,
    Product,
    utcnow,
)

log = logging.getLogger("coachctl.sales")
SESSION_LIFETIME = timedelta(minutes=31)  # Stripe accepts 30 minutes to 24 hours
HOLD_GRACE = timedelta(minutes=2)


def _open_session(
    order: Order, items: list[LineItem], provider: Provider, settings: Settings, now: datetime
) -> Order:
    expires = now + SESSION_LIFETIME
    success, cancel = links.return_urls(settings, order)
    try:
        discount = _provider_coupon(order, provider)
        session = provider.create_session(order, items, success, cancel, expires, discount)
    except Exception as error:  # whatever the SDK raised, the visitor gets one clear answer
        log.warning("checkout session for order %s failed: %s", order.id, error)
        with write_transaction(lock_key=order.coach_id):
            fresh = Order.get_by_id(order.id)
            checkout.move_order(fresh, FAILED)
            # no way to pay means no reason to hold the slot
            payment_events.release(fresh, settings, now)
        raise Unavailable("the payment provider could not be reached; please try again") from None
    with write_transaction(lock_key=order.coach_id):
        Order.update(
            provider_session_id=session.id, checkout_url=session.url, expires_at=expires
        ).where(Order.id == order.id).execute()
        if order.booking_id:
            Booking.update(hold_expires_at=expires + HOLD_GRACE).where(
                (Booking.id == order.booking_id) & (Booking.status == lifecycle.PENDING)
            ).execute()
        tracking.record(order.coach_id, "checkout_started", order=order, at=now)
    return Order.get_by_id(order.id)


def _provider_coupon(order: Order, provider: Provider) -> str | None:
    """Stripe's id of the order's coupon, made there now if the catalog sync has not yet."""
    if order.coupon_id is None or not isinstance(provider, StripeProvider):
        return None
    return stripe_coupon(provider.client, Coupon.get_by_id(order.coupon_id))


def _discount(
    code: str, coach: Coach, what: Product | BookingType, price: Money, email: str, now: datetime
) -> dict[str, Any]:
    """The order fields a coupon code sets (none without a code or a price); call it in the
    coach's write transaction that creates the order."""
    if not code or not price.amount:
        return {}
    found = coupons.price_with(code, coach, what, price.amount, price.currency, email, now)
    return {"coupon": found.coupon, "discount_minor": found.amount}


def start_product_checkout(
    product: Product,
    email: str,
    settings: Settings,
    *,
    name: str = "",
    coupon: str = "",
    now: datetime | None = None,
) -> Order:
    """Create a PENDING order for a product or package, less what ``coupon`` takes off, and open
    a checkout session for it; an order left with nothing to pay is fulfilled at once."""
    now = now or utcnow()
    price = price_of(product)
    provider = provider_for(settings)
    with write_transaction(lock_key=product.coach_id):
        discount = _discount(coupon, product.coach, product, price, email, now)
        if price.amount == discount.get("discount_minor", 0):
            order = checkout.new_product_order(product, email, name, "free", **discount)
            return _give_free(order, settings, now)
        order = checkout.new_product_order(product, email, name, provider.name, **discount)
    synced = product.stripe_price_id if product.stripe_synced_price == str(price) else None
    item = LineItem(product.title, price.amount, price.currency, synced)
    return _open_session(order, [item], provider, settings, now)


def _give_free(order: Order, settings: Settings, now: datetime) -> Order:
    """An order with nothing to pay needs no checkout: it is fulfilled at once, in the caller's
    transaction, and its 'checkout' is the success page."""
    tracking.record(order.coach_id, "checkout_started", order=order, at=now)
    payment_events.fulfil(order, None, settings, now)
    order.checkout_url = links.return_urls(settings, order)[0]
    order.save()
    return order


def start_booking_checkout(
    booking: Booking, settings: Settings, *, coupon: str = "", now: datetime | None = None
) -> Order:
    """Open (or reuse) the checkout paying for a PENDING booking, less what ``coupon`` takes
    off; the slot stays held meanwhile, and a booking left with nothing to pay is confirmed."""
    now = now or utcnow()
    kind = booking.booking_type
    if booking.status != lifecycle.PENDING or not kind.requires_payment:
        raise Conflict("this booking has nothing left to pay")
    open_order = checkout.open_order_for(booking, now)
    if open_order is not None:
        carried = open_order.coupon.code if open_order.coupon_id else ""
        if coupon and coupons.normal_code(coupon) != carried:
            raise Conflict(
                "this booking's checkout is already open; give the discount code when booking",
                code="coupon_too_late",
            )
        return open_order
    price = Money(kind.price_minor, kind.currency)
    provider = provider_for(settings)
    with write_transaction(lock_key=booking.coach_id):
        discount = _discount(coupon, booking.coach, kind, price, booking.customer_email, now)
        if discount and price.amount == discount["discount_minor"]:
            return _give_free(
                checkout.new_booking_order(booking, "free", **discount), settings, now
            )
        order = checkout.new_booking_order(booking, provider.name, **discount)
    item = LineItem(f"{kind.name} with {booking.coach.name}", kind.price_minor, kind.currency)
    return _open_session(order, [item], provider, settings, now)


def start_checkout(
    settings: Settings,
    *,
    product_id: Any = None,
    booking: Booking | None = None,
    email: str = "",
    name: str = "",
    coupon: str = "",
    now: datetime | None = None,
) -> Order:
    """The one entry the faces use: a product/package by id, or a pending paid booking, maybe
    with a coupon code."""
    if booking is not None:
        if parse.email(email).lower() != booking.customer_email.lower():
            raise Invalid("the email does not match the booking")
        return start_booking_checkout(booking, settings, coupon=coupon, now=now)
    if product_id is None:
        raise Invalid("name a product or a booking to pay for")
    return start_product_checkout(
        get_product(None, product_id, public=True),
        email,
        settings,
        name=name,
        coupon=coupon,
        now=now,
    )


def sandbox_order(signed_session: str, settings: Settings) -> Order:
    """The sandbox order a signed test-checkout link names."""
    session_id = unsign(settings.secret, "sandbox", signed_session)
    order = Order.get_or_none(
        (Order.provider_session_id == session_id) & (Order.provider == "sandbox")
    )
    if order is None:
        raise NotFound("this test checkout does not exist")
    return order


def pay_sandbox(order: Order, settings: Settings, *, now: datetime | None = None) -> Order:
    """The sandbox's Pay button: the same event handling as Stripe's completed webhook."""
    now = now or utcnow()
    if order.status in OPEN and order.expires_at and order.expires_at <= now:
        expire_overdue(settings, now=now)
        raise Conflict("this test checkout has expired; start again")
    payment_events.apply_event(
        sandbox_event(payments.PAID, order), settings, provider="sandbox", now=now
    )
    return Order.get_by_id(order.id)


def decline_sandbox(order: Order, settings: Settings, *, now: datetime | None = None) -> Order:
    """The sandbox's Decline button: a failed card payment (the session stays open to retry)."""
    event = sandbox_event(payments.FAILED, order, unique=f"_{secrets.token_hex(6)}")
    payment_events.apply_event(event, settings, provider="sandbox", now=now)
    return Order.get_by_id(order.id)


def abandon_checkout(booking: Booking, settings: Settings, *, now: datetime | None = None) -> int:
    """Close the open checkouts of a booking that was cancelled before it was paid.

    Stripe sessions are expired at Stripe (its ``checkout.session.expired`` event then closes the
    order); sandbox orders expire at once. A provider that cannot be reached is logged: its
    session runs out by itself, and a late payment is reported to the coach, never booked.
    """
    now = now or utcnow()
    open_orders = list(Order.select().where((Order.booking == booking) & Order.status.in_(OPEN)))
    for order in open_orders:
        if order.provider == "sandbox":
            payment_events.apply_event(
                sandbox_event(payments.EXPIRED, order), settings, provider="sandbox", now=now
            )
            continue
        try:
            provider_for(settings).expire(order)
        except Exception as error:  # the session also expires on its own; nothing is lost
            log.warning("could not expire checkout for order %s: %s", order.id, error)
    return len(open_orders)


def expire_overdue(settings: Settings, *, now: datetime | None = None) -> int:
    """Expire sandbox checkouts past their time (Stripe sends its own events); return how many."""
    now = now or utcnow()
    overdue = list(
        Order.select().where(
            (Order.provider == "sandbox") & Order.status.in_(OPEN) & (Order.expires_at <= now)
        )
    )
    for order in overdue:
        payment_events.apply_event(
            sandbox_event(payments.EXPIRED, order), settings, provider="sandbox", now=now
        )
    return len(overdue)


def _provider_of(order: Order, settings: Settings) -> Provider:
    """The provider that took ``order``'s payment (a sandbox order stays with the sandbox)."""
    if order.provider == "sandbox":
        return SandboxProvider(settings)
    if not settings.stripe_secret_key:
        raise Invalid("this order was paid through Stripe; set STRIPE_SECRET_KEY to refund it")
    return provider_for(settings)


def send_refunds(
    settings: Settings, order: Order | None = None, *, now: datetime | None = None
) -> list[str]:
    """Ask the provider for the recorded refunds it has not taken yet (one order's, or all);
    return the errors. A refund the provider could not take stays recorded for the next try,
    and its idempotency key makes that try the same refund."""
    now = now or utcnow()
    errors = []
    for refund in refunds.pending(order):
        paid = Order.get_by_id(refund.order_id)
        try:
            provider_id = _provider_of(paid, settings).refund(
                paid, refund.amount_minor, f"refund-{refund.id}"
            )
        except Exception as error:  # whatever the SDK raised: recorded, retried by the worker
            log.warning("refund %s of order %s failed: %s", refund.id, paid.id, error)
            refunds.mark_failed_attempt(refund, str(error))
            errors.append(f"refund of order {paid.id}: {error}")
            continue
        refunds.mark_sent(refund, provider_id)
        if paid.provider == "sandbox":
            event = sandbox_event(
                payments.REFUNDED, paid, unique=f"_{refund.id}", refunded_minor=refunds.sent(paid)
            )
            payment_events.apply_event(event, settings, provider="sandbox", now=now)
    return errors


def refund_order(
    order: Order,
    settings: Settings,
    *,
    amount: Money | None = None,
    now: datetime | None = None,
) -> Order:
    """Refund ``amount`` of a paid order (all that is left when None) through its provider; the
    provider's event then records it, and a refund of everything marks the order REFUNDED."""
    if order.provider == "free":
        raise Conflict(f"order {order.id} was free; there is nothing to refund")
    _provider_of(order, settings)
    if amount is not None and amount.currency != order.currency:
        raise Invalid(f"order {order.id} was paid in {order.currency}, not {amount.currency}")
    with write_transaction(lock_key=order.coach_id):
        fresh = Order.get_by_id(order.id)
        refunds.request(
            fresh,
            None if amount is None else amount.amount,
            "manual",
            key=f"manual:{fresh.id}:{secrets.token_hex(8)}",
        )
    errors = send_refunds(settings, fresh, now=now)
    if errors:
        raise Unavailable(
            f"the refund is recorded, but the provider could not be reached ({errors[0]});"
            " `coachctl worker` tries again"
        )
    return Order.get_by_id(order.id)


def refund_notice(order: Order, *, now: datetime | None = None) -> str:
    """What refunding all that is left of ``order`` would do, as the question to confirm it:
    the amount, the credits clawed back, the sessions booked on them that stay."""
    if order.status != checkout.PAID:
        raise Conflict(f"order {order.id} is {order.status.lower()}; only paid orders refund")
    left = Money(refunds.refundable(order), order.currency).display()
    text = f"Refund {left} of order {order.id} ({order.description}) to {order.customer_email}?"
    clawed = credits.unspent(order)
    if clawed:
        text += f" {clawed} unspent credit{'s' if clawed != 1 else ''} will be clawed back."
    elif order.product_id and order.product.kind == "PACKAGE":
        text += " No credits are left to claw back."
    for booking in credits.upcoming_on_credits(order, now):
        when = formats.moment(booking.start, order.coach.timezone)
        text += f" The session on {when} was booked with a credit and stays booked."
    return text
