"""The visitor's whole path through the server-rendered pages (no JavaScript)."""

import re
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from webtest import TestApp

from coachctl.engine.scheduling.booking_types import (
    create_booking_type,
    edit_booking_type,
    get_booking_type,
)
from coachctl.server.app import wsgi
from coachctl.store.models import Booking, Outbox


def _in_days(days: int) -> str:
    return str(datetime.now(UTC).date() + timedelta(days=days))


def _slot_page(client, tz="Europe/London", days=3, extra=""):
    page = client.get(f"/book/jane/session?tz={tz}&date={_in_days(days)}{extra}")
    link = page.html.select(".slot")[0]["href"]
    return client.get(link), parse_qs(urlsplit(link).query)["slot"][0]


def _fill(form, name="Ann Client", email="ann@example.com"):
    form["name"], form["email"], form["notes"] = name, email, "First session"
    return form


def test_bio_to_booking_to_confirmation_to_cancel(client, open_coach):
    bio = client.get("/jane")
    book = client.get(bio.html.select_one('[data-cta="book"]')["href"]).maybe_follow()
    assert book.html.select(".calendar a[data-day]"), "days with free slots are marked"
    day = client.get(book.request.url + f"?date={_in_days(3)}")
    slot_href = day.html.select(".slot")[0]["href"]
    form_page = client.get(slot_href)
    form = _fill(form_page.forms["confirm"])
    confirmation = form.submit().follow()
    assert confirmation.html.find("h1").text == "You're booked"
    booking = Booking.get()
    assert booking.status == "CONFIRMED" and booking.notes == "First session"
    assert "(Europe/London)" in confirmation.html.select_one("time").text
    links = {a.text: a["href"] for a in confirmation.html.select(".calendar-links a")}
    assert "calendar.google.com" in links["Google Calendar"]
    ics = client.get(links["Apple / Outlook (.ics)"])
    assert ics.content_type == "text/calendar" and b"BEGIN:VEVENT" in ics.body
    kinds = sorted(e.kind for e in Outbox.select())
    assert kinds == ["booking_confirmed", "coach_booking", "reminder"]
    asked = confirmation.forms[0].submit()
    assert asked.html.select_one("#confirm-title").text == "Cancel this session?"
    assert Booking.get().status == "CONFIRMED", "without JavaScript, cancelling asks first"
    cancelled = asked.forms[1].submit().follow()
    assert "cancelled" in cancelled.html.find("h1").text
    assert Booking.get().status == "CANCELLED"
    assert Outbox.select().where(Outbox.kind == "reminder").count() == 0
    assert Outbox.select().where(Outbox.kind == "booking_cancelled").count() == 1


def test_type_chooser_when_there_are_several(client, open_coach):
    create_booking_type(open_coach, "intro", "Intro call", duration=20, interval=30, notice=0)
    chooser = client.get("/book/jane")
    assert [a["href"] for a in chooser.html.select(".types a")] == [
        "/book/jane/session",
        "/book/jane/intro",
    ]
    slots = client.get("/book/jane/intro?tz=UTC").html.select(".slot")
    assert len(slots) >= 2


def test_double_submission_books_once(client, open_coach):
    form_page, _ = _slot_page(client)
    form = _fill(form_page.forms["confirm"])
    first = form.submit()
    second = form.submit()
    assert first.location == second.location
    assert Booking.select().count() == 1


def test_slot_taken_meanwhile_offers_fresh_slots(client, open_coach, settings):
    form_page, slot = _slot_page(client)
    rival = TestApp(wsgi(settings))
    rival_form = _fill(rival.get(form_page.request.url).forms["confirm"], "Bo", "bo@example.com")
    rival_form.submit().follow()
    taken = _fill(form_page.forms["confirm"]).submit(status=409)
    assert "just taken" in taken.html.select_one("[role=alert]").text
    fresh = [parse_qs(urlsplit(a["href"]).query)["slot"][0] for a in taken.html.select(".slot")]
    assert fresh and slot not in fresh
    assert Booking.select().count() == 1


def test_racing_form_posts_yield_one_booking(open_coach, settings):
    app = wsgi(settings)
    client = TestApp(app)
    form_page, _ = _slot_page(client)
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def racer(n: int) -> None:
        own = TestApp(app)
        form = _fill(own.get(form_page.request.url).forms["confirm"], f"R{n}", f"r{n}@example.com")
        barrier.wait()
        statuses.append(form.submit(expect_errors=True).status_int)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303] + [409] * 7
    assert Booking.select().count() == 1


def test_forms_are_protected_against_csrf(client, open_coach):
    _, slot = _slot_page(client)
    response = client.post(
        "/book/jane/session",
        {"slot": slot, "name": "Eve", "email": "eve@x.test", "csrf": "forged"},
        status=403,
    )
    assert "another site" in response.text
    assert Booking.select().count() == 0


def test_bad_email_keeps_the_form_and_says_why(client, open_coach):
    form_page, _ = _slot_page(client)
    form = _fill(form_page.forms["confirm"], email="not-an-email")
    again = form.submit(status=422)
    assert "not a valid address" in again.html.select_one("[role=alert]").text
    assert again.forms["confirm"]["name"].value == "Ann Client"


def test_visitor_whose_date_differs_from_the_coachs(client, open_coach):
    # 09:00 in London is 18:00 or 19:00 in Tokyo on the same date, 04:00/05:00 in New York.
    tokyo = client.get("/book/jane/session?tz=Asia/Tokyo")
    times = [a.text for a in tokyo.html.select(".slot")]
    assert times and all(t >= "17:00" or t < "02:00" for t in times)
    form_page = client.get(tokyo.html.select(".slot")[0]["href"])
    confirmation = _fill(form_page.forms["confirm"]).submit().follow()
    booking = Booking.get()
    assert booking.customer_timezone == "Asia/Tokyo"
    shown = confirmation.html.select_one("time").text
    local = booking.start.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert f"{local:%H:%M}" in shown and "(Asia/Tokyo)" in shown
    assert f"{local.day} {local:%b}" in shown


def test_reschedule_through_the_manage_page(client, open_coach):
    form_page, _ = _slot_page(client)
    confirmation = _fill(form_page.forms["confirm"]).submit().follow()
    picker = client.get(confirmation.html.select_one('a[href*="/reschedule"]')["href"])
    later = picker.html.select(".slot")[3]["href"]
    moved = client.get(later).forms["confirm"].submit().follow()
    assert "has moved" in moved.text
    booking = Booking.get()
    assert booking.sequence == 1
    assert Outbox.select().where(Outbox.kind == "booking_rescheduled").count() == 1


def test_inside_the_notice_rescheduling_closes_but_a_free_session_can_still_be_cancelled(
    client, open_coach
):
    edit_booking_type(get_booking_type(open_coach), cancel_notice=60 * 24 * 30)
    form_page, _ = _slot_page(client)
    assert "reschedule online up to 30 days before the session" in form_page.text
    confirmation = _fill(form_page.forms["confirm"]).submit().follow()
    assert "can be rescheduled online until 30 days before" in confirmation.text
    assert not confirmation.html.select('a[href*="/reschedule"]')
    assert confirmation.html.select_one("#cancel-outcome").text == "Cancelling costs nothing."
    signed = re.search(r"/booking/([^/?#]+)", confirmation.request.url).group(1)
    token = form_page.forms["confirm"]["csrf"].value
    refused = client.get(f"/booking/{signed}/reschedule", status=403)
    assert "rescheduled online until 30 days before" in refused.text
    client.post(f"/booking/{signed}/cancel", {"csrf": token, "confirm": "yes"}, status=303)
    assert Booking.get().status == "CANCELLED"


def test_forged_manage_links_are_404(client, open_coach):
    client.get("/booking/not-a-real-token", status=404)
    client.get("/booking/not-a-real-token/invite.ics", status=404)


def test_paid_type_goes_to_checkout_and_returns_confirmed(client, open_coach):
    edit_booking_type(
        get_booking_type(open_coach), price_minor=9000, currency="EUR", requires_payment=True
    )
    form_page, _ = _slot_page(client)
    assert "€90.00" in form_page.html.select_one(".summary").text
    sandbox = _fill(form_page.forms["confirm"]).submit().follow()
    assert "Test payment" in sandbox.text and Booking.get().status == "PENDING"
    sandbox.forms[0].submit("action", value="pay").follow()
    assert Booking.get().status == "CONFIRMED"
    assert Outbox.select().where(Outbox.kind == "booking_confirmed").count() == 1
    assert datetime.now(UTC) < Booking.get().start < datetime.now(UTC) + timedelta(days=60)
