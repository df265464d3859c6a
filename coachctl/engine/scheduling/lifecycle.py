"""The booking lifecycle: status names, the one transition table, and what every move does.

Every change of a booking's status goes through ``move`` inside the caller's write transaction,
so each move does the same things every time: it bumps the invite's SEQUENCE, clears the unpaid
hold (an expiry keeps it, as the record that the hold lapsed rather than was cancelled), returns
a spent credit where the move says so (a cancellation in time does, a late one need not), drops
pending reminders, and queues the emails the client and coach get while they hold an invite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coachctl.config import Settings
from coachctl.engine import tracking
from coachctl.engine.commerce import credits
from coachctl.engine.errors import Conflict
from coachctl.engine.messaging import notify
from coachctl.engine.scheduling import cancel_policy
from coachctl.store.models import Booking

PENDING = "PENDING"
CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
COMPLETED = "COMPLETED"
NO_SHOW = "NO_SHOW"
STATUSES = (PENDING, CONFIRMED, CANCELLED, COMPLETED, NO_SHOW)
OPEN = (PENDING, CONFIRMED)


@dataclass(frozen=True)
class Move:
    """One row of the transition table."""

    sources: frozenset[str]
    target: str | None  # None keeps the status (a reschedule)
    verb: str
    email: str | None  # the change the client is told of, when they hold an invite
    returns_credit: bool = False


MOVES: dict[str, Move] = {
    "confirm": Move(frozenset({PENDING}), CONFIRMED, "confirmed", "confirmed"),
    # a late payment for a hold that lapsed, when its time is still free
    "revive": Move(frozenset({CANCELLED}), CONFIRMED, "confirmed", "confirmed"),
    "reschedule": Move(frozenset(OPEN), None, "rescheduled", "rescheduled"),
    # the coach sets where the session happens (a video link sent later, a new address)
    "relocate": Move(frozenset(OPEN), None, "updated", "updated"),
    "cancel": Move(frozenset(OPEN), CANCELLED, "cancelled", "cancelled", returns_credit=True),
    # a client's cancellation within the notice, when the policy keeps the credit it spent
    "cancel_late": Move(frozenset(OPEN), CANCELLED, "cancelled", "cancelled"),
    "expire": Move(frozenset({PENDING}), CANCELLED, "expired", None),
    # the order that paid for it was refunded: the money, not a credit, comes back, and the
    # refund email (sales) tells the client both, with the cancelled invite
    "refund": Move(frozenset(OPEN), CANCELLED, "cancelled", None),
    # the coach records how a session went; either can correct the other (the worker marks
    # ended sessions completed, and the coach may then record a no-show)
    "complete": Move(frozenset({CONFIRMED, NO_SHOW}), COMPLETED, "completed", None),
    "no_show": Move(frozenset({CONFIRMED, COMPLETED}), NO_SHOW, "marked a no-show", None),
}


def refusal(booking: Booking, move: str, now: datetime | None = None) -> str | None:
    """Why ``booking`` may not make ``move`` (at ``now``), or None when it may."""
    if booking.status not in MOVES[move].sources:
        state = "a no-show" if booking.status == NO_SHOW else booking.status.lower()
        return f"booking {booking.id} is {state} and cannot be {MOVES[move].verb}"
    if move == "revive" and booking.hold_expires_at is None:
        return f"booking {booking.id} was cancelled on purpose and cannot be confirmed by a payment"
    if move in ("complete", "no_show") and now is not None and booking.start > now:
        return f"booking {booking.id} has not started yet and cannot be {MOVES[move].verb}"
    return None


def move(
    booking: Booking,
    name: str,
    settings: Settings,
    now: datetime,
    *,
    previous_start: datetime | None = None,
    said: str = "",
) -> Booking:
    """Apply move ``name`` to ``booking`` (already re-read in the caller's write transaction).

    Raises Conflict when the table does not allow it. For ``reschedule`` the caller has set the
    new times and passes the ``previous_start``; ``said`` is what a cancellation did with the
    money, for the emails.
    """
    rule = MOVES[name]
    reason = refusal(booking, name, now)
    if reason:
        raise Conflict(reason, code="bad_transition")
    informed = CONFIRMED in (booking.status, rule.target)
    # a session counts as booked once it is confirmed, and as cancelled only if it was
    if rule.target == CONFIRMED and booking.status != CONFIRMED:
        tracking.record(booking.coach_id, "booking_created", at=now)
    elif rule.target == CANCELLED and booking.status == CONFIRMED:
        tracking.record(booking.coach_id, "booking_cancelled", at=now)
    if rule.target is not None:
        booking.status = rule.target
    if rule.target == CANCELLED:
        booking.cancelled_at = now
    elif name == "revive":
        booking.cancelled_at = None
    if name != "expire":
        booking.hold_expires_at = None
    booking.sequence += 1
    booking.save()
    if rule.returns_credit and booking.credit_used:
        credits.return_credit(booking)
    if rule.email and informed:
        notify.booking_changed(
            booking,
            rule.email,
            settings,
            previous_start=previous_start,
            now=now,
            said=said,
            policy=cancel_policy.policy_words(booking.booking_type),
        )
    else:
        notify.drop_reminders(booking)
    return booking
