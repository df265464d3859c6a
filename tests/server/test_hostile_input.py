"""Hostile input: each class that once reached a 500, and each abuse found by probing the server."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from webtest import TestApp

from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling import schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from coachctl.server.app import wsgi
from coachctl.store.models import Blackout, Booking, Outbox, Product
from tests.conftest import POSTGRES
from tests.support import run_cli


@pytest.fixture
def open_coach(coach):
    for day in range(7):
        schedule.add_window(coach, day, "09:00", "17:00")
    edit_booking_type(get_booking_type(coach), notice=0)
    return coach


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _slot(days: int = 3, hour: int = 10) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return f"{day}T{hour:02d}:00:00Z"


def _booking(**fields) -> dict:
    return {
        "coach": "jane",
        "start": _slot(),
        "name": "Ann",
        "email": "ann@example.com",
        **fields,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"start": "0001-01-01T00:00:00Z", "end": "0001-01-02T00:00:00Z"},
        {"start": "9999-12-31T00:00:00Z", "end": "9999-12-31T23:59:59Z"},
    ],
)
def test_dates_at_the_calendars_edges_are_refused_and_stored_nowhere(client, coach, token, body):
    response = client.post_json(
        "/api/availability/blackouts", body, headers=_auth(token), status=422
    )
    assert "between the years 1900 and 2999" in response.json["error"]["message"]
    assert Blackout.select().count() == 0
    client.get("/jane", status=200)


def test_a_year_one_blackout_is_refused_on_the_cli_in_one_line(coach):
    from coachctl.store.db import db

    db.close()
    refused = run_cli("blackout", "add", "0001-01-01", code=2)
    assert refused.stderr.strip().splitlines() == [
        "Error: '0001-01-01' is not between the years 1900 and 2999"
    ]


def test_stored_instants_round_trip_every_year_they_accept(coach):
    early = datetime(1, 1, 1, tzinfo=UTC)
    Blackout.create(coach=coach, start=early, end=early + timedelta(days=1), reason="x")
    assert Blackout.get().start == early


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[" * 5000 + "]" * 5000, "bad_json"),
        (json.dumps({"a": [[[[[[[[[[1]]]]]]]]]]}), "bad_json"),
        ('{"coach": "jane", "name": "\\ud800"}', "bad_text"),
        ('{"coach": "jane", "name": "A\\u0000nn"}', "bad_text"),
        (json.dumps(_booking(name=["Ann"])), "bad_type"),
        (json.dumps(_booking(email=None)), "invalid"),
        (json.dumps(_booking(start=1.5)), "bad_type"),
        (json.dumps(_booking(timezone="A" * 5000)), "invalid"),
    ],
)
def test_malformed_bodies_are_refused_before_anything_is_written(client, open_coach, body, code):
    response = client.post(
        "/api/bookings", body, headers={"Content-Type": "application/json"}, status=422
    )
    assert response.json["error"]["code"] == code
    assert Booking.select().count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/products/99999999999999999999999",
        "/checkout/99999999999999999999999",
        "/api/availability/windows/1%00",
        "/jane%00",
        "/api/availability/slots?coach=jane&tz=" + "A" * 300,
        "/api/availability/slots?coach=jane&date=0001-01-01",
        "/api/availability/slots?coach=jane&date=9999-12-31&days=60",
        "/api/availability/slots?coach=ja%00ne",
        "/api/availability/slots?coach=%ED%A0%80",
    ],
)
def test_hostile_paths_and_queries_are_4xx(client, open_coach, token, path):
    response = client.get(path, headers=_auth(token), expect_errors=True)
    assert 400 <= response.status_int < 500, response.text


def test_wrong_typed_strings_are_refused_not_stringified(client, coach, token):
    response = client.post_json(
        "/api/products",
        {"title": [1, 2], "price": "10.00 EUR"},
        headers=_auth(token),
        status=422,
    )
    assert response.json["error"] == {"code": "bad_type", "message": "title must be a string"}
    assert Product.select().count() == 0


def test_unknown_currencies_are_refused(client, coach, token):
    response = client.post_json(
        "/api/products", {"title": "Guide", "price": "10.00 XYZ"}, headers=_auth(token), status=422
    )
    assert "not an ISO 4217 currency" in response.json["error"]["message"]


@pytest.mark.parametrize(
    "address", ["a:b@example.com", "a@[127.0.0.1].com", "ann\x00@example.com", "jöhn@example.com"]
)
def test_addresses_with_specials_are_refused_everywhere(client, open_coach, address):
    response = client.post_json("/api/bookings", _booking(email=address), status=422)
    assert response.json["error"]["code"] in ("invalid", "bad_text")
    assert Booking.select().count() == 0 and Outbox.select().count() == 0


def _form(client):
    page = client.get(f"/book/jane/session?date={_slot()[:10]}")
    return client.get(page.html.select(".slot")[0]["href"]).forms["confirm"]


def test_a_matching_but_forged_csrf_pair_is_refused(client, open_coach):
    form = _form(client)
    client.set_cookie("coachctl_csrf", "f" * 43)
    form["csrf"] = "f" * 43
    form["name"], form["email"] = "Eve", "eve@example.com"
    assert "another site" in form.submit(status=403).text
    assert Booking.select().count() == 0


def test_another_visitors_token_does_not_fit_my_cookie(client, settings, open_coach):
    theirs = TestApp(wsgi(settings))
    their_token = _form(theirs)["csrf"].value
    form = _form(client)
    form["csrf"] = their_token
    form["name"], form["email"] = "Eve", "eve@example.com"
    form.submit(status=403)


def test_a_replayed_request_key_never_returns_someone_elses_booking(client, settings, open_coach):
    ann_form = _form(client)
    ann_form["name"], ann_form["email"] = "Ann", "ann@example.com"
    ann_key, ann_slot = ann_form["request_key"].value, ann_form["slot"].value
    ann_form.submit(status=303)

    eve = TestApp(wsgi(settings))
    for email in ("ann@example.com", "eve@example.com"):  # even with Ann's own details
        eve_form = _form(eve)
        eve_form["request_key"], eve_form["slot"] = ann_key, ann_slot
        eve_form["name"], eve_form["email"] = "Eve", email
        response = eve_form.submit(status=409)
        assert "/booking/" not in response.text and "Ann" not in response.text
    assert Booking.select().count() == 1


def test_a_form_sent_twice_books_once(client, open_coach):
    form = _form(client)
    form["name"], form["email"] = "Ann", "ann@example.com"
    first = form.submit(status=303)
    again = form.submit(status=303)
    assert first.location == again.location
    assert Booking.select().count() == 1


def test_an_idempotent_retry_gets_its_own_booking_back(client, open_coach):
    headers = {"Idempotency-Key": "retry-7f3a"}
    first = client.post_json("/api/bookings", _booking(), headers=headers, status=201)
    retry = client.post_json("/api/bookings", _booking(), headers=headers, status=201)
    assert retry.json == first.json
    assert Booking.select().count() == 1
    other = client.post_json(
        "/api/bookings", _booking(start=_slot(hour=12)), headers=headers, status=422
    )
    assert other.json["error"]["code"] == "key_reused"
    assert Booking.select().count() == 1


def test_public_writes_are_limited_per_client_with_retry_after(monkeypatch, store, open_coach):
    monkeypatch.setenv("COACHCTL_LIMIT_PER_CLIENT", "2/minute")
    from coachctl.config import load_settings

    limited = TestApp(wsgi(load_settings()), extra_environ={"REMOTE_ADDR": "203.0.113.9"})
    for hour in (10, 11):
        limited.post_json("/api/bookings", _booking(start=_slot(hour=hour)), status=201)
    refused = limited.post_json("/api/bookings", _booking(start=_slot(hour=12)), status=429)
    assert refused.json["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    other = TestApp(wsgi(load_settings()), extra_environ={"REMOTE_ADDR": "203.0.113.10"})
    other.post_json("/api/bookings", _booking(start=_slot(hour=13)), status=201)
    assert Booking.select().count() == 3


def test_public_writes_are_limited_per_email_address(monkeypatch, store, open_coach):
    monkeypatch.setenv("COACHCTL_LIMIT_PER_EMAIL", "1/hour")
    from coachctl.config import load_settings

    app = TestApp(wsgi(load_settings()))
    app.post_json("/api/bookings", _booking(), status=201)
    app.post_json("/api/bookings", _booking(start=_slot(hour=12)), status=429)


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(monkeypatch, store, open_coach):
    monkeypatch.setenv("COACHCTL_LIMIT_PER_CLIENT", "1/minute")
    monkeypatch.setenv("COACHCTL_TRUSTED_PROXIES", "10.0.0.0/8")
    from coachctl.config import load_settings

    app = TestApp(wsgi(load_settings()))

    def post(peer: str, forwarded: str, hour: int, status: int) -> None:
        app.post_json(
            "/api/bookings",
            _booking(start=_slot(hour=hour), email=f"c{hour}@example.com"),
            headers={"X-Forwarded-For": forwarded},
            extra_environ={"REMOTE_ADDR": peer},
            status=status,
        )

    post("10.0.0.2", "198.51.100.1", 10, 201)
    post("10.0.0.2", "198.51.100.2", 11, 201)  # another client behind the same proxy
    post("10.0.0.2", "198.51.100.1", 12, 429)
    post("203.0.113.5", "198.51.100.3", 13, 201)  # untrusted peer: its header is ignored
    post("203.0.113.5", "198.51.100.4", 14, 429)


WORKER = """
import json, sys
from webtest import TestApp
from coachctl.config import load_settings
from coachctl.server.app import wsgi
from coachctl.store.db import open_database
settings = load_settings()
open_database(settings.database_url)
app = TestApp(wsgi(settings), extra_environ={"REMOTE_ADDR": "198.51.100.7"})
codes = [app.post_json("/api/bookings", json.loads(b), expect_errors=True).status_int
         for b in sys.argv[1:]]
print(json.dumps(codes))
"""


def test_the_limit_holds_across_two_worker_processes(monkeypatch, store, open_coach):
    monkeypatch.setenv("COACHCTL_LIMIT_PER_CLIENT", "3/minute")

    def worker(*hours: int) -> list[int]:
        bodies = [
            json.dumps(_booking(start=_slot(hour=h), email=f"w{h}@example.com")) for h in hours
        ]
        done = subprocess.run(
            [sys.executable, "-c", WORKER, *bodies], capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout)

    assert worker(10, 11) == [201, 201]
    assert worker(12, 13) == [201, 429]
    assert Booking.select().count() == 3


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL only")
def test_a_price_past_two_to_the_31_is_stored_on_postgresql(client, coach, token):
    created = client.post_json(
        "/api/products",
        {"title": "Retreat", "price": 2**31 + 5, "currency": "JPY", "allow_currency": True},
        headers=_auth(token),
        status=201,
    )
    assert Product.get_by_id(created.json["product"]["id"]).price_minor == 2**31 + 5
    catalog.create_product(coach, "Big", Money(99_999_999_999, "EUR"))
    assert Product.get(Product.title == "Big").price_minor == 99_999_999_999


def test_nul_bytes_are_a_4xx_anywhere(client, open_coach, token):
    client.get("/jane%00", status=422)
    client.get("/api/availability/slots?coach=jane&type=%00", status=422)
    client.post(
        "/api/bookings",
        '{"coach": "ja\\u0000ne"}',
        status=422,
        headers={"Content-Type": "application/json"},
    )
    form = _form(client)
    form["name"], form["email"], form["notes"] = "Ann", "ann@example.com", "a\x00b"
    assert "control characters" in form.submit(status=422).text
    assert Booking.select().count() == 0


def test_no_control_character_reaches_an_email_header_or_an_ics_property(open_coach, settings):
    from icalendar import Calendar

    from coachctl.engine.messaging import ics, mailer
    from coachctl.engine.scheduling import bookings

    booking = bookings.create_booking(
        open_coach,
        get_booking_type(open_coach),
        datetime.fromisoformat(_slot()),
        bookings.Customer("Ann", "ann@example.com"),
        settings=settings,
    )
    smuggled = Booking.get_by_id(booking.id)
    smuggled.customer_name = "Ann\r\nBcc: eve@example.com\x00"
    row = Outbox.get(Outbox.kind == "booking_confirmed")
    row.subject = "Booked\r\nBcc: eve@example.com"
    message = mailer.build_message(row, "Jane\n <jane@example.com>")
    assert message["Subject"] == "Booked Bcc: eve@example.com"
    assert message["Bcc"] is None and "\n" not in message["From"]
    event = Calendar.from_ical(ics.invite(smuggled, "http://coach.test/b")).walk("VEVENT")[0]
    assert "\x00" not in str(event["summary"]) and "\n" not in str(event["summary"])
    assert "\x00" not in event["attendee"].params["cn"]
