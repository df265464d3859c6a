"""After paying, and with a pass: the client sees the session, not just a receipt or a price."""

from __future__ import annotations

import re

from coachctl.engine import links, sales
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from coachctl.store.models import Booking
from tests.booking.test_booking_pages import _fill, _slot_page


def test_a_paid_session_lands_on_its_confirmation(client, open_coach):
    edit_booking_type(
        get_booking_type(open_coach),
        price_minor=9000,
        currency="EUR",
        requires_payment=True,
        location="https://meet.example.com/jane",
    )
    form_page, _ = _slot_page(client)
    sandbox = _fill(form_page.forms["confirm"]).submit().follow()
    paid = sandbox.forms[0].submit("action", value="pay").follow()
    assert "/checkout/success" in paid.request.url
    landed = paid.follow()
    assert re.search(r"/booking/[^/?]+\?done=paid$", landed.request.url)
    assert "Payment received" in landed.html.select_one('[role="status"]').text
    assert landed.html.find("h1").text == "You're booked"
    summary = landed.html.select_one(".summary").text
    assert "–" in summary and "(Europe/London)" in summary, "the end time and the zone"
    assert "Video call: https://meet.example.com/jane" in summary
    assert landed.html.select_one('a[href$="/invite.ics"]') is not None
    assert landed.html.select_one('a[href*="/reschedule"]') is not None
    assert landed.html.select_one('form[action$="/cancel"]') is not None
    assert Booking.get().status == "CONFIRMED"


def test_a_pass_holder_sees_sessions_left_and_gets_the_credit_back(client, open_coach, settings):
    session = edit_booking_type(
        get_booking_type(open_coach), price_minor=8000, currency="EUR", requires_payment=True
    )
    package = catalog.create_package(
        open_coach, "Three sessions", Money(21000, "EUR"), credits=3, booking_type=session,
        valid_days=90,
    )  # fmt: skip
    order = sales.start_checkout(
        settings, product_id=package.id, email="ann@example.com", name="Ann"
    )
    sales.pay_sandbox(order, settings)
    token = links.credits_pass(settings, open_coach, "ann@example.com")
    page = client.get(f"/book/jane/session?pass={token}")
    status = page.html.select_one("#credits").text
    assert re.match(r"You have 3 sessions left \(until \d{1,2} \w{3}( \d{4})?\)", status)
    assert "€80.00" not in page.html.select_one(".booking").text
    form_page, _ = _slot_page(client, extra=f"&pass={token}")
    assert "1 of your 3 sessions" in form_page.html.select_one(".summary").text
    confirmation = _fill(form_page.forms["confirm"]).submit().follow()
    assert "1 session credit" in confirmation.html.select_one(".summary").text
    asked = confirmation.forms[0].submit()
    cancelled = asked.forms[1].submit().follow()
    assert "session credit you used is back" in cancelled.html.select_one('[role="status"]').text
    again = client.get(f"/book/jane/session?pass={token}")
    assert "You have 3 sessions left" in again.html.select_one("#credits").text
