"""Trusted analytics events, written by the engine inside the transactions that make them true.

A checkout, a payment, a refund or a booking is counted in the same transaction that records it,
so the count can never disagree with the orders and bookings, and no visitor can forge one: the
public ingest endpoint refuses these types (see ``insights.analytics``). ``enrolment`` is for
courses: their enrolment use case records it the same way.
"""

from __future__ import annotations

from datetime import datetime

from coachctl.store.models import AnalyticsEvent, Coach, Order

TRUSTED = (
    "checkout_started",
    "checkout_completed",
    "purchase",
    "refund",
    "booking_created",
    "booking_cancelled",
    "enrolment",
)


def record(
    coach: Coach | int,
    kind: str,
    *,
    order: Order | None = None,
    amount_minor: int | None = None,
    path: str = "",
    at: datetime | None = None,
) -> AnalyticsEvent:
    """Store one trusted event in the caller's transaction; an order's product, amount and
    currency travel with it (``amount_minor`` overrides the amount: a refund's own)."""
    if kind not in TRUSTED:
        raise ValueError(f"unknown trusted analytics event {kind!r}")
    fields = {"coach": coach, "type": kind, "path": path[:500], "order": order}
    if order is not None:
        fields.update(
            amount_minor=order.amount_minor if amount_minor is None else amount_minor,
            currency=order.currency,
            product=order.product_id,
        )
    if at is not None:
        fields["occurred_at"] = at
    return AnalyticsEvent.create(**fields)
