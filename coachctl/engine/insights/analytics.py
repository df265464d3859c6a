"""Analytics events recorded by the server itself (checkouts and purchases)."""

from __future__ import annotations

from datetime import datetime

from coachctl.store.models import AnalyticsEvent, Coach, Order

TYPES = (
    "page_view",
    "cta_click",
    "checkout_started",
    "checkout_completed",
    "purchase",
    "booking_created",
)


def record(
    coach: Coach | int,
    kind: str,
    *,
    order: Order | None = None,
    path: str = "",
    at: datetime | None = None,
) -> AnalyticsEvent:
    """Store one event; an order's amount and currency travel with it."""
    if kind not in TYPES:
        raise ValueError(f"unknown analytics event {kind!r}")
    fields = {"coach": coach, "type": kind, "path": path[:500], "order": order}
    if order is not None:
        fields.update(amount_minor=order.amount_minor, currency=order.currency)
    if at is not None:
        fields["occurred_at"] = at
    return AnalyticsEvent.create(**fields)
