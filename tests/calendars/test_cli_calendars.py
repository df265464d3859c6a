"""``coachctl calendars``: connecting, listing, syncing and removing, as the coach types them."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime, timedelta

import pytest

from coachctl.config import home_dir
from tests.support import run_cli as cli

WEEKLY = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:standup@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Standup\r\n"
    b"DTSTART;TZID=Europe/London:20260105T100000\r\nDTEND;TZID=Europe/London:20260105T110000\r\n"
    b"RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def next_monday() -> date:
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 + (7 - today.weekday()) % 7)


def monday_hours() -> list[str]:
    shown = json.loads(
        cli("slots", "--date", next_monday().isoformat(), "--days", "1", "--json").stdout
    )
    return [s["start"][11:16] for s in shown["slots"]]


@pytest.fixture
def jane(environment):
    cli("coach", "create", "jane", "--name", "Jane Doe", "--timezone", "UTC")
    cli("windows", "add", "mon", "09:00-13:00")


def test_add_list_sync_rm_round_trip(jane, feeds):
    route = feeds.serve("/work.ics", WEEKLY)
    before = monday_hours()
    added = cli("calendars", "add", feeds.url("/work.ics"), "--name", "Work", "--coach", "jane")
    assert "Added calendar 1 'Work'" in added.stdout and "busy interval(s)" in added.stdout
    after = monday_hours()
    # 10:00 London is 10:00 UTC in winter, 09:00 UTC in summer: one hour goes either way.
    assert len(after) == len(before) - 1
    [shown] = json.loads(cli("calendars", "list", "--json").stdout)
    assert shown["name"] == "Work" and shown["busy_intervals"] > 0
    assert shown["last_error"] == "" and not shown["stale"] and shown["last_sync"]
    route.mode = "error500"
    synced = cli("calendars", "sync")
    assert "Work: sync failed: HTTP 500" in synced.stderr
    table = cli("calendars", "list").stdout
    assert "STALE" in table and "HTTP 500" in table
    assert monday_hours() == after  # the last good copy still blocks
    cli("calendars", "rm", "1")
    assert monday_hours() == before
    assert cli("calendars", "list").stdout.strip() == "No calendars connected."


def test_bad_input_is_one_line_and_exit_2(jane):
    bad = cli("calendars", "add", "ftp://example.com/x.ics", code=2)
    assert bad.stderr.startswith("Error: not a calendar address") and "Traceback" not in bad.stderr
    assert "no calendar 9" in cli("calendars", "rm", "9", code=2).stderr
    assert (
        "busy' or 'free'"
        in cli("calendars", "add", "https://x.test/a.ics", "--all-day", "maybe", code=2).stderr
    )


def test_caldav_password_is_never_echoed_nor_stored_in_the_database(jane, monkeypatch):
    from coachctl.store.db import db, open_database

    monkeypatch.setenv("COACHCTL_CALDAV_PASSWORD", "hunter2-very-secret")
    added = cli("calendars", "add-caldav", "http://127.0.0.1:9/cal/", "--user", "jane@example.com")
    assert "hunter2" not in added.stdout + added.stderr
    listed = cli("calendars", "list", "--json").stdout
    assert "hunter2" not in listed and json.loads(listed)[0]["last_error"].startswith("CalDAV")
    secret = home_dir() / "secrets" / "caldav-1"
    assert secret.read_text() == "hunter2-very-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret.parent.stat().st_mode) == 0o700
    open_database(os.environ["DATABASE_URL"])
    for table in db.get_tables():
        for row in db.execute_sql(f'SELECT * FROM "{table}"').fetchall():
            assert "hunter2" not in " ".join(map(str, row)), table
    db.close()
    cli("calendars", "rm", "1")
    assert not secret.exists()


def test_caldav_password_from_a_hidden_prompt(jane, monkeypatch):
    from typer.testing import CliRunner

    from coachctl.cli.main import app

    monkeypatch.delenv("COACHCTL_CALDAV_PASSWORD", raising=False)
    result = CliRunner().invoke(
        app,
        ["calendars", "add-caldav", "http://127.0.0.1:9/cal/", "--user", "jane"],
        input="typed-secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "typed-secret" not in result.output
    assert (home_dir() / "secrets" / "caldav-1").read_text() == "typed-secret"


def test_the_worker_pass_polls_calendars_that_are_due(jane, feeds, monkeypatch):
    route = feeds.serve("/work.ics", WEEKLY, etag='"w1"')
    cli("calendars", "add", feeds.url("/work.ics"))
    cli("worker", "--once")
    assert len(route.requests) == 1  # synced when added: not due for ten minutes
    monkeypatch.setenv("COACHCTL_CALENDAR_POLL_MINUTES", "0")
    route.mode = "error500"
    cli("worker", "--once")  # a failing calendar does not fail the pass
    assert len(route.requests) == 2
    assert "HTTP 500" in cli("calendars", "list").stdout
