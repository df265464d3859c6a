"""Products, packages, orders, processed webhook events, the credit ledger and the email outbox."""

from coachctl.store.db import db
from coachctl.store.models import CreditLedger, Order, Outbox, PackageItem, ProcessedEvent, Product


def apply() -> None:
    db.create_tables([Product, PackageItem, Order, ProcessedEvent, CreditLedger, Outbox], safe=True)
