"""Warn clients before their unused session credits expire, with their link to book them.

This use case lives above commerce and messaging: it reads the ledger and writes an email."""

from __future__ import annotations

from datetime import datetime, timedelta

from coachctl.config import Settings
from coachctl.engine import formats, links, parse
from coachctl.engine.commerce import credits
from coachctl.engine.messaging import notify
from coachctl.store.db import write_transaction
from coachctl.store.models import BookingType, Coach, CreditLedger, Order, Outbox, utcnow

KIND = "credits_expiring"


def queue_expiry_reminders(settings: Settings, now: datetime | None = None) -> int:
    """Queue the email telling a client that their unused credits expire within
    ``settings.credit_reminder_days`` (0 turns it off), once per grant and expiry date; return
    how many were queued."""
    now = now or utcnow()
    lead = timedelta(days=settings.credit_reminder_days)
    due = credits.expiring(now, lead) if lead else []
    if not due:
        return 0
    keys = [credits.reminder_key(grant) for grant, _ in due]
    known = {
        k for (k,) in Outbox.select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(keys)).tuples()
    }
    queued = 0
    for (grant, _), key in zip(due, keys, strict=True):
        if key in known:
            continue
        with write_transaction(lock_key=grant.coach_id):
            fresh = CreditLedger.get_by_id(grant.id)  # a booking or an extension may have won
            left = credits.remaining(fresh)
            if left > 0 and fresh.expires_at == grant.expires_at:
                queued += _queue(fresh, left, settings, now)
    return queued


def _queue(grant: CreditLedger, left: int, settings: Settings, now: datetime) -> bool:
    coach = Coach.get_by_id(grant.coach_id)
    kind = BookingType.get_by_id(grant.booking_type_id)
    order = Order.get_or_none(Order.id == grant.order_id) if grant.order_id else None
    token = links.credits_pass(settings, coach, grant.customer_email)
    local = grant.expires_at.astimezone(parse.zone(coach.timezone)).date()
    return notify.queue_template(
        KIND,
        {
            "coach": coach,
            "kind": kind,
            "name": order.customer_name if order else None,
            "credits": left,
            "expires": formats.day(local, weekday=False),
            "book_url": f"{settings.base_url}/book/{coach.slug}/{kind.slug}?pass={token}",
        },
        to=grant.customer_email,
        dedupe_key=credits.reminder_key(grant),
        coach=coach,
        send_after=now,
    )
