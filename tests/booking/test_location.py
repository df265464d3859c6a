"""Where a session happens: set on its type or per booking, shown in pages, emails and invites."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from coachctl.engine.errors import Invalid
from coachctl.engine.locations import parse_location
from coachctl.store.models import Booking, Outbox
from tests.booking.test_booking_pages import _fill, _slot_page
from tests.support import run_cli

ZOOM = "https://zoom.us/j/123456789"


def _event(row: Outbox):
    return Calendar.from_ical(row.attachments[0]["content"]).walk("VEVENT")[0]


def _book(client, phone: str | None = None, status: int = 303):
    form_page, _ = _slot_page(client)
    form = _fill(form_page.forms["confirm"])
    if phone is not None:
        form["phone"] = phone
    return form.submit(status=status)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("phone", "phone"),
        ("LATER", "later"),
        ("https://meet.example.com/abc", "https://meet.example.com/abc"),
        ("www.example.com/room", "https://www.example.com/room"),
        ("  12 High Street,\n London ", "12 High Street, London"),
        ("", ""),
    ],
)
def test_a_location_is_a_link_a_call_later_or_an_address(typed, stored):
    assert parse_location(typed) == stored


def test_a_video_location_shows_on_the_page_in_the_emails_and_in_the_invite(client, open_coach):
    run_cli("types", "edit", "session", "--location", ZOOM)
    booking_page = client.get("/book/jane/session")
    assert ZOOM not in booking_page.text, "a fixed video link stays private until booked"
    assert "link comes with your confirmation" in booking_page.text
    confirmation = _book(client).follow()
    where = confirmation.html.select_one(f'a[href="{ZOOM}"]')
    assert where is not None and "Video call" in where.text
    confirmed = Outbox.get(Outbox.kind == "booking_confirmed")
    assert f"Where: Video call: {ZOOM}" in confirmed.body_text
    assert f'href="{ZOOM}"' in confirmed.body_html
    assert ZOOM in Outbox.get(Outbox.kind == "reminder").body_text
    assert ZOOM in Outbox.get(Outbox.kind == "coach_booking").body_text
    event = _event(confirmed)
    assert str(event["location"]) == ZOOM and str(event["url"]) == ZOOM
    assert "Change or cancel: http" in str(event["description"])


def test_a_phone_session_asks_for_the_number_and_tells_the_coach(client, open_coach):
    run_cli("types", "edit", "session", "--location", "phone")
    refused = _book(client, phone="call me", status=422)
    assert refused.status_int == 422
    assert refused.html.select_one("#phone")["aria-invalid"] == "true"
    assert refused.html.select_one("#name")["value"] == "Ann Client", "the form keeps its values"
    assert Booking.select().count() == 0
    _book(client, phone="+44 20 7946 0958").follow()
    booking = Booking.get()
    assert booking.customer_phone == "+44 20 7946 0958"
    coach_notice = Outbox.get(Outbox.kind == "coach_booking")
    assert "Phone: +44 20 7946 0958" in coach_notice.body_text
    event = _event(Outbox.get(Outbox.kind == "booking_confirmed"))
    assert str(event["location"]) == "Phone: +44 20 7946 0958"


def test_an_address_reads_as_in_person(client, open_coach):
    run_cli("types", "edit", "session", "--location", "12 High Street, London")
    confirmation = _book(client).follow()
    assert "In person: 12 High Street, London" in confirmation.text
    event = _event(Outbox.get(Outbox.kind == "booking_confirmed"))
    assert str(event["location"]) == "12 High Street, London" and "url" in event


def test_a_link_set_later_sends_an_updated_invite_with_the_same_uid(client, open_coach):
    run_cli("types", "edit", "session", "--location", "later")
    confirmation = _book(client).follow()
    assert "link will be sent before the session" in confirmation.text
    booking = Booking.get()
    first = _event(Outbox.get(Outbox.kind == "booking_confirmed"))
    said = run_cli("bookings", "edit", str(booking.id), "--location", ZOOM).stdout
    assert ZOOM in said and "updated invite" in said
    update = Outbox.get(Outbox.kind == "booking_updated")
    assert update.recipient == "ann@example.com" and ZOOM in update.body_text
    second = _event(update)
    assert second["uid"] == first["uid"]
    assert int(second["sequence"]) > int(first["sequence"])
    assert str(second["location"]) == ZOOM
    assert ZOOM in client.get(confirmation.request.url).text
    shown = run_cli("bookings", "show", str(booking.id)).stdout
    assert re.search(rf"where\s+Video call: {re.escape(ZOOM)}", shown)


def test_a_bad_location_changes_nothing(open_coach):
    result = run_cli("types", "edit", "session", "--location", "ftp://x.example", code=2)
    assert "must start with http" in result.stderr
    assert "\n" not in result.stderr.strip()
    with pytest.raises(Invalid):
        parse_location("x" * 501)


def test_the_api_books_a_phone_session_and_returns_where(client, open_coach):
    run_cli("types", "edit", "session", "--location", "phone")
    page = client.get("/book/jane/session?date=" + _slot_page(client)[1][:10])
    start = page.html.select(".slot")[0]["href"].split("slot=")[1].split("#")[0].replace("%3A", ":")
    body = {"coach": "jane", "name": "Ann", "email": "ann@example.com", "start": start}
    missing = client.post_json("/api/bookings", body, status=422)
    assert missing.json["error"]["code"] == "phone"
    made = client.post_json("/api/bookings", {**body, "phone": "+1 212 555 0100"}, status=201)
    assert made.json["booking"]["phone"] == "+1 212 555 0100"
    assert made.json["booking"]["location"]["kind"] == "phone"
