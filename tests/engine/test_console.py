"""The console's reads and the small engine helpers the TUI calls: agenda, booking detail, free
time, slots to move to, course counts, window edits, product forms, refund questions."""

from datetime import UTC, datetime

import pytest

from coachctl.engine import console, sales
from coachctl.engine.commerce import catalog, credits
from coachctl.engine.commerce.money import Money
from coachctl.engine.errors import Conflict, Invalid
from coachctl.engine.learning.importer import import_course
from coachctl.engine.learning.learners import grant
from coachctl.engine.messaging.mailer import list_emails
from coachctl.engine.scheduling import bookings, schedule
from coachctl.store.models import AvailabilityWindow, Course, Enrolment, Order
from tests.courses.conftest import write_course
from tests.support import days_ahead_at, open_every_day

NOW = datetime(2030, 3, 4, 8, tzinfo=UTC)  # a Monday


@pytest.fixture
def booked(coach, settings):
    kind = open_every_day(coach)
    return bookings.create_booking(
        coach, kind, days_ahead_at(2, 10), bookings.Customer("Ann", "ann@x.test"), settings=settings
    )


def test_agenda_lists_bookings_by_local_day_with_their_payment_mark(coach, booked):
    [row] = console.agenda(coach, datetime.now(UTC))
    assert (row.id, row.client, row.status, row.payment) == (
        booked.id,
        "Ann",
        "confirmed",
        "",
    )
    assert row.day == booked.start.astimezone(schedule.zone_of(coach)).date()
    assert console.agenda(coach, datetime.now(UTC), days=1) == []


def test_booking_detail_shows_the_emails_the_booking_caused(coach, booked, settings):
    detail = console.booking_detail(coach, booked.id, settings)
    assert dict(detail.fields)["client"] == "Ann <ann@x.test>"
    assert dict(detail.fields)["payment"] == "free"
    assert any(kind == "booking_confirmed" or "confirm" in kind for _, kind, _, _ in detail.emails)


def test_free_days_and_move_slots_come_from_the_slot_finder(coach, booked):
    now = datetime.now(UTC)
    assert len(console.free_days(coach, now)) >= 6
    slots = console.move_slots(coach, booked.id, now, days=3)
    assert slots and booked.start not in [s.start for s in slots]


def test_course_rows_count_active_learners_and_completions(coach, settings, tmp_path):
    import_course(coach, write_course(tmp_path / "calm-lead"))
    course = Course.get(Course.slug == "calm-lead")
    grant(course, "a@x.test", settings)
    grant(course, "b@x.test", settings)
    Enrolment.update(completed_at=NOW).where(Enrolment.email == "a@x.test").execute()
    [row] = console.course_rows(coach)
    assert (row.slug, row.learners, row.completed, row.completion) == ("calm-lead", 2, 1, "50%")


def test_edit_window_replaces_it_and_a_refusal_keeps_the_old_one(coach):
    window = schedule.add_window(coach, 0, "09:00", "12:00").window
    moved = schedule.edit_window(coach, window.id, "tue", "10:00", "11:00").window
    assert (moved.weekday, moved.start, moved.end) == (1, "10:00", "11:00")
    with pytest.raises(Invalid, match="ends before it starts"):
        schedule.edit_window(coach, moved.id, 1, "12:00", "11:00")
    assert AvailabilityWindow.get_by_id(moved.id).start == "10:00"


def test_form_problems_use_the_catalog_words(coach):
    assert catalog.form_problems(coach, "PRODUCT", {"title": "Book", "price": "49.00 EUR"}) == {}
    problems = catalog.form_problems(
        coach, "PACKAGE", {"title": " ", "price": "49 USD", "credits": "x", "valid_days": "0"}
    )
    assert problems == {
        "title": "a product needs a title of at most 120 characters",
        "price": "the price is in USD but jane sells in EUR",
        "credits": "credits must be a whole number",
        "valid_days": "valid days must be between 1 and 3650",
    }


def test_refund_notice_names_the_credits_clawed_back(coach, settings):
    kind = open_every_day(coach)
    package = catalog.create_package(
        coach, "Three sessions", Money(21000, "EUR"), credits=3, booking_type=kind
    )
    started = sales.start_product_checkout(package, "bo@x.test", settings)
    order = sales.pay_sandbox(started, settings)
    assert credits.unspent(order) == 3
    assert sales.refund_notice(order) == (
        f"Refund €210.00 of order {order.id} (Three sessions) to bo@x.test?"
        " 3 unspent credits will be clawed back."
    )
    sales.refund_order(order, settings)
    with pytest.raises(Conflict):
        sales.refund_notice(Order.get_by_id(order.id))


def test_list_emails_of_one_coach(coach, booked):
    from coachctl.engine.coaches import create_coach

    other = create_coach("max", "Max", "UTC")
    assert list_emails(coach=coach) and not list_emails(coach=other)
