"""Calendar export and feed, and the outbox and worker commands."""

import json
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from coachctl.engine.scheduling import bookings, schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from coachctl.store.db import db, open_database
from tests.support import days_ahead_at, open_every_day
from tests.support import run_cli as cli


@pytest.fixture
def two_bookings(coach, settings):
    kind = open_every_day(coach)
    start = days_ahead_at(3, 10)
    kept = bookings.create_booking(
        coach, kind, start, bookings.Customer("Ann", "ann@x.test"), settings=settings
    )
    dropped = bookings.create_booking(
        coach,
        kind,
        start + timedelta(hours=2),
        bookings.Customer("Bo", "bo@x.test"),
        settings=settings,
    )
    bookings.cancel_booking(dropped, settings=settings)
    db.close()
    return kept, dropped


def _events(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return calendar, [c for c in calendar.walk() if c.name == "VEVENT"]


def test_export_ics_is_valid_rfc5545(two_bookings):
    out = cli("export", "ics").stdout_bytes
    assert out.startswith(b"BEGIN:VCALENDAR\r\n") and out.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in out.split(b"\r\n"))
    _, events = _events(out)
    kept, dropped = two_bookings
    by_status = {str(e["STATUS"]): e for e in events}
    assert by_status["CONFIRMED"].decoded("DTSTART") == kept.start
    assert by_status["CANCELLED"].decoded("DTSTART") == dropped.start
    assert all("DTSTAMP" in e and "UID" in e for e in events)


def test_calendar_feed_is_private_and_revocable(two_bookings, client):
    made = json.loads(cli("calendar", "feed", "--json").stdout)
    path = made["url"].replace("http://coach.test", "")
    feed = client.get(path)
    assert feed.content_type == "text/calendar"
    _, events = _events(feed.body)
    assert len(events) == 2
    client.get("/ical/cc_guess.ics", status=404)
    api_token = json.loads(cli("token", "create", "--name", "api", "--json").stdout)["token"]
    client.get(f"/ical/{api_token}.ics", status=404)
    feed_token = path.split("/")[-1].removesuffix(".ics")
    client.get("/api/bookings", headers={"Authorization": f"Bearer {feed_token}"}, status=401)
    cli("calendar", "feed", "--revoke", str(made["id"]))
    client.get(path, status=404)


def test_outbox_list_show_and_worker_without_smtp(two_bookings):
    rows = json.loads(cli("outbox", "list", "--json").stdout)
    assert {"kind", "to", "subject", "status", "send_after"} <= set(rows[0])
    assert {r["kind"] for r in rows} == {"booking_confirmed", "booking_cancelled", "reminder"}
    shown = cli("outbox", "show", str(rows[-1]["id"])).stdout
    assert "Subject: Confirmed:" in shown and "Attached: invite.ics" in shown
    waiting = cli("worker", "--once").stdout
    assert "SMTP_URL is not set" in waiting and "wait in the outbox" in waiting
    assert "only failed or uncertain" in cli("outbox", "retry", str(rows[0]["id"]), code=2).stderr


def test_worker_once_expires_stale_holds(coach, settings):
    for day in range(7):
        schedule.add_window(coach, day, "09:00", "17:00")
    kind = get_booking_type(coach)
    edit_booking_type(kind, notice=0, price_minor=5000, currency="EUR", requires_payment=True)
    day = datetime.now(UTC).date() + timedelta(days=3)
    start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    held = bookings.create_booking(
        coach,
        kind,
        start,
        bookings.Customer("Ann", "ann@x.test"),
        hold=timedelta(seconds=-1),
        settings=settings,
    )
    db.close()
    cli("worker", "--once")
    open_database(settings.database_url)
    assert bookings.get_booking(coach, held.id).status == "CANCELLED"
