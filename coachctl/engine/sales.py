"""Selling: start checkouts, apply what the payment provider reports, expire and refund.

These use cases are where orders meet bookings, credits, emails and analytics, so they live
above commerce, scheduling, messaging and insights and call each. The provider's webhook is the
source of truth: every event id is recorded in ``ProcessedEvent`` in the same transaction as its
effects, so a replay changes nothing. An event that arrives before the state it needs (a refund
before the payment) is refused, unrecorded, so that the provider sends it again.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from coachctl.config import Settings
from coachctl.engine import formats, links, parse
from coachctl.engine.commerce import checkout, coupons, credits, delivery, payments, refunds
from coachctl.engine.commerce.catalog import get_product, price_of
from coachctl.engine.commerce.checkout import EXPIRED, FAILED, OPEN, PAID, PENDING, REFUNDED
from coachctl.engine.commerce.money import Money
from coachctl.engine.commerce.payments import (
    LineItem,
    PaymentEvent,
    Provider,
    SandboxProvider,
    StripeProvider,
    parse_stripe_event,
    provider_for,
    sandbox_event,
)
from coachctl.engine.commerce.stripe_sync import stripe_coupon
from coachctl.engine.errors import Conflict, Invalid, NotFound, Unavailable
from coachctl.engine.insights import analytics
from coachctl.engine.messaging import coach_notices, ics, notify
from coachctl.engine.scheduling import lifecycle
from coachctl.engine.scheduling.schedule import load_calendar, rules_for, zone_of
from coachctl.engine.signing import unsign
from coachctl.store.db import lock_coach, write_transaction
from coachctl.store.models import (
    Booking,
    BookingType,
    Coach,
    Coupon,
    Order,
    ProcessedEvent,
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
            _release(fresh, settings, now)  # no way to pay means no reason to hold the slot
        raise Unavailable("the payment provider could not be reached; please try again") from None
    with write_transaction(lock_key=order.coach_id):
        Order.update(
            provider_session_id=session.id, checkout_url=session.url, expires_at=expires
        ).where(Order.id == order.id).execute()
        if order.booking_id:
            Booking.update(hold_expires_at=expires + HOLD_GRACE).where(
                (Booking.id == order.booking_id) & (Booking.status == lifecycle.PENDING)
            ).execute()
        analytics.record(order.coach_id, "checkout_started", order=order, at=now)
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
    analytics.record(order.coach_id, "checkout_started", order=order, at=now)
    _fulfil(order, None, settings, now)
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


def _confirm_booking(order: Order, settings: Settings, now: datetime) -> None:
    """A payment arrived for the order's booking: confirm it, revive a lapsed hold, or tell."""
    booking = Booking.get_by_id(order.booking_id)
    if booking.status == lifecycle.PENDING:
        lifecycle.move(booking, "confirm", settings, now)
        return
    if lifecycle.refusal(booking, "revive") is None:
        calendar = load_calendar(
            booking.coach, booking.start, booking.end, now, exclude_booking=booking.id
        )
        if calendar.is_free(booking.start, booking.end, rules_for(booking.booking_type)):
            lifecycle.move(booking, "revive", settings, now)
            return
    if booking.status == lifecycle.CANCELLED:
        coach = booking.coach
        if coach.email:
            notify.queue_email(
                kind="payment_for_released_slot",
                to=coach.email,
                coach=coach,
                booking=booking,
                subject=f"Action needed: paid order #{order.id} for a booking no longer held",
                text=(
                    f"{order.customer_name} <{order.customer_email}> paid order #{order.id} after "
                    f"their booking was cancelled or its time was taken. Refund it with "
                    f"`coachctl orders refund {order.id}` or agree on a new time."
                ),
                dedupe_key=f"released-slot:{order.id}",
            )


def credits_booking_url(order: Order, settings: Settings) -> str | None:
    """Where the buyer of a paid package books its sessions (with their pass), else None."""
    product = Product.get_or_none(Product.id == order.product_id) if order.product_id else None
    if order.status != PAID or product is None or not product.credits:
        return None
    coach = Coach.get_by_id(order.coach_id)
    token = links.credits_pass(settings, coach, order.customer_email)
    return f"{settings.base_url}/book/{coach.slug}?pass={token}"


def _fulfil(order: Order, payment_id: str | None, settings: Settings, now: datetime) -> None:
    if not checkout.move_order(
        order, PAID, paid_at=now, provider_payment_id=payment_id or order.provider_payment_id
    ):
        return
    coupons.redeem(order)
    granted = None
    if order.product_id:
        granted = credits.grant_credits(order, Product.get_by_id(order.product_id), now)
    if order.booking_id:
        _confirm_booking(order, settings, now)
    coach = Coach.get_by_id(order.coach_id)
    subject, text, html = notify.render_email(
        "purchase",
        {
            "order": order,
            "coach": coach,
            "amount": Money(order.amount_minor, order.currency).display(),
            "discount": Money(order.discount_minor, order.currency).display()
            if order.discount_minor
            else None,
            "coupon": order.coupon.code if order.coupon_id else None,
            "credits": granted.delta if granted else 0,
            "book_url": credits_booking_url(order, settings),
            "expires": formats.day(
                granted.expires_at.astimezone(zone_of(coach)).date(), weekday=False
            )
            if granted and granted.expires_at
            else None,
            "downloads": delivery.download_links(order, settings),
            "download_days": round(settings.download_days),
            "order_url": links.return_urls(settings, order)[0],
        },
    )
    notify.queue_email(
        kind="purchase",
        to=order.customer_email,
        subject=subject,
        text=text,
        html=html,
        dedupe_key=f"purchase:{order.id}",
        coach=coach,
    )
    _tell_coach(coach, "sale", order, {"amount": Money(order.amount_minor, order.currency)})
    analytics.record(coach, "checkout_completed", order=order, at=now)
    analytics.record(coach, "purchase", order=order, at=now)


def _release(order: Order, settings: Settings, now: datetime) -> None:
    """The order's checkout ended unpaid: its booking's hold ends with it."""
    if not order.booking_id:
        return
    booking = Booking.get_by_id(order.booking_id)
    if booking.status == lifecycle.PENDING:
        lifecycle.move(booking, "expire", settings, now)


def _tell_coach(
    coach: Coach, kind: str, order: Order, extra: dict[str, Any], *, key: str | None = None
) -> None:
    """Queue the coach's ``sale`` or ``refund`` notice about ``order``, unless turned off."""
    if not coach_notices.wants(coach, kind):
        return
    context = {"order": order, "coach": coach, **extra}
    subject, text, html = notify.render_email(f"coach_{kind}", context)
    notify.queue_email(
        kind=f"coach_{kind}",
        to=coach.email,
        subject=subject,
        text=text,
        html=html,
        dedupe_key=f"coach-{kind}:{key or order.id}",
        coach=coach,
    )


def _refunds_confirmed(order: Order, total: int | None, settings: Settings, now: datetime) -> None:
    """The provider reports ``total`` refunded so far: confirm the refunds it covers, and close
    the order once all of it is back. A cancellation's refund was explained by the cancellation
    email; every other refund gets its own email, to the client and the coach."""
    newly = refunds.confirm(order, order.amount_minor if total is None else total, now)
    told = [r for r in newly if r.reason != "cancel"]
    if order.refunded_minor >= order.amount_minor:
        _refunded(order, sum(r.amount_minor for r in told), settings, now, key=f"{order.id}")
    elif told:
        amount = sum(r.amount_minor for r in told)
        _tell_refund(order, amount, settings, key=f"{order.id}:{told[-1].id}")


def _refunded(order: Order, told: int, settings: Settings, now: datetime, key: str) -> None:
    """Mark the order refunded in full, take back its unspent credits, and cancel its future
    session; the client hears of it (with the cancelled invite) unless nothing new was ``told``
    (the refund came from a cancellation they asked for)."""
    if not checkout.move_order(order, REFUNDED, refunded_at=now):
        return
    clawed = credits.claw_back(order)
    booking = Booking.get_or_none(Booking.id == order.booking_id) if order.booking_id else None
    cancelled = None
    if booking is not None and booking.start > now and lifecycle.refusal(booking, "refund") is None:
        cancelled = lifecycle.move(booking, "refund", settings, now)
    if told or cancelled or clawed:
        _tell_refund(order, told, settings, key=key, credits=clawed, cancelled=cancelled)


def _tell_refund(
    order: Order,
    amount: int,
    settings: Settings,
    *,
    key: str,
    credits: int = 0,
    cancelled: Booking | None = None,
) -> None:
    """Email the client (one email: the refund, the credits taken back, the cancelled session
    with its invite) and the coach about ``amount`` refunded of ``order``."""
    coach = Coach.get_by_id(order.coach_id)
    context = {
        "order": order,
        "coach": coach,
        "amount": Money(amount, order.currency),
        "total": Money(order.amount_minor, order.currency),
        "credits": credits,
        "booking": cancelled,
        "when": formats.span(cancelled.start, cancelled.end, cancelled.customer_timezone)
        if cancelled
        else None,
    }
    subject, text, html = notify.render_email("refund", context)
    attachments = None
    if cancelled is not None:
        attachments = [
            {
                "filename": "invite.ics",
                "method": "CANCEL",
                "content": ics.invite(cancelled, links.manage_url(cancelled, settings)).decode(),
            }
        ]
    notify.queue_email(
        kind="refund",
        to=order.customer_email,
        subject=subject,
        text=text,
        html=html,
        dedupe_key=f"refund:{key}",
        coach=coach,
        booking=cancelled,
        attachments=attachments,
    )
    _tell_coach(coach, "refund", order, context, key=key)


def apply_event(
    event: PaymentEvent, settings: Settings, *, provider: str, now: datetime | None = None
) -> str:
    """Apply one provider event exactly once: ``processed``, ``duplicate`` or ``ignored``.

    A refund for an order that is not paid yet raises Conflict (``event_too_early``) and
    records nothing, so the provider retries it once the payment has been applied.
    """
    now = now or utcnow()
    with write_transaction():
        fresh = (
            ProcessedEvent.insert(
                provider=provider, event_id=event.id[:255], event_type=event.provider_type
            )
            .on_conflict_ignore()
            .as_rowcount()
            .execute()
        )
        if not fresh:
            return "duplicate"
        order = checkout.order_for_event(event, provider)
        if order is None or event.kind not in payments.KINDS:
            return "ignored"
        lock_coach(order.coach_id)  # a held slot may be confirmed: serialise with new bookings
        order = Order.get_by_id(order.id)
        if event.kind == payments.PAID:
            _fulfil(order, event.payment_id, settings, now)
        elif event.kind == payments.PAYMENT_STARTED:
            if event.payment_id:
                order.provider_payment_id = event.payment_id
                order.save()
        elif event.kind == payments.FAILED:
            checkout.move_order(order, FAILED)
            if event.releases_slot:
                _release(order, settings, now)
        elif event.kind == payments.EXPIRED:
            if checkout.move_order(order, EXPIRED):
                _release(order, settings, now)
        elif event.kind == payments.REFUNDED:
            if order.status in (PENDING, FAILED, EXPIRED):
                raise Conflict(
                    f"order {order.id} is not paid yet; send this refund again later",
                    code="event_too_early",
                )
            if order.status == PAID:
                _refunds_confirmed(order, event.refunded_minor, settings, now)
    return "processed"


def handle_stripe_event(event: Any, settings: Settings, *, now: datetime | None = None) -> str:
    """Apply a verified Stripe webhook body (see ``apply_event``)."""
    return apply_event(parse_stripe_event(event), settings, provider="stripe", now=now)


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
    apply_event(sandbox_event(payments.PAID, order), settings, provider="sandbox", now=now)
    return Order.get_by_id(order.id)


def decline_sandbox(order: Order, settings: Settings, *, now: datetime | None = None) -> Order:
    """The sandbox's Decline button: a failed card payment (the session stays open to retry)."""
    event = sandbox_event(payments.FAILED, order, unique=f"_{secrets.token_hex(6)}")
    apply_event(event, settings, provider="sandbox", now=now)
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
            apply_event(
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
        apply_event(sandbox_event(payments.EXPIRED, order), settings, provider="sandbox", now=now)
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
            apply_event(event, settings, provider="sandbox", now=now)
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
