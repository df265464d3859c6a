"""``coachctl hours`` and ``coachctl slots --why`` through typer's CliRunner."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from coachctl.engine import formats
from coachctl.store.models import AvailabilityOverride
from tests.support import run_cli as cli


def next_monday() -> date:
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 + (7 - today.weekday()) % 7)


@pytest.fixture
def jane(store):
    cli("coach", "create", "jane", "--name", "Jane Doe", "--timezone", "Europe/London")
    cli("windows", "add", "mon", "09:00-17:00")


def _slot_times(day: date) -> list[str]:
    shown = json.loads(cli("slots", "--date", str(day), "--days", "1", "--json").stdout)
    return [s["start"][11:16] for s in shown["slots"]]


def test_hours_set_list_clear(jane):
    monday = next_monday()
    weekly = _slot_times(monday)
    assert len(weekly) == 8
    said = cli("hours", "set", str(monday), "13:00-15:00", "10:00-11:00", "--coach", "jane").stdout
    assert "10:00-11:00 13:00-15:00" in said
    listed = json.loads(cli("hours", "list", "--json").stdout)
    assert listed == [
        {
            "date": str(monday),
            "windows": [{"start": "10:00", "end": "11:00"}, {"start": "13:00", "end": "15:00"}],
        }
    ]
    assert formats.day(monday) in cli("hours", "list").stdout
    in_london = _slot_times(monday)
    assert len(in_london) == 3 and in_london != weekly
    assert _slot_times(monday + timedelta(days=7)) == weekly  # the weekly pattern is untouched
    cli("hours", "clear", str(monday))
    assert _slot_times(monday) == weekly
    assert "No coming overrides" in cli("hours", "list").stdout


def test_hours_open_a_date_with_no_weekly_windows_overnight(jane):
    saturday = next_monday() + timedelta(days=5)
    assert _slot_times(saturday) == []
    cli("hours", "set", str(saturday), "22:00-01:00")
    both = json.loads(cli("slots", "--date", str(saturday), "--days", "2", "--json").stdout)[
        "slots"
    ]
    # 22:00 and 23:00 on Saturday, 00:00 on Sunday (London is on GMT or BST: UTC shifts by one).
    assert len(both) == 3
    assert both[0]["start"][:10] == str(saturday) and both[-1]["end"][11:13] in ("00", "01")


def test_slots_why_explains_a_date(jane):
    monday = next_monday()
    cli("hours", "set", str(monday), "10:00-13:00")
    cli("blackout", "add", f"{monday}T11:00..{monday}T12:00", "--reason", "Dentist")
    text = cli("slots", "--why", str(monday)).stdout
    assert "window 10:00–13:00 (override in force)" in text
    assert "free: 10:00 12:00" in text
    assert "window 09:00–17:00\n  free: none\n  override in force: 09:00 10:00" in text
    assert "blackout 'Dentist' 11:00–12:00: 11:00" in text
    shape = json.loads(cli("slots", "--why", str(monday), "--json").stdout)
    assert shape["windows"] == [
        {
            "start": "09:00",
            "end": "17:00",
            "override": False,
            "free": [],
            "removed": [
                {
                    "reason": "override in force",
                    "starts": [f"{hour:02d}:00" for hour in range(9, 17)],
                }
            ],
        },
        {
            "start": "10:00",
            "end": "13:00",
            "override": True,
            "free": ["10:00", "12:00"],
            "removed": [{"reason": "blackout 'Dentist' 11:00–12:00", "starts": ["11:00"]}],
        },
    ]
    tuesday = monday + timedelta(days=1)
    assert "No working hours open on this date." in cli("slots", "--why", str(tuesday)).stdout


@pytest.mark.parametrize(
    "args",
    [
        ["hours", "set", "2027-02-30", "09:00-10:00"],
        ["hours", "set", "{monday}", "9-10"],
        ["hours", "set", "{monday}", "10:00-10:00"],
        ["hours", "set", "{monday}", "09:00-10:00", "25:00-26:00"],
        ["hours", "set", "2020-01-06", "09:00-10:00"],
        ["hours", "set", "{monday}", "09:00-10:00", "--coach", "nobody"],
        ["hours", "clear", "{monday}"],
        ["hours", "clear", "someday"],
        ["slots", "--why", "someday"],
    ],
)
def test_bad_hours_are_one_line_on_stderr_exit_2_and_change_nothing(jane, args):
    monday = next_monday()
    result = cli(*[a.format(monday=monday) for a in args], code=2)
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: ")
    assert AvailabilityOverride.select().count() == 0
