"""Products, packages, orders, webhook events, credits, the email outbox and analytics events."""

from coachctl.store.db import db
from coachctl.store.models import (
    AnalyticsEvent,
    CreditLedger,
    Order,
    Outbox,
    PackageItem,
    ProcessedEvent,
    Product,
)


def apply() -> None:
    db.create_tables(
        [Product, PackageItem, Order, ProcessedEvent, CreditLedger, Outbox, AnalyticsEvent],
        safe=True,
    )
