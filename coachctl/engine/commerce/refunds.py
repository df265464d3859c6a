"""Refunds of part or all of an order, recorded before the provider is asked.

A refund is written (REQUESTED) in the transaction that decides it, under a ``request_key`` that
makes a retry the same refund. The provider is asked afterwards (SENT), with an idempotency key
derived from the row, so asking again never refunds twice. The provider's event, which reports
the total refunded so far, confirms refunds in the order they were asked (CONFIRMED).
"""

from __future__ import annotations

from datetime import datetime

from peewee import fn

from coachctl.engine.commerce.money import Money
from coachctl.engine.errors import Conflict, Invalid
from coachctl.store.models import Order, Refund

REQUESTED, SENT, CONFIRMED = "REQUESTED", "SENT", "CONFIRMED"
PENDING = (REQUESTED, SENT)


def refundable(order: Order) -> int:
    """What is left to refund of ``order``: its amount less every refund asked or confirmed."""
    if order.status != "PAID":
        return 0
    asked = Refund.select(fn.SUM(Refund.amount_minor)).where(Refund.order == order).scalar()
    return max(order.amount_minor - int(asked or 0), 0)


def request(order: Order, amount: int | None, reason: str, key: str) -> Refund:
    """Record a refund of ``amount`` (None: all that is left) in the caller's transaction.

    The same ``key`` returns the refund already recorded. Conflict when nothing is left to
    refund; Invalid when ``amount`` is more than what is left.
    """
    earlier = Refund.get_or_none(Refund.request_key == key)
    if earlier is not None:
        return earlier
    left = refundable(order)
    if order.status != "PAID":
        raise Conflict(
            f"order {order.id} is {order.status.lower()}; only paid orders can be refunded"
        )
    if left <= 0:
        raise Conflict(f"order {order.id} has been refunded in full already")
    wanted = left if amount is None else amount
    if wanted <= 0:
        raise Invalid("a refund must be more than zero")
    if wanted > left:
        raise Invalid(
            f"order {order.id} has {Money(left, order.currency).display()} left to refund"
        )
    return Refund.create(order=order, amount_minor=wanted, reason=reason, request_key=key)


def pending(order: Order | None = None) -> list[Refund]:
    """Refunds not yet taken by the provider (REQUESTED), oldest first; one order's or all."""
    query = Refund.select().where(Refund.status == REQUESTED)
    if order is not None:
        query = query.where(Refund.order == order)
    return list(query.order_by(Refund.id))


def mark_sent(refund: Refund, provider_refund_id: str) -> None:
    """The provider took the refund; its event will confirm it."""
    Refund.update(status=SENT, provider_refund_id=provider_refund_id[:255], last_error="").where(
        (Refund.id == refund.id) & (Refund.status == REQUESTED)
    ).execute()


def mark_failed_attempt(refund: Refund, error: str) -> None:
    """The provider could not be asked; the refund stays REQUESTED for the next try."""
    Refund.update(last_error=error[:2000]).where(Refund.id == refund.id).execute()


def confirm(order: Order, total: int, now: datetime) -> list[Refund]:
    """Apply the provider's running ``total`` refunded for ``order``; return the refunds it
    newly confirms. Money refunded outside coachctl (the provider's dashboard) is recorded as
    a refund of its own, so the order always matches the provider."""
    total = min(max(total, 0), order.amount_minor)
    if total <= order.refunded_minor:
        return []
    newly: list[Refund] = []
    covered = int(
        Refund.select(fn.SUM(Refund.amount_minor))
        .where((Refund.order == order) & (Refund.status == CONFIRMED))
        .scalar()
        or 0
    )
    for refund in (
        Refund.select()
        .where((Refund.order == order) & Refund.status.in_(PENDING))
        .order_by(Refund.id)
    ):
        if covered + refund.amount_minor > total:
            break
        covered += refund.amount_minor
        refund.status, refund.confirmed_at = CONFIRMED, now
        refund.save()
        newly.append(refund)
    if total > covered:
        newly.append(
            Refund.create(
                order=order,
                amount_minor=total - covered,
                reason="provider",
                request_key=f"provider:{order.id}:{total}",
                status=CONFIRMED,
                confirmed_at=now,
            )
        )
    order.refunded_minor = total
    order.save()
    return newly


def sent(order: Order) -> int:
    """The total the provider has taken or confirmed for ``order``: what its event reports."""
    return int(
        Refund.select(fn.SUM(Refund.amount_minor))
        .where((Refund.order == order) & Refund.status.in_((SENT, CONFIRMED)))
        .scalar()
        or 0
    )
