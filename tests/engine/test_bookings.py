"""Bookings: creation, conflicts, holds, cancel and reschedule."""

from datetime import timedelta

import pytest

from coachctl.config import load_settings
from coachctl.engine.errors import Conflict, Forbidden, Invalid
from coachctl.engine.scheduling import bookings, schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from coachctl.store.models import Booking
from tests.conftest import utc

NOW = utc(2027, 6, 1, 8)  # a Tuesday
MONDAY_10 = utc(2027, 6, 7, 9)  # 10:00 in London (BST)
CUSTOMER = bookings.Customer("Ann Client", "ann@example.com", "Europe/Paris")


@pytest.fixture
def open_coach(coach):
    for day in range(5):
        schedule.add_window(coach, day, "09:00", "17:00")
    return coach


def _book(coach, start=MONDAY_10, customer=CUSTOMER, now=NOW, **kwargs):
    return bookings.create_booking(
        coach, get_booking_type(coach), start, customer, now=now, **kwargs, settings=load_settings()
    )


def test_booking_takes_the_slot_out_of_the_listing(open_coach):
    kind = get_booking_type(open_coach)
    before = schedule.find_slots(open_coach, kind, MONDAY_10, MONDAY_10 + timedelta(hours=3), NOW)
    booking = _book(open_coach)
    after = schedule.find_slots(open_coach, kind, MONDAY_10, MONDAY_10 + timedelta(hours=3), NOW)
    assert booking.status == "CONFIRMED" and booking.end == MONDAY_10 + timedelta(hours=1)
    assert before[0].start == MONDAY_10
    assert MONDAY_10 not in [s.start for s in after]


def test_second_booking_of_the_same_time_is_a_conflict_and_writes_nothing(open_coach):
    _book(open_coach)
    with pytest.raises(Conflict) as caught:
        _book(open_coach, customer=bookings.Customer("Bo", "bo@example.com"))
    assert caught.value.code == "taken"
    assert Booking.select().count() == 1


def test_customer_fields_are_checked():
    with pytest.raises(Invalid):
        bookings.Customer.checked("", "a@b.test")
    with pytest.raises(Invalid):
        bookings.Customer.checked("Ann", "not-an-email")
    with pytest.raises(Invalid):
        bookings.Customer.checked("Ann", "a@b.test", "Nowhere/Land")
    assert bookings.Customer.checked(" Ann  Lee ", "Ann@Example.COM").email == "Ann@example.com"


def test_cancel_frees_the_slot(open_coach):
    booking = bookings.cancel_booking(_book(open_coach), now=NOW, settings=load_settings()).booking
    assert booking.status == "CANCELLED"
    assert _book(open_coach).status == "CONFIRMED"
    with pytest.raises(Conflict):
        bookings.cancel_booking(booking, now=NOW, settings=load_settings())


def test_client_cannot_reschedule_inside_the_notice_nor_cancel_once_started(open_coach):
    booking = _book(open_coach)
    with pytest.raises(Forbidden, match="rescheduled online until 24 hours before"):
        bookings.reschedule_booking(
            booking,
            MONDAY_10 + timedelta(hours=1),
            by_client=True,
            now=MONDAY_10 - timedelta(hours=2),
            settings=load_settings(),
        )
    with pytest.raises(Forbidden, match="already started"):
        bookings.cancel_booking(
            booking, by_client=True, now=MONDAY_10 + timedelta(minutes=1), settings=load_settings()
        )
    late = bookings.cancel_booking(
        booking, by_client=True, now=MONDAY_10 - timedelta(hours=2), settings=load_settings()
    )
    assert late.booking.status == "CANCELLED" and late.outcome.late


def test_reschedule_moves_atomically_and_refuses_taken_times(open_coach):
    first = _book(open_coach)
    other = _book(
        open_coach, MONDAY_10 + timedelta(hours=2), bookings.Customer("Bo", "bo@example.com")
    )
    with pytest.raises(Conflict):
        bookings.reschedule_booking(first, other.start, now=NOW, settings=load_settings())
    moved = bookings.reschedule_booking(
        first, MONDAY_10 + timedelta(hours=1), now=NOW, settings=load_settings()
    )
    assert moved.start == MONDAY_10 + timedelta(hours=1) and moved.sequence == 1
    # The old time is free again; the booking does not collide with itself.
    assert (
        _book(open_coach, MONDAY_10, bookings.Customer("Cy", "cy@example.com")).status
        == "CONFIRMED"
    )
    assert (
        bookings.reschedule_booking(
            moved, MONDAY_10 + timedelta(hours=1, minutes=0), now=NOW, settings=load_settings()
        )
        == moved
    )


def test_unpaid_hold_expires_and_frees_the_slot(open_coach):
    kind = get_booking_type(open_coach)
    edit_booking_type(kind, price_minor=8000, currency="EUR", requires_payment=True)
    held = _book(open_coach, hold=timedelta(minutes=30))
    assert held.status == "PENDING" and held.hold_expires_at == NOW + timedelta(minutes=30)
    with pytest.raises(Conflict):
        _book(
            open_coach,
            customer=bookings.Customer("Bo", "bo@example.com"),
            now=NOW + timedelta(minutes=10),
        )
    later = NOW + timedelta(minutes=31)
    assert (
        _book(open_coach, customer=bookings.Customer("Bo", "bo@example.com"), now=later).status
        == "PENDING"
    )
    assert bookings.expire_holds(load_settings(), later) == 1
    assert Booking.get_by_id(held.id).status == "CANCELLED"


def test_listing_filters_by_range_and_status(open_coach):
    a = _book(open_coach)
    b = _book(open_coach, MONDAY_10 + timedelta(days=1), bookings.Customer("Bo", "bo@example.com"))
    bookings.cancel_booking(b, now=NOW, settings=load_settings())
    assert [x.id for x in bookings.list_bookings(open_coach)] == [a.id, b.id]
    assert [x.id for x in bookings.list_bookings(open_coach, status="cancelled")] == [b.id]
    assert [
        x.id for x in bookings.list_bookings(open_coach, end=MONDAY_10 + timedelta(hours=5))
    ] == [a.id]
    with pytest.raises(Invalid):
        bookings.list_bookings(open_coach, status="LOST")
