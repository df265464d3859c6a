"""The availability and booking API: public slots and bookings, token-protected admin."""

from datetime import UTC, date, datetime, timedelta

import pytest

from coachctl.engine.scheduling import schedule
from coachctl.store.models import AvailabilityOverride, AvailabilityWindow, Blackout, Booking


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _next_monday() -> date:
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def open_coach(coach):
    for day in range(7):
        schedule.add_window(coach, day, "09:00", "17:00")
    return coach


def test_windows_need_a_token(client, coach, token):
    client.get("/api/availability/windows", status=401)
    client.get("/api/availability/windows", headers=_auth("cc_wrong"), status=401)
    created = client.post_json(
        "/api/availability/windows",
        {"weekday": 0, "start": "09:00", "end": "12:00"},
        headers=_auth(token),
        status=201,
    ).json
    assert created["window"] == {
        "id": created["window"]["id"],
        "weekday": 0,
        "start": "09:00",
        "end": "12:00",
        "active": True,
    }
    listed = client.get("/api/availability/windows", headers=_auth(token)).json["windows"]
    assert [w["start"] for w in listed] == ["09:00"]


@pytest.mark.parametrize(
    "body",
    [
        {"weekday": 9, "start": "09:00", "end": "12:00"},
        {"weekday": 0, "start": "9am", "end": "12:00"},
        {"weekday": 0, "start": "09:00", "end": "09:00"},
        {"weekday": 0},
    ],
)
def test_bad_windows_are_422_and_write_nothing(client, coach, token, body):
    error = client.post_json(
        "/api/availability/windows", body, headers=_auth(token), status=422
    ).json
    assert error["error"]["message"]
    assert AvailabilityWindow.select().count() == 0


def test_malformed_json_is_refused(client, coach, token):
    response = client.post(
        "/api/availability/windows",
        "{nope",
        headers={**_auth(token), "Content-Type": "application/json"},
        status=422,
    )
    assert response.json["error"]["code"] == "bad_json"


def test_blackouts_by_instants_and_by_local_day(client, coach, token):
    client.post_json(
        "/api/availability/blackouts",
        {"start": "2027-01-01T10:00:00Z", "end": "2027-01-01T12:00:00Z", "reason": "dentist"},
        headers=_auth(token),
        status=201,
    )
    day = client.post_json(
        "/api/availability/blackouts", {"date": "2027-07-01"}, headers=_auth(token), status=201
    )
    # Europe/London in July is UTC+1: the local day starts at 23:00Z the day before.
    assert day.json["blackout"]["start"] == "2027-06-30T23:00:00Z"
    assert day.json["blackout"]["end"] == "2027-07-01T23:00:00Z"
    client.post_json(
        "/api/availability/blackouts",
        {"start": "2027-01-01T12:00:00Z", "end": "2027-01-01T10:00:00Z"},
        headers=_auth(token),
        status=422,
    )
    listed = client.get("/api/availability/blackouts", headers=_auth(token)).json["blackouts"]
    assert [b["reason"] for b in listed] == ["dentist", ""]
    client.delete(f"/api/availability/blackouts/{listed[0]['id']}", headers=_auth(token))
    assert Blackout.select().count() == 1


def test_slots_api_reads_date_in_the_visitors_zone(client, open_coach):
    from zoneinfo import ZoneInfo

    monday = _next_monday() + timedelta(days=7)  # far enough that the Sunday before is bookable
    london = client.get(f"/api/availability/slots?coach=jane&date={monday}&days=1").json
    assert london["coach"] == "jane" and london["timezone"] == "Europe/London"
    assert len(london["slots"]) == 8 and all(s["start"].endswith("Z") for s in london["slots"])
    tokyo = client.get(
        f"/api/availability/slots?coach=jane&date={monday}&days=1&tz=Asia/Tokyo"
    ).json
    assert tokyo["timezone"] == "Asia/Tokyo"

    def tokyo_date(start: str) -> date:
        instant = datetime.fromisoformat(start.replace("Z", "+00:00"))
        return instant.astimezone(ZoneInfo("Asia/Tokyo")).date()

    # Monday in Tokyo runs from Sunday afternoon to Monday afternoon in London: the answer is
    # exactly the coach's slots of those two London days that start on the Tokyo Monday, which
    # takes in Sunday's late slots and leaves out Monday's late ones.
    both_days = client.get(
        f"/api/availability/slots?coach=jane&date={monday - timedelta(days=1)}&days=2"
    ).json["slots"]
    expected = [s for s in both_days if tokyo_date(s["start"]) == monday]
    assert tokyo["slots"] == expected
    assert any(tokyo_date(s["start"]) != monday for s in london["slots"])
    assert any(s not in london["slots"] for s in expected)


@pytest.mark.parametrize(
    "query",
    [
        "coach=jane&date=2027-02-30",
        "coach=jane&tz=Nowhere/Land",
        "coach=jane&days=0",
        "coach=jane&days=x",
        "date=2027-01-01",
    ],
)
def test_bad_slot_queries_are_4xx_json(client, open_coach, query):
    response = client.get(f"/api/availability/slots?{query}", status=422)
    assert "error" in response.json


def test_booking_api_201_then_409_then_422(client, open_coach):
    slot = client.get(f"/api/availability/slots?coach=jane&date={_next_monday()}").json["slots"][0]
    body = {
        "coach": "jane",
        "type": "session",
        "start": slot["start"],
        "name": "Ann",
        "email": "ann@example.com",
    }
    created = client.post_json("/api/bookings", body, status=201).json["booking"]
    assert created["start"] == slot["start"] and created["end"] == slot["end"]
    assert created["status"] == "CONFIRMED" and created["manage_url"].startswith(
        "http://coach.test/booking/"
    )
    conflict = client.post_json(
        "/api/bookings", {**body, "email": "bo@example.com"}, status=409
    ).json
    assert conflict["error"]["code"] == "taken"
    client.post_json("/api/bookings", {**body, "email": "nope"}, status=422)
    client.post_json("/api/bookings", {**body, "start": "tomorrow"}, status=422)
    client.post_json("/api/bookings", {**body, "type": "missing"}, status=404)
    assert Booking.select().count() == 1


def test_bookings_listing_needs_a_token_and_filters(client, open_coach, token):
    slot = client.get(f"/api/availability/slots?coach=jane&date={_next_monday()}").json["slots"][0]
    client.post_json(
        "/api/bookings",
        {"coach": "jane", "start": slot["start"], "name": "Ann", "email": "ann@example.com"},
        status=201,
    )
    client.get("/api/bookings", status=401)
    listed = client.get("/api/bookings", headers=_auth(token)).json["bookings"]
    assert [b["email"] for b in listed] == ["ann@example.com"]
    assert client.get("/api/bookings?status=CANCELLED", headers=_auth(token)).json["bookings"] == []
    assert (
        client.get(f"/api/bookings?to={datetime.now(UTC).date()}", headers=_auth(token)).json[
            "bookings"
        ]
        == []
    )


def test_emails_link_to_the_servers_own_base_url(open_coach, settings):
    import dataclasses

    from webtest import TestApp

    from coachctl.server.app import wsgi
    from coachctl.store.models import Outbox

    served = dataclasses.replace(settings, base_url="http://127.0.0.1:8765")
    client = TestApp(wsgi(served))
    slot = client.get(f"/api/availability/slots?coach=jane&date={_next_monday()}").json["slots"][0]
    client.post_json(
        "/api/bookings",
        {"coach": "jane", "start": slot["start"], "name": "Ann", "email": "ann@example.com"},
        status=201,
    )
    email = Outbox.get(Outbox.kind == "booking_confirmed")
    assert "http://127.0.0.1:8765/booking/" in email.body_text


def test_overrides_need_a_token_and_replace_one_dates_hours(client, open_coach, token):
    monday = _next_monday() + timedelta(days=7)
    path = "/api/availability/overrides"
    client.get(path, status=401)
    client.post_json(path, {"date": str(monday), "windows": []}, status=401)
    client.delete(f"{path}/{monday}", status=401)

    def slot_starts(day):
        found = client.get(f"/api/availability/slots?coach=jane&date={day}&days=1").json
        return [s["start"] for s in found["slots"]]

    weekly = slot_starts(monday)
    created = client.post_json(
        path,
        {"date": str(monday), "windows": [{"start": "10:00", "end": "12:00"}]},
        headers=_auth(token),
        status=201,
    ).json
    assert created == {
        "override": {"date": str(monday), "windows": [{"start": "10:00", "end": "12:00"}]}
    }
    assert client.get(path, headers=_auth(token)).json == {"overrides": [created["override"]]}
    assert len(slot_starts(monday)) == 2
    assert slot_starts(monday + timedelta(days=7))[0][11:] != slot_starts(monday)[0][11:]
    assert client.delete(f"{path}/{monday}", headers=_auth(token)).json == {"deleted": str(monday)}
    assert slot_starts(monday) == weekly
    client.delete(f"{path}/{monday}", headers=_auth(token), status=404)
    assert client.get(path, headers=_auth(token)).json == {"overrides": []}


@pytest.mark.parametrize(
    "body",
    [
        {"windows": [{"start": "10:00", "end": "12:00"}]},
        {"date": "2027-02-30", "windows": [{"start": "10:00", "end": "12:00"}]},
        {"date": "2020-01-06", "windows": [{"start": "10:00", "end": "12:00"}]},
        {"date": "{day}"},
        {"date": "{day}", "windows": []},
        {"date": "{day}", "windows": "10:00-12:00"},
        {"date": "{day}", "windows": [{"start": "10:00"}]},
        {"date": "{day}", "windows": [{"start": 10, "end": 12}]},
        {"date": "{day}", "windows": [{"start": "10:00", "end": "10:00"}]},
        {
            "date": "{day}",
            "windows": [{"start": "10:00", "end": "11:00"}, {"start": "x", "end": "y"}],
        },
    ],
)
def test_bad_overrides_are_422_and_write_nothing(client, coach, token, body):
    day = str(_next_monday())
    body = {key: value.format(day=day) if key == "date" else value for key, value in body.items()}
    response = client.post_json(
        "/api/availability/overrides", body, headers=_auth(token), status=422
    )
    assert response.json["error"]["code"] and response.json["error"]["message"]
    assert AvailabilityOverride.select().count() == 0
    client.delete("/api/availability/overrides/someday", headers=_auth(token), status=422)
