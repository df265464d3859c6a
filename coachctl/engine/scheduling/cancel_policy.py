"""The cancellation policy: what cancelling a booking does with its money or its credit.

Cancelling in time (before the type's cancel notice), or by the coach, gives everything back:
the card payment in full, or the session credit. A client's late cancellation follows the type's
``late_refund_percent``: that share of the payment comes back, and a credit only at 100%.
A free session costs nothing either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from coachctl.engine import formats
from coachctl.engine.commerce import credits, refunds
from coachctl.engine.commerce.money import Money
from coachctl.store.models import Booking, BookingType, Order, Refund

CARD, CREDIT, FREE = "card", "credit", "free"


@dataclass(frozen=True)
class Outcome:
    """What one cancellation does: the refund to the card, or what happens to the credit."""

    paid_by: str  # CARD, CREDIT or FREE
    late: bool  # a client's cancellation within the notice
    order: Order | None = None
    paid: Money | None = None  # what is still refundable of the card payment
    refund: Money | None = None
    credit_back: bool = False

    @property
    def preview(self) -> str:
        """What cancelling now will do, for the client, before they confirm."""
        why = " because it is within the cancellation notice" if self.late else ""
        if self.paid_by == CREDIT:
            if self.credit_back:
                return "Cancelling now returns your session credit."
            return f"Cancelling now uses up your session credit{why}."
        if self.paid_by == CARD and self.paid is not None:
            if self.refund is None:
                return f"Cancelling now refunds nothing{why}."
            if self.refund == self.paid:
                return f"Cancelling now refunds {self.paid.display()} in full."
            return f"Cancelling now refunds {self.refund.display()} of {self.paid.display()}."
        return "Cancelling costs nothing."

    @property
    def for_coach(self) -> str:
        """What the cancellation did, in a few words for the coach ("" for a free session)."""
        if self.paid_by == CREDIT:
            return "the session credit goes back" if self.credit_back else "the credit stays used"
        if self.paid_by == CARD and self.paid is not None:
            if self.refund is None:
                return "no refund (a late cancellation)"
            if self.refund == self.paid:
                return f"refunding {self.paid.display()} in full"
            return f"refunding {self.refund.display()} of {self.paid.display()}"
        return ""

    @property
    def done(self) -> str:
        """What the cancellation did, for the client's email and page."""
        if self.paid_by == CREDIT:
            if self.credit_back:
                return "The session credit you used is back in your balance."
            if self.late:
                return "The session credit was used: the session was cancelled within the notice."
            return "The session credit is not returned."
        if self.paid_by == CARD and self.paid is not None:
            if self.refund is None:
                return "No refund is due: the session was cancelled within the notice."
            if self.refund == self.paid:
                return f"Your payment of {self.paid.display()} is refunded in full."
            return f"{self.refund.display()} of your {self.paid.display()} payment is refunded."
        return ""


@dataclass(frozen=True)
class Cancellation:
    """A booking just cancelled, what the policy did, and the card refund to send, if any."""

    booking: Booking
    outcome: Outcome
    refund: Refund | None = None
    refund_error: str = ""  # the provider could not be reached; the worker sends it later


def _card_order(booking: Booking, statuses: tuple[str, ...] = ("PAID",)) -> Order | None:
    """The order that paid for ``booking`` by card, if any."""
    return (
        Order.select()
        .where((Order.booking == booking) & Order.status.in_(statuses) & (Order.amount_minor > 0))
        .order_by(Order.id)
        .first()
    )


def is_late(booking: Booking, now: datetime) -> bool:
    """Whether ``now`` is within the type's cancel notice before the session."""
    return booking.start - now < timedelta(minutes=booking.booking_type.cancel_notice)


def outcome(booking: Booking, *, by_coach: bool, now: datetime) -> Outcome:
    """What cancelling ``booking`` at ``now`` does, by the coach or by the client."""
    late = is_late(booking, now) and not by_coach
    percent = booking.booking_type.late_refund_percent if late else 100
    if booking.credit_used:
        back = percent == 100 and credits.can_return(booking)
        return Outcome(CREDIT, late, credit_back=back)
    order = _card_order(booking)
    if order is None:
        return Outcome(FREE, late)
    left = refunds.refundable(order)
    paid = Money(left, order.currency)
    share = left * percent // 100
    refund = Money(share, order.currency) if share > 0 else None
    return Outcome(CARD, late, order, paid, refund)


def settled(booking: Booking) -> Outcome | None:
    """What the cancellation of a cancelled ``booking`` did, read back from the ledger and its
    refund; None for a booking that is not cancelled."""
    if booking.status != "CANCELLED":
        return None
    if booking.credit_used:
        back = credits.credit_returned(booking)
        return Outcome(CREDIT, not back, credit_back=back)
    order = _card_order(booking, ("PAID", "REFUNDED"))
    if order is None:
        return Outcome(FREE, False)
    refund = Refund.get_or_none(Refund.request_key == f"cancel:{booking.id}")
    paid = Money(order.amount_minor, order.currency)
    amount = refund.amount_minor if refund else order.refunded_minor
    back = Money(amount, order.currency) if amount else None
    return Outcome(CARD, back is None, order, paid, back)


def policy_words(kind: BookingType) -> str:
    """The policy in plain words, shown before the client books and in their confirmation."""
    notice = formats.duration_words(kind.cancel_notice)
    if not (kind.requires_payment and kind.price_minor):
        return f"You can reschedule online up to {notice} before the session, and cancel any time."
    percent = kind.late_refund_percent
    later = (
        "there is no refund"
        if percent == 0
        else "you still get a full refund"
        if percent == 100
        else f"{percent}% of the price is refunded"
    )
    credit = "" if percent == 100 else " (a session credit is used up)"
    return f"Free cancellation up to {notice} before the session. After that, {later}{credit}."
