"""The command line through typer's CliRunner: outputs, JSON, and errors without tracebacks."""

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coachctl.config import load_settings
from coachctl.store.db import db
from tests.support import run_cli as cli

LONDON = ZoneInfo("Europe/London")


def next_monday() -> date:
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 + (7 - today.weekday()) % 7)


def london(day: date, hour: int, minute: int = 0) -> str:
    """A London wall time on ``day`` as the API's UTC instant text."""
    instant = datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def jane(environment):
    cli("coach", "create", "jane", "--name", "Jane Doe", "--timezone", "Europe/London")


def test_init_twice_is_harmless(environment):
    first = cli("init")
    assert "schema:   version" in first.stdout
    second = cli("init").stdout
    assert "(up to date)" in second
    assert second.splitlines()[:2] == first.stdout.splitlines()[:2]


def test_coach_create_show_list_json(environment):
    created = json.loads(
        cli(
            "coach",
            "create",
            "jane",
            "--name",
            "Jane Doe",
            "--timezone",
            "America/New_York",
            "--link",
            "Site=https://jane.test",
            "--json",
        ).stdout
    )
    assert created["slug"] == "jane" and created["links"] == [
        {"label": "Site", "url": "https://jane.test"}
    ]
    assert (
        json.loads(cli("coach", "show", "jane", "--json").stdout)["timezone"] == "America/New_York"
    )
    assert [c["slug"] for c in json.loads(cli("coach", "list", "--json").stdout)] == ["jane"]
    cli("coach", "edit", "jane", "--headline", "Coach", "--no-booking")
    shown = json.loads(cli("coach", "show", "jane", "--json").stdout)
    assert shown["headline"] == "Coach" and shown["booking_enabled"] is False


@pytest.mark.parametrize(
    "args",
    [
        ["coach", "create", "Bad Slug", "--name", "X"],
        ["coach", "create", "api", "--name", "X"],
        ["coach", "create", "ok", "--name", "X", "--timezone", "Nowhere/Land"],
        ["coach", "create", "ok", "--name", "X", "--link", "nolabel"],
        ["coach", "create", "ok", "--name", "X", "--avatar-url", "javascript:alert(1)"],
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_writes_nothing(environment, args):
    result = cli(*args, code=2)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: ")
    assert json.loads(cli("coach", "list", "--json").stdout) == []


def test_windows_types_slots_and_bookings(jane):
    cli("windows", "add", "mon", "09:00-12:00", "13:00-17:00")
    cli("windows", "add", "tue", "22:00-02:00", "--overnight")
    windows = json.loads(cli("windows", "list", "--json").stdout)
    assert [(w["weekday"], w["start"], w["end"]) for w in windows] == [
        (0, "09:00", "12:00"),
        (0, "13:00", "17:00"),
        (1, "22:00", "02:00"),
    ]
    edited = json.loads(
        cli(
            "types",
            "edit",
            "session",
            "--duration",
            "45",
            "--interval",
            "30",
            "--buffer-after",
            "15",
            "--notice",
            "0",
            "--json",
        ).stdout
    )
    assert (edited["duration"], edited["interval"], edited["buffer_after"]) == (45, 30, 15)
    monday = next_monday()
    slots = json.loads(cli("slots", "--date", str(monday), "--days", "1", "--json").stdout)
    assert slots["slots"][0] == {"start": london(monday, 9), "end": london(monday, 9, 45)}
    table = cli("slots", "--date", str(monday), "--days", "2", "--tz", "Asia/Tokyo").stdout
    first_in_tokyo = datetime.fromisoformat(london(monday, 9)).astimezone(ZoneInfo("Asia/Tokyo"))
    assert (
        f"{monday:%a} {monday.day} {monday:%b %Y}" in table and f"{first_in_tokyo:%H:%M}" in table
    )
    cli("blackout", "add", f"{monday}T09:00..{monday}T12:00", "--reason", "dentist")
    slots = json.loads(cli("slots", "--date", str(monday), "--days", "1", "--json").stdout)["slots"]
    assert slots[0]["start"] == london(monday, 13)


def test_bookings_list_show_cancel_reschedule(jane):
    from coachctl.engine.coaches import get_coach
    from coachctl.engine.scheduling import bookings
    from coachctl.engine.scheduling.booking_types import get_booking_type
    from coachctl.store.db import open_database

    cli("windows", "add", "mon", "09:00-17:00")
    monday = next_monday()
    open_database(os.environ["DATABASE_URL"])
    coach = get_coach("jane")
    start = datetime.fromisoformat(london(monday, 10))
    booking = bookings.create_booking(
        coach,
        get_booking_type(coach),
        start,
        bookings.Customer("Ann", "ann@x.test"),
        settings=load_settings(),
    )
    db.close()
    listed = json.loads(cli("bookings", "list", "--json").stdout)
    assert [b["id"] for b in listed] == [booking.id] and listed[0]["manage_url"].startswith(
        "http://coach.test/"
    )
    moved = json.loads(
        cli("bookings", "reschedule", str(booking.id), f"{monday}T14:00", "--json").stdout
    )
    assert moved["start"] == london(monday, 14)
    assert (
        "offered start"
        in cli("bookings", "reschedule", str(booking.id), f"{monday}T09:30", code=2).stderr
    )
    cli("bookings", "cancel", str(booking.id))
    assert (
        json.loads(cli("bookings", "show", str(booking.id), "--json").stdout)["status"]
        == "CANCELLED"
    )
    assert "cannot change" in cli("bookings", "cancel", str(booking.id), code=2).stderr


def test_token_create_list_revoke(jane):
    made = json.loads(cli("token", "create", "--name", "zapier", "--json").stdout)
    assert made["token"].startswith("cc_") and len(made["token"]) > 40
    listed = json.loads(cli("token", "list", "--json").stdout)
    assert listed[0]["name"] == "zapier" and made["token"] not in json.dumps(listed)
    cli("token", "revoke", str(made["id"]))
    assert json.loads(cli("token", "list", "--json").stdout)[0]["revoked"] is True


def test_help_loads_no_heavy_faces():
    code = (
        "import sys; from typer.testing import CliRunner; from coachctl.cli.main import app;"
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output;"
        "assert 'coach' in r.output and 'windows' in r.output;"
        "heavy = ('textual', 'bottle', 'stripe', 'jinja2', 'gunicorn');"
        "heavy = [m for m in heavy if m in sys.modules];"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_engine_and_store_do_not_import_faces():
    code = (
        "import sys, coachctl.engine.scheduling.bookings, coachctl.engine.storefront;"
        "import coachctl.store.models;"
        "bad = [m for m in ('typer', 'rich', 'textual', 'bottle', 'click') if m in sys.modules];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
