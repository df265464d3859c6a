"""Orders and their lifecycle: start a checkout, fulfil it from provider events (idempotently, in
one transaction per event), expire held slots, and refund.

The provider's webhook is the source of truth. Every event id is recorded in ``ProcessedEvent`` in
the same transaction as its effects, so a replay changes nothing, and an order's status only moves
forward (a late ``expired`` never undoes ``PAID``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from coachctl.config import Settings
from coachctl.engine import analytics, credits, notify, parse
from coachctl.engine.catalog import get_product, price_of
from coachctl.engine.errors import Conflict, Invalid, NotFound, Unavailable
from coachctl.engine.money import Money
from coachctl.engine.payments import LineItem, Provider, SandboxProvider, provider_for
from coachctl.engine.schedule import load_calendar, rules_for
from coachctl.engine.signing import sign, unsign
from coachctl.store.db import lock_coach, write_transaction
from coachctl.store.models import Booking, Coach, Order, ProcessedEvent, Product, utcnow

log = logging.getLogger("coachctl.checkout")
STATUSES = ("PENDING", "PAID", "FAILED", "REFUNDED", "EXPIRED")
SESSION_LIFETIME = timedelta(minutes=31)  # Stripe accepts 30 minutes to 24 hours
HOLD_GRACE = timedelta(minutes=2)
_NEXT = {
    "PENDING": {"PAID", "FAILED", "EXPIRED"},
    "FAILED": {"PAID", "EXPIRED"},
    "EXPIRED": {"PAID"},
    "PAID": {"REFUNDED"},
    "REFUNDED": set(),
}


def return_urls(settings: Settings, order: Order) -> tuple[str, str]:
    """The signed success and cancel URLs of an order."""
    token = sign(settings.secret, "order", str(order.id))
    base = settings.base_url
    return f"{base}/checkout/success?order={token}", f"{base}/checkout/cancelled?order={token}"


def order_from_link(token: str, settings: Settings) -> Order:
    """The order a signed success/cancel link names."""
    order = Order.get_or_none(Order.id == int(unsign(settings.secret, "order", token)))
    if order is None:
        raise NotFound("this order link is not valid")
    return order


def _open_session(
    order: Order, items: list[LineItem], provider: Provider, settings: Settings, now: datetime
) -> Order:
    expires = now + SESSION_LIFETIME
    success, cancel = return_urls(settings, order)
    try:
        session = provider.create_session(order, items, success, cancel, expires)
    except Exception as error:  # whatever the SDK raised, the visitor gets one clear answer
        log.warning("checkout session for order %s failed: %s", order.id, error)
        with write_transaction(lock_key=order.coach_id):
            Order.update(status="FAILED").where(Order.id == order.id).execute()
            _release(order, now)  # no way to pay means no reason to hold the slot
        raise Unavailable("the payment provider could not be reached; please try again") from None
    with write_transaction(lock_key=order.coach_id):
        Order.update(
            provider_session_id=session.id, checkout_url=session.url, expires_at=expires
        ).where(Order.id == order.id).execute()
        if order.booking_id:
            Booking.update(hold_expires_at=expires + HOLD_GRACE).where(
                (Booking.id == order.booking_id) & (Booking.status == "PENDING")
            ).execute()
        analytics.record(order.coach_id, "checkout_started", order=order, at=now)
    return Order.get_by_id(order.id)


def start_product_checkout(
    product: Product, email: str, settings: Settings, *, name: str = "", now: datetime | None = None
) -> Order:
    """Create a PENDING order for a product or package and open a checkout session for it."""
    now = now or utcnow()
    email = parse.email(email)
    if not product.active:
        raise NotFound(f"product {product.id} is not on sale")
    provider = provider_for(settings)
    order = Order.create(
        coach=product.coach_id,
        product=product,
        customer_email=email,
        customer_name=name.strip()[:120],
        description=product.title,
        amount_minor=product.price_minor,
        currency=product.currency,
        provider=provider.name,
    )
    price = price_of(product)
    synced = product.stripe_price_id if product.stripe_synced_price == str(price) else None
    item = LineItem(product.title, price.amount, price.currency, synced)
    return _open_session(order, [item], provider, settings, now)


def start_booking_checkout(
    booking: Booking, settings: Settings, *, now: datetime | None = None
) -> Order:
    """Open (or reuse) the checkout paying for a PENDING booking; the slot stays held meanwhile."""
    now = now or utcnow()
    kind = booking.booking_type
    if booking.status != "PENDING" or not kind.requires_payment:
        raise Conflict("this booking has nothing left to pay")
    open_order = (
        Order.select()
        .where((Order.booking == booking) & (Order.status == "PENDING") & (Order.expires_at > now))
        .first()
    )
    if open_order is not None:
        return open_order
    provider = provider_for(settings)
    when = booking.start.astimezone(parse.zone(booking.customer_timezone))
    order = Order.create(
        coach=booking.coach_id,
        booking=booking,
        customer_email=booking.customer_email,
        customer_name=booking.customer_name,
        description=f"{kind.name} on {when:%a %d %b %Y, %H:%M} ({booking.customer_timezone})"[:200],
        amount_minor=kind.price_minor,
        currency=kind.currency,
        provider=provider.name,
    )
    item = LineItem(f"{kind.name} with {booking.coach.name}", kind.price_minor, kind.currency)
    return _open_session(order, [item], provider, settings, now)


def start_checkout(
    settings: Settings,
    *,
    product_id: Any = None,
    booking: Booking | None = None,
    email: str = "",
    name: str = "",
    now: datetime | None = None,
) -> Order:
    """The one entry the faces use: a product/package by id, or a pending paid booking."""
    if booking is not None:
        if parse.email(email).lower() != booking.customer_email.lower():
            raise Invalid("the email does not match the booking")
        return start_booking_checkout(booking, settings, now=now)
    if product_id is None:
        raise Invalid("name a product or a booking to pay for")
    return start_product_checkout(
        get_product(None, product_id, public=True), email, settings, name=name, now=now
    )


def _move(order: Order, status: str, **fields: Any) -> bool:
    if status not in _NEXT[order.status]:
        return False
    order.status = status
    for key, value in fields.items():
        setattr(order, key, value)
    order.save()
    return True


def _confirm_booking(order: Order, settings: Settings, now: datetime) -> None:
    booking = Booking.get_by_id(order.booking_id)
    if booking.status == "PENDING":
        booking.status, booking.hold_expires_at = "CONFIRMED", None
        booking.save()
        notify.booking_changed(booking, "confirmed", settings, now=now)
        return
    if booking.status == "CANCELLED" and booking.hold_expires_at is not None:  # a lapsed hold
        rules = rules_for(booking.booking_type)
        calendar = load_calendar(
            booking.coach, booking.start, booking.end, now, exclude_booking=booking.id
        )
        if calendar.is_free(booking.start, booking.end, rules):
            booking.status, booking.hold_expires_at, booking.cancelled_at = "CONFIRMED", None, None
            booking.save()
            notify.booking_changed(booking, "confirmed", settings, now=now)
            return
    if booking.status == "CANCELLED":
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


def _fulfil(order: Order, payment_id: str | None, settings: Settings, now: datetime) -> None:
    if not _move(
        order, "PAID", paid_at=now, provider_payment_id=payment_id or order.provider_payment_id
    ):
        return
    granted = None
    if order.product_id:
        product = Product.get_by_id(order.product_id)
        granted = credits.grant_credits(order, product, now)
    if order.booking_id:
        _confirm_booking(order, settings, now)
    coach = Coach.get_by_id(order.coach_id)
    book_url = credits_booking_url(order, settings)
    subject, text, html = notify.render_email(
        "purchase",
        {
            "order": order,
            "coach": coach,
            "amount": Money(order.amount_minor, order.currency).display(),
            "credits": granted.delta if granted else 0,
            "book_url": book_url,
            "expires": f"{granted.expires_at:%d %b %Y}" if granted and granted.expires_at else None,
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
    analytics.record(coach, "checkout_completed", order=order, at=now)
    analytics.record(coach, "purchase", order=order, at=now)


def _release(order: Order, now: datetime) -> None:
    if order.booking_id:
        Booking.update(status="CANCELLED", cancelled_at=now).where(
            (Booking.id == order.booking_id) & (Booking.status == "PENDING")
        ).execute()


def _refunded(order: Order, settings: Settings, now: datetime) -> None:
    if not _move(order, "REFUNDED", refunded_at=now):
        return
    credits.claw_back(order)
    booking = Booking.get_or_none(Booking.id == order.booking_id) if order.booking_id else None
    if booking is not None and booking.status == "CONFIRMED" and booking.start > now:
        booking.status, booking.cancelled_at = "CANCELLED", now
        booking.sequence += 1
        booking.save()
        notify.booking_changed(booking, "cancelled", settings, now=now)


def _find_order(obj: dict[str, Any]) -> Order | None:
    reference = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("order_id")
    if reference and str(reference).isdigit():
        return Order.get_or_none(Order.id == int(reference))
    if obj.get("object") == "checkout.session" and obj.get("id"):
        return Order.get_or_none(Order.provider_session_id == obj["id"])
    if obj.get("payment_intent"):
        return Order.get_or_none(Order.provider_payment_id == obj["payment_intent"])
    return None


def handle_event(
    event: dict[str, Any],
    settings: Settings,
    *,
    provider: str = "stripe",
    now: datetime | None = None,
) -> str:
    """Apply one provider event exactly once: ``processed``, ``duplicate`` or ``ignored``."""
    now = now or utcnow()
    kind, event_id = event.get("type", ""), event.get("id", "")
    obj = (event.get("data") or {}).get("object") or {}
    if not event_id or not kind:
        raise Invalid("an event needs an id and a type")
    with write_transaction():
        fresh = (
            ProcessedEvent.insert(provider=provider, event_id=event_id, event_type=kind[:80])
            .on_conflict_ignore()
            .as_rowcount()
            .execute()
        )
        if not fresh:
            return "duplicate"
        order = _find_order(obj)
        if order is None or order.provider != provider:
            return "ignored"
        lock_coach(order.coach_id)  # a held slot may be confirmed: serialise with new bookings
        if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            if kind.endswith("succeeded") or obj.get("payment_status") in (
                "paid",
                "no_payment_required",
            ):
                _fulfil(order, obj.get("payment_intent"), settings, now)
            elif obj.get("payment_intent"):
                order.provider_payment_id = obj["payment_intent"]
                order.save()
        elif kind in ("checkout.session.async_payment_failed", "payment_intent.payment_failed"):
            _move(order, "FAILED")
            if kind.startswith("checkout.session"):
                _release(order, now)
        elif kind == "checkout.session.expired":
            if _move(order, "EXPIRED"):
                _release(order, now)
        elif kind == "charge.refunded":
            if obj.get("refunded") or obj.get("amount_refunded", 0) >= obj.get("amount", 1):
                _refunded(order, settings, now)
        else:
            return "ignored"
    return "processed"


def _sandbox_event(kind: str, order: Order, **fields: Any) -> dict[str, Any]:
    """A Stripe-shaped event for the sandbox; its id is fixed, so a repeated click is a replay."""
    obj = {
        "id": order.provider_session_id,
        "object": "checkout.session",
        "client_reference_id": str(order.id),
        "metadata": {"order_id": str(order.id)},
        "payment_intent": f"pi_sandbox_{order.id}",
        **fields,
    }
    return {"id": f"evt_sandbox_{order.id}_{kind}", "type": kind, "data": {"object": obj}}


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
    if order.status in ("PENDING", "FAILED") and order.expires_at and order.expires_at <= now:
        expire_overdue(settings, now=now)
        raise Conflict("this test checkout has expired; start again")
    handle_event(
        _sandbox_event("checkout.session.completed", order, payment_status="paid"),
        settings,
        provider="sandbox",
        now=now,
    )
    return Order.get_by_id(order.id)


def decline_sandbox(order: Order, settings: Settings, *, now: datetime | None = None) -> Order:
    """The sandbox's Decline button: a failed card payment (the session stays open to retry)."""
    handle_event(
        {
            "id": f"evt_sandbox_{order.id}_payment_failed_{secrets.token_hex(6)}",
            "type": "payment_intent.payment_failed",
            "data": {
                "object": {
                    "id": f"pi_sandbox_{order.id}",
                    "object": "payment_intent",
                    "metadata": {"order_id": str(order.id)},
                }
            },
        },
        settings,
        provider="sandbox",
        now=now,
    )
    return Order.get_by_id(order.id)


def abandon_checkout(booking: Booking, settings: Settings, *, now: datetime | None = None) -> int:
    """Close the open checkouts of a booking that was cancelled before it was paid.

    Stripe sessions are expired at Stripe (its ``checkout.session.expired`` event then closes the
    order); sandbox orders expire at once. A provider that cannot be reached is logged: its
    session runs out by itself, and a late payment is reported to the coach, never booked.
    """
    now = now or utcnow()
    open_orders = list(
        Order.select().where((Order.booking == booking) & Order.status.in_(("PENDING", "FAILED")))
    )
    for order in open_orders:
        if order.provider == "sandbox":
            handle_event(
                _sandbox_event("checkout.session.expired", order),
                settings,
                provider="sandbox",
                now=now,
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
            (Order.provider == "sandbox")
            & Order.status.in_(("PENDING", "FAILED"))
            & (Order.expires_at <= now)
        )
    )
    for order in overdue:
        handle_event(
            _sandbox_event("checkout.session.expired", order), settings, provider="sandbox", now=now
        )
    return len(overdue)


def refund_order(order: Order, settings: Settings, *, now: datetime | None = None) -> Order:
    """Ask the provider to refund a paid order; the refund event then marks it REFUNDED."""
    if order.status != "PAID":
        raise Conflict(
            f"order {order.id} is {order.status.lower()}; only paid orders can be refunded"
        )
    if order.provider == "stripe" and not settings.stripe_secret_key:
        raise Invalid("this order was paid through Stripe; set STRIPE_SECRET_KEY to refund it")
    provider = SandboxProvider(settings) if order.provider == "sandbox" else provider_for(settings)
    try:
        refund_id = provider.refund(order)
    except Exception as error:
        log.warning("refund of order %s failed: %s", order.id, error)
        raise Unavailable(f"the refund could not be requested: {error}") from None
    if order.provider == "sandbox":
        handle_event(
            {
                "id": f"evt_sandbox_{order.id}_refunded",
                "type": "charge.refunded",
                "data": {
                    "object": {
                        "id": refund_id,
                        "object": "charge",
                        "refunded": True,
                        "amount": order.amount_minor,
                        "amount_refunded": order.amount_minor,
                        "payment_intent": order.provider_payment_id,
                        "metadata": {"order_id": str(order.id)},
                    }
                },
            },
            settings,
            provider="sandbox",
            now=now,
        )
    return Order.get_by_id(order.id)


def credits_pass(settings: Settings, coach: Coach, email: str) -> str:
    """A signed pass that lets ``email`` spend their session credits with ``coach``."""
    return sign(settings.secret, "credits", f"{coach.id}:{email.lower()}")


def credits_booking_url(order: Order, settings: Settings) -> str | None:
    """Where the buyer of a paid package books its sessions (with their pass), else None."""
    product = Product.get_or_none(Product.id == order.product_id) if order.product_id else None
    if order.status != "PAID" or product is None or not product.credits:
        return None
    coach = Coach.get_by_id(order.coach_id)
    token = credits_pass(settings, coach, order.customer_email)
    return f"{settings.base_url}/book/{coach.slug}?pass={token}"


def email_from_pass(settings: Settings, coach: Coach, token: str) -> str:
    """The email a credits pass was issued to, for this coach only."""
    coach_id, _, email = unsign(settings.secret, "credits", token).partition(":")
    if coach_id != str(coach.id) or not email:
        raise NotFound("this booking pass is not valid")
    return email


def get_order(coach: Coach, order_id: int) -> Order:
    """One of the coach's orders."""
    order = Order.get_or_none((Order.id == order_id) & (Order.coach == coach))
    if order is None:
        raise NotFound(f"no order {order_id} for {coach.slug}")
    return order


def list_orders(coach: Coach, status: str | None = None) -> list[Order]:
    """The coach's orders, newest first, optionally of one status."""
    query = Order.select().where(Order.coach == coach)
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
        "email": order.customer_email,
        "provider": order.provider,
        "product": order.product_id,
        "booking": order.booking_id,
        "created_at": parse.format_instant(order.created_at),
        "paid_at": parse.format_instant(order.paid_at) if order.paid_at else None,
    }
