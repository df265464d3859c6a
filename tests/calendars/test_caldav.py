"""A CalDAV calendar on a local Radicale server: its events block slots like a feed's do."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date

import pytest

from coachctl.engine.scheduling import busy_calendars
from tests.calendars.conftest import fixture
from tests.calendars.test_busy_slots import NOW, hours, without

caldav = pytest.importorskip("caldav")
pytest.importorskip("radicale")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def radicale(tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--rights-type",
            "owner_only",
            "--storage-filesystem-folder",
            str(tmp_path / "radicale"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(10)


def _events(text: bytes) -> list[str]:
    """Each VEVENT of a fixture as its own calendar object (all parts of one UID together)."""
    import icalendar

    source = icalendar.Calendar.from_ical(text)
    zones = source.walk("VTIMEZONE")
    by_uid: dict[str, icalendar.Calendar] = {}
    for event in source.walk("VEVENT"):
        uid = str(event["UID"])
        if uid not in by_uid:
            by_uid[uid] = icalendar.Calendar()
            by_uid[uid].add("VERSION", "2.0")
            by_uid[uid].add("PRODID", "-//coachctl tests//EN")
            for zone in zones:
                by_uid[uid].add_component(zone)
        by_uid[uid].add_component(event)
    return [c.to_ical().decode() for c in by_uid.values()]


def test_caldav_events_block_slots_like_a_feed(open_coach, radicale):
    radicale, _ = radicale
    url = f"{radicale}/jane/personal/"
    with caldav.DAVClient(url=radicale, username="jane", password="pw") as client:
        calendar = client.principal().make_calendar(name="Personal", cal_id="personal")
        for text in _events(fixture("personal.ics")):
            calendar.save_event(text)
    connected = busy_calendars.add_caldav(open_coach, url, "jane", "pw", "Personal")
    result = busy_calendars.sync_calendar(connected, NOW)
    assert result.error == "" and result.changed
    assert hours(open_coach, date(2027, 3, 1)) == without("10:00")
    assert hours(open_coach, date(2027, 3, 8)) == without("14:00")  # moved occurrence
    assert hours(open_coach, date(2027, 3, 15)) == without()  # EXDATE
    assert hours(open_coach, date(2027, 3, 5)) == []  # all-day
    assert hours(open_coach, date(2027, 3, 11)) == without()  # transparent
    assert hours(open_coach, date(2027, 3, 17)) == without("10:00")  # New York, across DST
    load = busy_calendars.load_busy(open_coach, NOW, NOW.replace(day=2))
    assert [b.label for b in load] == ["busy in 'Personal'"]


def test_a_caldav_server_gone_away_keeps_the_last_good_copy(open_coach, radicale):
    radicale, process = radicale
    url = f"{radicale}/jane/personal/"
    with caldav.DAVClient(url=radicale, username="jane", password="pw") as client:
        calendar = client.principal().make_calendar(name="Personal", cal_id="personal")
        calendar.save_event(_events(fixture("personal.ics"))[0])
    connected = busy_calendars.add_caldav(open_coach, url, "jane", "pw")
    count = busy_calendars.sync_calendar(connected, NOW).intervals
    assert count == 7  # eight weekly occurrences less one EXDATE
    process.terminate()
    process.wait(10)
    result = busy_calendars.sync_calendar(connected, NOW)
    assert result.error.startswith("CalDAV") and result.intervals == count
