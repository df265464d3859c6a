"""The periodic chores the worker runs: expire checkouts and holds, close past sessions, send
recorded refunds, warn clients whose session credits are about to expire, tell learners that a
dripped lesson has opened, and drop raw analytics events past their retention (rolled up first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coachctl.config import Settings
from coachctl.engine import credit_reminders, sales
from coachctl.engine.insights import rollups
from coachctl.engine.learning import mail
from coachctl.engine.scheduling import bookings
from coachctl.store.models import utcnow


@dataclass(frozen=True)
class Chores:
    """What one round of housekeeping changed."""

    expired_orders: int
    expired_holds: int
    completed: int
    refund_errors: list[str]
    credit_reminders: int
    lessons_opened: int
    events_pruned: int


def run_housekeeping(settings: Settings, now: datetime | None = None) -> Chores:
    """Expire overdue sandbox checkouts (through the event path), lapsed holds, mark ended
    sessions COMPLETED, send the refunds the provider has not taken yet, and queue the reminders
    of credits about to expire and the emails of lessons whose day has come, and prune raw
    analytics events older than ``analytics_retention_days``."""
    now = now or utcnow()
    return Chores(
        expired_orders=sales.expire_overdue(settings, now=now),
        expired_holds=bookings.expire_holds(settings, now),
        completed=bookings.complete_past_bookings(settings, now),
        refund_errors=sales.send_refunds(settings, now=now),
        credit_reminders=credit_reminders.queue_expiry_reminders(settings, now),
        lessons_opened=mail.queue_open_lessons(settings, now),
        events_pruned=rollups.prune(settings, now),
    )
