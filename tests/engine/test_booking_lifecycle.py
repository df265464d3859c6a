"""The booking transition table: every allowed move, every refused one, and what each move does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coachctl.engine.errors import Conflict
from coachctl.engine.scheduling import bookings, lifecycle, schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from coachctl.engine.scheduling.lifecycle import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    MOVES,
    NO_SHOW,
    PENDING,
    STATUSES,
)
from coachctl.store.models import Booking, CreditLedger, Outbox, utcnow
from tests.conftest import utc

NOW = utc(2027, 6, 1, 8)
MONDAY_10 = utc(2027, 6, 7, 9)
ALLOWED = {
    "confirm": {PENDING},
    "revive": {CANCELLED},
    "reschedule": {PENDING, CONFIRMED},
    "relocate": {PENDING, CONFIRMED},
    "cancel": {PENDING, CONFIRMED},
    "cancel_late": {PENDING, CONFIRMED},
    "expire": {PENDING},
    "refund": {PENDING, CONFIRMED},
    "complete": {CONFIRMED, NO_SHOW},
    "no_show": {CONFIRMED, COMPLETED},
}
TARGET = {
    "confirm": CONFIRMED,
    "revive": CONFIRMED,
    "cancel": CANCELLED,
    "cancel_late": CANCELLED,
    "expire": CANCELLED,
    "refund": CANCELLED,
    "complete": COMPLETED,
    "no_show": NO_SHOW,
}


@pytest.fixture
def booking(coach, settings):
    for day in range(5):
        schedule.add_window(coach, day, "09:00", "17:00")
    kind = edit_booking_type(get_booking_type(coach), reminders=[60, 1440])
    customer = bookings.Customer("Ann Client", "ann@example.com", "Europe/Paris")
    return bookings.create_booking(coach, kind, MONDAY_10, customer, settings=settings, now=NOW)


def _in(booking: Booking, status: str, **fields) -> Booking:
    hold = NOW + timedelta(minutes=30) if status in (PENDING, CANCELLED) else None
    Booking.update(status=status, hold_expires_at=hold, **fields).where(
        Booking.id == booking.id
    ).execute()
    return Booking.get_by_id(booking.id)


def _outbox(booking: Booking, kind: str, status: str = "PENDING") -> int:
    return (
        Outbox.select()
        .where((Outbox.booking == booking) & (Outbox.kind == kind) & (Outbox.status == status))
        .count()
    )


def test_the_table_under_test_is_the_engines():
    assert set(MOVES) == set(ALLOWED)
    for name, sources in ALLOWED.items():
        assert MOVES[name].sources == sources, name


@pytest.mark.parametrize(
    ("name", "status"), [(n, s) for n, sources in ALLOWED.items() for s in sorted(sources)]
)
def test_every_allowed_move_reaches_its_status_and_bumps_the_sequence(
    booking, settings, name, status
):
    before = _in(booking, status)
    sequence = before.sequence
    moved = lifecycle.move(before, name, settings, _when(name))
    fresh = Booking.get_by_id(booking.id)
    assert fresh.status == TARGET.get(name, status)
    assert fresh.sequence == sequence + 1
    assert moved.status == fresh.status
    if name == "expire":
        assert fresh.hold_expires_at is not None, "an expiry keeps the lapsed hold on record"
    else:
        assert fresh.hold_expires_at is None
    if fresh.status == CANCELLED:
        assert fresh.cancelled_at == NOW


def _when(name: str):
    """An outcome is recorded once the session has begun; every other move happens before."""
    return MONDAY_10 + timedelta(hours=2) if name in ("complete", "no_show") else NOW


@pytest.mark.parametrize("name", ["complete", "no_show"])
def test_an_outcome_is_refused_before_the_session_starts(booking, settings, name):
    with pytest.raises(Conflict, match="has not started yet"):
        lifecycle.move(Booking.get_by_id(booking.id), name, settings, NOW)
    assert Booking.get_by_id(booking.id).status == CONFIRMED


@pytest.mark.parametrize(
    ("name", "status"),
    [(n, s) for n, sources in ALLOWED.items() for s in STATUSES if s not in sources],
)
def test_every_other_move_is_refused_and_changes_nothing(booking, settings, name, status):
    before = _in(booking, status)
    sequence = before.sequence
    emails = Outbox.select().count()
    with pytest.raises(Conflict) as refused:
        lifecycle.move(before, name, settings, _when(name))
    assert refused.value.code == "bad_transition"
    after = Booking.get_by_id(booking.id)
    assert (after.status, after.sequence) == (status, sequence)
    assert Outbox.select().count() == emails


def test_a_deliberately_cancelled_booking_is_never_confirmed_by_a_late_payment(booking, settings):
    cancelled = bookings.cancel_booking(booking, settings=settings, now=NOW).booking
    assert cancelled.hold_expires_at is None
    with pytest.raises(Conflict, match="cancelled on purpose"):
        lifecycle.move(cancelled, "revive", settings, NOW)
    assert Booking.get_by_id(booking.id).status == CANCELLED


def test_a_lapsed_hold_may_be_revived_by_its_payment(booking, settings):
    held = _in(booking, PENDING)
    expired = lifecycle.move(held, "expire", settings, NOW)
    assert expired.status == CANCELLED and expired.hold_expires_at is not None
    revived = lifecycle.move(Booking.get_by_id(booking.id), "revive", settings, NOW)
    assert revived.status == CONFIRMED and revived.cancelled_at is None
    assert _outbox(booking, "booking_confirmed") == 2  # at booking, and again on revival


def test_cancelling_a_confirmed_booking_tells_the_client_and_drops_its_reminders(booking, settings):
    assert _outbox(booking, "reminder") == 2
    bookings.cancel_booking(booking, settings=settings, now=NOW)
    assert _outbox(booking, "reminder") == 0
    assert _outbox(booking, "booking_cancelled") == 1
    invite = Outbox.get((Outbox.booking == booking) & (Outbox.kind == "booking_cancelled"))
    assert "METHOD:CANCEL" in invite.attachments[0]["content"]
    assert "SEQUENCE:1" in invite.attachments[0]["content"]


def test_cancelling_an_unpaid_hold_sends_nothing(booking, settings):
    held = _in(booking, PENDING)
    emails = Outbox.select().where(Outbox.kind != "reminder").count()
    lifecycle.move(held, "cancel", settings, NOW)
    assert Outbox.select().where(Outbox.kind != "reminder").count() == emails


@pytest.mark.parametrize(
    ("name", "returned"), [("cancel", True), ("cancel_late", False), ("refund", False)]
)
def test_a_spent_credit_comes_back_only_where_the_move_says_so(booking, settings, name, returned):
    spent = _in(booking, CONFIRMED, credit_used=True)
    owner = {
        "coach": spent.coach_id,
        "booking_type": spent.booking_type_id,
        "customer_email": spent.customer_email,
    }
    grant = CreditLedger.create(**owner, delta=3, reason="grant")
    CreditLedger.create(**owner, delta=-1, reason="booking", booking=spent, grant=grant)
    lifecycle.move(spent, name, settings, NOW)
    back = CreditLedger.select().where(
        (CreditLedger.booking == spent) & (CreditLedger.reason == "cancel")
    )
    assert back.count() == (1 if returned else 0)


@pytest.mark.parametrize("outcome", ["complete", "no_show"])
def test_outcomes_keep_a_spent_credit_spent_and_drop_reminders(booking, settings, outcome):
    marked = bookings.record_outcome(booking, outcome, settings=settings, now=_when(outcome))
    assert marked.status == TARGET[outcome]
    assert _outbox(booking, "reminder") == 0
    assert not CreditLedger.select().where(CreditLedger.reason == "cancel").exists()


def test_a_reschedule_moves_the_reminders_and_raises_the_sequence(booking, settings):
    moved = bookings.reschedule_booking(
        booking, MONDAY_10 + timedelta(hours=2), settings=settings, now=NOW
    )
    assert moved.sequence == 1
    assert _outbox(booking, "reminder") == 2
    due = {row.send_after for row in Outbox.select().where(Outbox.kind == "reminder")}
    assert due == {moved.start - timedelta(minutes=60), moved.start - timedelta(days=1)}


def test_the_cli_marks_outcomes_corrects_them_and_refuses_a_future_one(booking):
    from coachctl.store.db import db
    from tests.support import run_cli

    db.close()
    refused = run_cli("bookings", "no-show", str(booking.id), code=2)
    assert refused.stderr.strip() == (
        f"Error: booking {booking.id} has not started yet and cannot be marked a no-show"
    )
    yesterday = utcnow() - timedelta(days=1)
    Booking.update(start=yesterday, end=yesterday + timedelta(hours=1)).execute()
    assert "marked a no-show" in run_cli("bookings", "no-show", str(booking.id)).stdout
    assert "marked completed" in run_cli("bookings", "complete", str(booking.id)).stdout
    again = run_cli("bookings", "complete", str(booking.id), code=2)
    assert again.stderr.strip() == (
        f"Error: booking {booking.id} is completed and cannot be completed"
    )
    assert Booking.get_by_id(booking.id).status == COMPLETED
