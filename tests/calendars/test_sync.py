"""Syncing: conditional requests, failures that keep the last good copy, and what is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coachctl.config import load_settings
from coachctl.engine.errors import Invalid
from coachctl.engine.scheduling import busy_calendars
from coachctl.store.db import db
from coachctl.store.models import BusyInterval
from tests.calendars.conftest import fixture
from tests.conftest import utc

NOW = utc(2027, 3, 1)


def _synced(coach, feeds, **route):
    route_ = feeds.serve("/personal.ics", fixture("personal.ics"), **route)
    calendar = busy_calendars.add_feed(coach, feeds.url("/personal.ics"), "Personal")
    first = busy_calendars.sync_calendar(calendar, NOW)
    assert first.changed and first.intervals > 0
    return calendar, route_, first.intervals


def _intervals(calendar) -> list[tuple]:
    query = BusyInterval.select().where(BusyInterval.calendar == calendar).order_by(BusyInterval.id)
    return [(i.id, i.start, i.end) for i in query]


def test_webcal_addresses_are_read_as_https_and_other_schemes_refused(open_coach):
    calendar = busy_calendars.add_feed(open_coach, "webcal://example.com/basic.ics")
    assert calendar.url == "https://example.com/basic.ics" and calendar.name == "example.com"
    with pytest.raises(Invalid):
        busy_calendars.add_feed(open_coach, "file:///etc/passwd")
    with pytest.raises(Invalid):
        busy_calendars.add_feed(open_coach, "https://example.com/x.ics", all_day="maybe")


def test_an_etag_answered_with_304_changes_nothing_and_parses_nothing(
    open_coach, feeds, monkeypatch
):
    calendar, route, count = _synced(open_coach, feeds, etag='"v1"')
    before = _intervals(calendar)
    parses = []
    real = busy_calendars.busy_spans
    monkeypatch.setattr(
        busy_calendars, "busy_spans", lambda *a, **k: parses.append(1) or real(*a, **k)
    )
    result = busy_calendars.sync_calendar(calendar, NOW + timedelta(minutes=10))
    assert route.requests[-1]["If-None-Match"] == '"v1"'
    assert not result.changed and result.intervals == count
    assert parses == []
    assert _intervals(calendar) == before
    route.etag = '"v2"'
    assert busy_calendars.sync_calendar(calendar, NOW + timedelta(minutes=20)).changed
    assert parses == [1]


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("error500", "HTTP 500"),
        ("truncated", "truncated"),
        ("huge", "larger than 10 MB"),
    ],
)
def test_a_failing_source_keeps_its_last_good_copy_and_says_why(open_coach, feeds, mode, message):
    calendar, route, _ = _synced(open_coach, feeds)
    before = _intervals(calendar)
    route.mode = mode
    result = busy_calendars.sync_calendar(calendar, NOW + timedelta(minutes=10))
    assert message in result.error
    assert _intervals(calendar) == before
    shown = busy_calendars.calendar_to_dict(calendar, load_settings(), NOW + timedelta(minutes=10))
    assert message in shown["last_error"] and shown["stale"]
    assert shown["last_good"] == "2027-03-01T00:00:00Z"
    route.mode = "ok"
    assert busy_calendars.sync_calendar(calendar, NOW + timedelta(minutes=20)).error == ""
    assert not busy_calendars.calendar_to_dict(calendar, load_settings(), NOW)["stale"]


def test_a_server_gone_away_keeps_the_last_good_copy(open_coach, feeds):
    calendar, _, count = _synced(open_coach, feeds)
    feeds.stop()
    result = busy_calendars.sync_calendar(calendar, NOW + timedelta(minutes=10))
    assert "cannot fetch" in result.error and result.intervals == count


def test_a_body_that_is_not_icalendar_keeps_the_last_good_copy(open_coach, feeds):
    calendar, route, count = _synced(open_coach, feeds)
    route.body = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VCALENDAR\r\n"
    result = busy_calendars.sync_calendar(calendar, NOW + timedelta(minutes=10))
    assert "cannot read the calendar" in result.error and result.intervals == count


def test_a_calendar_without_a_good_copy_for_three_polls_is_stale(open_coach, feeds):
    calendar, _, _ = _synced(open_coach, feeds)
    settings = load_settings()
    assert not busy_calendars.is_stale(calendar, settings, NOW + timedelta(minutes=30))
    assert busy_calendars.is_stale(calendar, settings, NOW + timedelta(minutes=31))


def test_the_worker_polls_only_calendars_due_by_the_poll_interval(open_coach, feeds, monkeypatch):
    calendar, route, _ = _synced(open_coach, feeds)
    monkeypatch.setenv("COACHCTL_CALENDAR_POLL_MINUTES", "5")
    settings = load_settings()
    assert busy_calendars.sync_due(settings, NOW + timedelta(minutes=4)) == []
    assert len(route.requests) == 1
    [result] = busy_calendars.sync_due(settings, NOW + timedelta(minutes=5))
    assert result.calendar_id == calendar.id and len(route.requests) == 2


def test_no_title_description_or_attendee_reaches_the_database(open_coach, feeds):
    _synced(open_coach, feeds)
    secrets = ["Dr Secret", "divorce", "Dentist", "birthday", "boss@example.com", "Lunch"]
    for table in db.get_tables():
        for row in db.execute_sql(f'SELECT * FROM "{table}"').fetchall():
            text = " ".join(str(cell) for cell in row)
            assert not [s for s in secrets if s.lower() in text.lower()], table


def test_an_event_without_a_start_is_skipped_and_the_rest_is_kept(open_coach, feeds):
    body = fixture("personal.ics").replace(
        b"END:VCALENDAR",
        b"BEGIN:VEVENT\r\nUID:no-start@test\r\nSUMMARY:Broken\r\nEND:VEVENT\r\nEND:VCALENDAR",
    )
    feeds.serve("/personal.ics", body)
    calendar = busy_calendars.add_feed(open_coach, feeds.url("/personal.ics"))
    result = busy_calendars.sync_calendar(calendar, NOW)
    assert result.error == "" and result.intervals > 0
