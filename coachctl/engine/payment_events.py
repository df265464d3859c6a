"""What the payment provider reports, applied once: fulfil paid orders, release lapsed holds,
settle refunds.

The provider's webhook is the source of truth: every event id is recorded in ``ProcessedEvent``
in the same transaction as its effects, so a replay changes nothing. An event that arrives before
the state it needs (a refund before the payment) is refused, unrecorded, so that the provider
sends it again. Starting checkouts and asking for refunds are in ``engine.sales``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coachctl.config import Settings
from coachctl.engine import formats, links, tracking
from coachctl.engine.commerce import checkout, coupons, credits, delivery, payments, refunds
from coachctl.engine.commerce.checkout import EXPIRED, FAILED, PAID, PENDING, REFUNDED
from coachctl.engine.commerce.money import Money
from coachctl.engine.commerce.payments import PaymentEvent, parse_stripe_event
from coachctl.engine.errors import Conflict
from coachctl.engine.learning import learners
from coachctl.engine.messaging import coach_notices, ics, notify
from coachctl.engine.scheduling import lifecycle
from coachctl.engine.scheduling.schedule import load_calendar, rules_for, zone_of
from coachctl.store.db import lock_coach, write_transaction
from coachctl.store.models import Booking, Coach, Order, ProcessedEvent, Product, utcnow


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


def fulfil(order: Order, payment_id: str | None, settings: Settings, now: datetime) -> None:
    """Mark ``order`` paid and deliver what it bought, in the caller's transaction: redeem its
    coupon, grant its credits and courses, confirm its booking, and tell the client and the
    coach."""
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
    learners.enrol_for_order(order, settings, now)
    coach = Coach.get_by_id(order.coach_id)
    notify.queue_template(
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
        to=order.customer_email,
        dedupe_key=f"purchase:{order.id}",
        coach=coach,
    )
    _tell_coach(coach, "sale", order, {"amount": Money(order.amount_minor, order.currency)})
    tracking.record(coach, "checkout_completed", order=order, at=now)
    tracking.record(coach, "purchase", order=order, at=now)


def release(order: Order, settings: Settings, now: datetime) -> None:
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
    notify.queue_template(
        f"coach_{kind}",
        context,
        to=coach.email,
        dedupe_key=f"coach-{kind}:{key or order.id}",
        coach=coach,
    )


def _refunds_confirmed(order: Order, total: int | None, settings: Settings, now: datetime) -> None:
    """The provider reports ``total`` refunded so far: confirm the refunds it covers, and close
    the order once all of it is back. A cancellation's refund was explained by the cancellation
    email; every other refund gets its own email, to the client and the coach."""
    newly = refunds.confirm(order, order.amount_minor if total is None else total, now)
    for refund in newly:
        tracking.record(
            order.coach_id, "refund", order=order, amount_minor=refund.amount_minor, at=now
        )
    told = [r for r in newly if r.reason != "cancel"]
    if order.refunded_minor >= order.amount_minor:
        _refunded(order, sum(r.amount_minor for r in told), settings, now, key=f"{order.id}")
    elif told:
        amount = sum(r.amount_minor for r in told)
        _tell_refund(order, amount, settings, key=f"{order.id}:{told[-1].id}")


def _refunded(order: Order, told: int, settings: Settings, now: datetime, key: str) -> None:
    """Mark the order refunded in full, take back its unspent credits and its courses, and cancel
    its future session; the client hears of it (with the cancelled invite) unless nothing new
    was ``told`` (the refund came from a cancellation they asked for)."""
    if not checkout.move_order(order, REFUNDED, refunded_at=now):
        return
    clawed = credits.claw_back(order)
    learners.revoke_for_order(order, now)
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
    attachments = None
    if cancelled is not None:
        attachments = [
            {
                "filename": "invite.ics",
                "method": "CANCEL",
                "content": ics.invite(cancelled, links.manage_url(cancelled, settings)).decode(),
            }
        ]
    notify.queue_template(
        "refund",
        context,
        to=order.customer_email,
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
            fulfil(order, event.payment_id, settings, now)
        elif event.kind == payments.PAYMENT_STARTED:
            if event.payment_id:
                order.provider_payment_id = event.payment_id
                order.save()
        elif event.kind == payments.FAILED:
            checkout.move_order(order, FAILED)
            if event.releases_slot:
                release(order, settings, now)
        elif event.kind == payments.EXPIRED:
            if checkout.move_order(order, EXPIRED):
                release(order, settings, now)
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
