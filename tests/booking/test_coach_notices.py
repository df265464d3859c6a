"""The coach is told of every booking, change, cancellation, sale and refund, kind by kind."""

from __future__ import annotations

import pytest

from coachctl.config import load_settings
from coachctl.engine import formats, sales
from coachctl.engine.messaging import mailer
from coachctl.engine.scheduling import bookings
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from coachctl.store.models import Booking, Order, Outbox
from tests.booking.test_booking_pages import _fill, _slot_page
from tests.support import days_ahead_at, run_cli


def _to_coach(kind: str) -> list[Outbox]:
    return list(
        Outbox.select().where((Outbox.kind == kind) & (Outbox.recipient == "jane@coach.test"))
    )


@pytest.fixture
def paid(open_coach):
    return edit_booking_type(
        get_booking_type(open_coach), price_minor=9000, currency="EUR", requires_payment=True
    )


def _book_and_pay(client) -> Order:
    form_page, _ = _slot_page(client)
    sandbox = _fill(form_page.forms["confirm"]).submit().follow()
    sandbox.forms[0].submit("action", value="pay")
    return Order.get()


def test_every_kind_of_change_reaches_the_coach_over_smtp(client, paid, settings, inbox):
    order = _book_and_pay(client)
    booking = Booking.get()
    bookings.reschedule_booking(booking, days_ahead_at(5, 10), settings=settings)
    sales.refund_order(order, settings)
    assert [len(_to_coach(k)) for k in ("coach_booking", "coach_sale", "coach_refund")] == [2, 1, 1]
    assert mailer.send_due(load_settings()).sent >= 5, "the inbox's SMTP_URL is read now"
    subjects = [m["Subject"] for m in inbox.to("jane@coach.test")]
    assert any(s.startswith("New booking: Ann Client") for s in subjects)
    assert any(s.startswith("Moved booking") for s in subjects)
    moved = Booking.get()
    moved_to = f"Session on {formats.span(moved.start, None, 'Europe/London')}"
    assert "10:00" in moved_to
    assert any(s.startswith("Sale: €90.00 for Session on") for s in subjects)
    assert f"Refunded: €90.00 for {moved_to}" in subjects, "the order followed its booking"
    refund = next(m for m in inbox.to("ann@example.com") if m["Subject"].startswith("Refunded"))
    body = refund.get_body(("plain",)).get_content()
    assert "refunded €90.00" in body and "is cancelled with it" in body
    assert Booking.get().status == "CANCELLED"


def test_a_cancellation_by_the_client_tells_the_coach(client, open_coach, settings):
    form_page, _ = _slot_page(client)
    _fill(form_page.forms["confirm"]).submit()
    bookings.cancel_booking(Booking.get(), settings=settings, by_client=True)
    assert len(_to_coach("coach_booking")) == 2
    assert "Cancelled booking" in _to_coach("coach_booking")[-1].subject


@pytest.mark.parametrize("kind", ["booking", "sale"])
def test_each_kind_can_be_switched_off(client, paid, kind):
    said = run_cli("coach", "notices", "jane", "--off", kind).stdout
    assert f"{kind:13} off" in said
    _book_and_pay(client)
    assert len(_to_coach("coach_booking")) == (0 if kind == "booking" else 1)
    assert len(_to_coach("coach_sale")) == (0 if kind == "sale" else 1)
    run_cli("coach", "notices", "jane", "--on", "all")
    assert "off" not in run_cli("coach", "show", "jane").stdout.split("notices")[1].split("\n")[0]


def test_an_unknown_notice_kind_is_one_clear_line(open_coach):
    refused = run_cli("coach", "notices", "jane", "--off", "sales", code=2)
    assert "unknown notice 'sales'" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_creating_a_coach_without_email_or_zone_says_what_was_assumed(store):
    made = run_cli("coach", "create", "sam", "--name", "Sam Lee")
    assert "Created coach sam (Sam Lee, UTC)" in made.stdout
    assert "No --timezone given: assumed UTC" in made.stderr
    assert "no booking or sale notices will be sent" in made.stderr
    shown = run_cli("coach", "show", "sam").stdout
    assert "email             -" in shown and "none are sent" in shown


def test_the_manage_page_shows_how_to_reach_the_coach_when_changes_are_closed(client, open_coach):
    edit_booking_type(get_booking_type(open_coach), cancel_notice=60 * 24 * 30)
    form_page, _ = _slot_page(client)
    confirmation = _fill(form_page.forms["confirm"]).submit().follow()
    contact = confirmation.html.select_one(".contact a")
    assert contact.text == "jane@coach.test" and contact["href"].startswith(
        "mailto:jane@coach.test"
    )
