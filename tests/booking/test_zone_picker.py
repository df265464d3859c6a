"""The zone picker and the clock: searchable without JavaScript, each zone once, the visitor's
locale deciding 12- or 24-hour times, and a booking page that stays small."""

from __future__ import annotations

from datetime import date

from coachctl.engine import zones
from tests.booking.test_booking_pages import _in_days

US = {"Accept-Language": "en-US,en;q=0.9"}


def test_zones_are_listed_once_without_aliases_and_with_offsets():
    listed = zones.listed_zones()
    assert len(listed) == len(set(listed)) > 300
    assert "America/New_York" in listed and "UTC" in listed
    for alias in ("US/Eastern", "GB", "Etc/GMT+5", "Asia/Calcutta", "Europe/Kiev"):
        assert alias not in listed
    assert zones.label("America/New_York", date(2027, 1, 15)) == "America/New York (UTC\u221205:00)"
    assert zones.label("America/New_York", date(2027, 7, 15)).endswith("(UTC\u221204:00)")
    assert zones.label("Asia/Kolkata", date(2027, 1, 15)).endswith("(UTC+05:30)")


def test_the_full_list_comes_from_a_cached_endpoint(client, open_coach):
    page = client.get("/api/zones?date=2027-01-15")
    assert "max-age" in page.headers["Cache-Control"]
    labels = {z["zone"]: z["label"] for z in page.json["zones"]}
    assert labels["Europe/London"] == "Europe/London (UTC)"


def test_a_visitor_types_a_city_without_javascript(client, open_coach):
    page = client.get(f"/book/jane/session?date={_in_days(3)}")
    form = page.forms[0]
    form["tz"] = "new york"
    shown = form.submit()
    assert shown.html.select_one("#tz")["value"].startswith("America/New York (UTC")
    assert 'data-tz="America/New_York"' in shown.text
    lost = client.get("/book/jane/session?tz=Nowhere%20Land")
    assert "could not find the time zone “Nowhere Land”" in lost.text
    assert lost.html.select_one("#tz")["aria-invalid"] == "true"


def test_the_clock_follows_the_visitor_and_can_be_switched(client, open_coach):
    day = _in_days(3)
    us = client.get(f"/book/jane/session?tz=America/New_York&date={day}", headers=US)
    times = [a.text for a in us.html.select(".slot")]
    assert times[0].endswith(("AM", "PM")) and ":" in times[0]
    assert us.html.select_one(".booking")["data-hour12"] == "yes"
    gb = client.get(
        f"/book/jane/session?tz=Europe/London&date={day}", headers={"Accept-Language": "en-GB"}
    )
    assert next(a.text for a in gb.html.select(".slot")) == "09:00"
    switched = client.get(
        us.html.select_one('.clock-switch a[href*="clock=24"]')["href"], headers=US
    )
    first = switched.html.select(".slot")[0]
    assert first.text[0].isdigit() and "M" not in first.text
    assert "clock=24" in first["href"], "the choice is kept when a time is picked"
    title = us.html.select_one("#day-title").text
    assert title.count(",") >= 1, "en-US reads 'Monday, December 7, 2026'"


def test_the_booking_page_stays_under_20_kb(client, open_coach):
    page = client.get(f"/book/jane/session?tz=Europe/London&date={_in_days(3)}")
    assert len(page.body) < 20 * 1024, len(page.body)
    form_page = client.get(page.html.select(".slot")[0]["href"])
    assert len(form_page.body) < 20 * 1024
