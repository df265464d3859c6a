"""Named cases: daylight-saving days, odd offsets, overnight windows, the viewer's own dates."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coachctl.engine.scheduling.availability import (
    Busy,
    Calendar,
    Interval,
    Rules,
    WeeklyWindow,
    by_local_day,
    local_days,
)
from tests.conftest import utc

HOUR = timedelta(hours=1)
HOURLY = Rules(duration=HOUR, interval=HOUR, horizon=timedelta(days=3650))
LONG_AGO = utc(2020, 1, 1)


def _starts(zone, windows, day, rules=HOURLY, days=1, blackouts=(), busy=()):
    tz = ZoneInfo(zone)
    span = local_days(day, days, tz)
    calendar = Calendar(tz, windows, blackouts, busy)
    return [s.start for s in calendar.slots(rules, LONG_AGO, span.start, span.end)]


def _window(day: date, start: str, end: str) -> WeeklyWindow:
    def minutes(text):
        h, m = text.split(":")
        return int(h) * 60 + int(m)

    return WeeklyWindow(day.weekday(), minutes(start), minutes(end))


@pytest.mark.parametrize(
    ("zone", "day", "first_utc_hour"),
    [
        ("America/New_York", date(2027, 3, 13), 14),  # Saturday before spring forward, EST
        ("America/New_York", date(2027, 3, 14), 13),  # spring forward day, EDT
        ("America/New_York", date(2027, 11, 6), 13),  # Saturday before fall back, EDT
        ("America/New_York", date(2027, 11, 7), 14),  # fall back day, EST
        ("Europe/London", date(2027, 3, 28), 8),  # BST begins
        ("Europe/London", date(2027, 10, 31), 9),  # BST ends
    ],
)
def test_nine_to_five_stays_nine_to_five_local_on_dst_days(zone, day, first_utc_hour):
    starts = _starts(zone, [_window(day, "09:00", "17:00")], day)
    assert len(starts) == 8
    assert starts[0].hour == first_utc_hour
    assert [s.astimezone(ZoneInfo(zone)).hour for s in starts] == list(range(9, 17))


@pytest.mark.parametrize(
    ("day", "utc_start"),
    [
        (date(2027, 4, 3), utc(2027, 4, 2, 22)),  # Saturday, AEDT (+11)
        (date(2027, 4, 4), utc(2027, 4, 3, 23)),  # DST ends: AEST (+10)
        (date(2027, 10, 2), utc(2027, 10, 1, 23)),  # Saturday, AEST (+10)
        (date(2027, 10, 3), utc(2027, 10, 2, 22)),  # DST starts: AEDT (+11)
    ],
)
def test_sydney_windows_follow_both_transitions(day, utc_start):
    starts = _starts("Australia/Sydney", [_window(day, "09:00", "12:00")], day)
    assert starts == [utc_start, utc_start + HOUR, utc_start + 2 * HOUR]


def test_window_across_the_spring_forward_gap_loses_the_missing_hour():
    day = date(2027, 3, 14)
    starts = _starts("America/New_York", [_window(day, "01:00", "04:00")], day)
    # 01:00 EST = 06:00Z; 02:00 does not exist; 03:00 EDT = 07:00Z.
    assert starts == [utc(2027, 3, 14, 6), utc(2027, 3, 14, 7)]


def test_window_starting_inside_the_gap_is_clipped_not_shifted():
    day = date(2027, 3, 14)
    rules = Rules(
        duration=timedelta(minutes=30), interval=timedelta(minutes=30), horizon=timedelta(days=3650)
    )
    starts = _starts("America/New_York", [_window(day, "02:30", "04:00")], day, rules)
    # The window really opens at the transition, 03:00 EDT (07:00Z); 02:30 never happens.
    assert starts == [utc(2027, 3, 14, 7), utc(2027, 3, 14, 7, 30)]


def test_overnight_window_across_fall_back_gets_the_repeated_hour_twice():
    saturday = date(2027, 11, 6)
    starts = _starts("America/New_York", [_window(saturday, "22:00", "03:00")], saturday, days=2)
    local = [s.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M%z") for s in starts]
    assert local == [
        "22:00-0400",
        "23:00-0400",
        "00:00-0400",
        "01:00-0400",
        "01:00-0500",
        "02:00-0500",
    ]


HALF_HOURLY_HOUR = Rules(
    duration=HOUR, interval=timedelta(minutes=30), horizon=timedelta(days=3650)
)


@pytest.mark.parametrize(
    ("zone", "day", "hours", "expected"),
    [
        # Each window closes where the repeated hour begins: the close is the first 01:00 (or
        # 23:00), so 00:30-01:30 on the clock's first pass is not offered.
        ("America/New_York", date(2027, 11, 7), ("00:00", "01:00"), [utc(2027, 11, 7, 4)]),
        ("Europe/London", date(2027, 10, 31), ("00:00", "01:00"), [utc(2027, 10, 30, 23)]),
        ("America/Santiago", date(2027, 4, 3), ("22:00", "23:00"), [utc(2027, 4, 4, 1)]),
    ],
)
def test_window_ending_where_the_repeated_hour_begins_closes_on_the_first_pass(
    zone, day, hours, expected
):
    assert _starts(zone, [_window(day, *hours)], day, HALF_HOURLY_HOUR) == expected


def test_window_inside_the_repeated_hour_is_worked_once():
    day = date(2027, 11, 7)  # New York: 01:00-02:00 happens in EDT (05:00Z) and again in EST
    half_hour = Rules(
        duration=timedelta(minutes=30), interval=timedelta(minutes=30), horizon=timedelta(days=3650)
    )
    starts = _starts("America/New_York", [_window(day, "01:00", "01:30")], day, half_hour)
    assert starts == [utc(2027, 11, 7, 5)]


def test_window_starting_in_the_repeated_hour_runs_to_its_end_on_the_clock_after_it():
    day = date(2027, 11, 7)
    starts = _starts("America/New_York", [_window(day, "01:30", "02:30")], day, HALF_HOURLY_HOUR)
    # It opens at 01:30 EDT (05:30Z) and closes when the clock first shows 02:30, which is
    # 02:30 EST (07:30Z): two real hours, in which 01:30 comes round twice.
    assert starts == [utc(2027, 11, 7, 5, 30), utc(2027, 11, 7, 6, 30)]


def test_window_ending_inside_the_spring_forward_gap_ends_at_the_transition():
    day = date(2027, 3, 14)  # New York: 02:00 EST jumps to 03:00 EDT at 07:00Z
    starts = _starts("America/New_York", [_window(day, "00:00", "02:30")], day, HALF_HOURLY_HOUR)
    assert starts == [utc(2027, 3, 14, 5), utc(2027, 3, 14, 5, 30), utc(2027, 3, 14, 6)]


def test_refusal_agrees_that_the_window_closes_on_the_first_pass():
    day = date(2027, 11, 7)
    tz = ZoneInfo("America/New_York")
    calendar = Calendar(tz, [_window(day, "00:00", "01:00")], [], [])
    refusal = calendar.refusal(HALF_HOURLY_HOUR, LONG_AGO, utc(2027, 11, 7, 4, 30))
    assert refusal is not None and refusal.code == "outside_window"


def test_overnight_window_runs_into_the_next_day():
    monday = date(2027, 6, 7)
    starts = _starts("Europe/Berlin", [_window(monday, "22:00", "02:00")], monday, days=2)
    assert starts == [
        utc(2027, 6, 7, 20),
        utc(2027, 6, 7, 21),
        utc(2027, 6, 7, 22),
        utc(2027, 6, 7, 23),
    ]


@pytest.mark.parametrize(
    ("zone", "day", "expected_first"),
    [
        ("Asia/Kolkata", date(2027, 3, 15), utc(2027, 3, 15, 3, 30)),  # +05:30
        ("Australia/Adelaide", date(2027, 1, 4), utc(2027, 1, 3, 22, 30)),  # +10:30 in summer
        ("Australia/Adelaide", date(2027, 7, 5), utc(2027, 7, 4, 23, 30)),  # +09:30 in winter
        ("Asia/Kathmandu", date(2027, 3, 15), utc(2027, 3, 15, 3, 15)),  # +05:45
    ],
)
def test_zones_with_fractional_offsets(zone, day, expected_first):
    starts = _starts(zone, [_window(day, "09:00", "12:00")], day)
    assert starts == [expected_first + i * HOUR for i in range(3)]


def test_visitor_sees_slots_on_their_own_date():
    monday = date(
        2027, 1, 11
    )  # Sydney summer: 09:00 AEDT Monday = 22:00Z Sunday = 14:00 PST Sunday
    tz = ZoneInfo("Australia/Sydney")
    calendar = Calendar(tz, [_window(monday, "09:00", "10:00")], [], [])
    la = ZoneInfo("America/Los_Angeles")
    sunday_in_la = local_days(date(2027, 1, 10), 1, la)
    monday_in_la = local_days(date(2027, 1, 11), 1, la)
    found = calendar.slots(HOURLY, LONG_AGO, sunday_in_la.start, sunday_in_la.end)
    assert [s.start for s in found] == [utc(2027, 1, 10, 22)]
    assert calendar.slots(HOURLY, LONG_AGO, monday_in_la.start, monday_in_la.end) == []
    assert list(by_local_day(found, la)) == [date(2027, 1, 10)]


def test_buffers_keep_the_larger_gap_around_bookings():
    day = date(2027, 6, 7)
    rules = Rules(
        duration=HOUR,
        interval=timedelta(minutes=30),
        buffer_after=timedelta(minutes=30),
        horizon=timedelta(days=3650),
    )
    booked = Busy(
        utc(2027, 6, 7, 11),
        utc(2027, 6, 7, 12),
        before=timedelta(minutes=15),
        after=timedelta(minutes=45),
    )
    starts = _starts("UTC", [_window(day, "09:00", "14:00")], day, rules, busy=[booked])
    # Before the booking the gap is max(30 after the slot, 15 before it) = 30: 09:30 fits, 10:00
    # does not. After it the gap is its own 45 minutes: 12:30 is too early, 13:00 fits.
    assert starts == [utc(2027, 6, 7, 9), utc(2027, 6, 7, 9, 30), utc(2027, 6, 7, 13)]


def test_blackout_and_notice_and_horizon():
    now = utc(2027, 6, 7, 8)
    tz = ZoneInfo("UTC")
    windows = [WeeklyWindow(d, 9 * 60, 12 * 60) for d in range(7)]
    blackouts = [Interval(utc(2027, 6, 8, 0), utc(2027, 6, 9, 0))]
    rules = Rules(
        duration=HOUR, interval=HOUR, notice=timedelta(hours=2), horizon=timedelta(days=3)
    )
    starts = [
        s.start
        for s in Calendar(tz, windows, blackouts, []).slots(
            rules, now, now, now + timedelta(days=10)
        )
    ]
    assert starts[0] == utc(2027, 6, 7, 10)  # 09:00 is within two hours of notice
    assert not any(s.date() == date(2027, 6, 8) for s in starts)  # blacked out
    assert starts[-1] == utc(2027, 6, 9, 11) and all(s < now + timedelta(days=3) for s in starts)


def test_refusal_reasons():
    now = utc(2027, 6, 7, 0)
    cal = Calendar(
        ZoneInfo("UTC"),
        [WeeklyWindow(0, 9 * 60, 12 * 60)],
        [Interval(utc(2027, 6, 14, 11), utc(2027, 6, 14, 12))],
        [Busy(utc(2027, 6, 7, 10), utc(2027, 6, 7, 11))],
    )
    rules = Rules(
        duration=HOUR, interval=HOUR, notice=timedelta(hours=1), horizon=timedelta(days=30)
    )
    assert cal.refusal(rules, now, utc(2027, 6, 6, 9)).code == "in_past"
    assert cal.refusal(rules, utc(2027, 6, 7, 8, 30), utc(2027, 6, 7, 9)).code == "too_soon"
    assert cal.refusal(rules, now, utc(2027, 8, 2, 9)).code == "too_far"
    assert cal.refusal(rules, now, utc(2027, 6, 8, 9)).code == "outside_window"
    assert cal.refusal(rules, now, utc(2027, 6, 7, 9, 30)).code == "off_grid"
    assert cal.refusal(rules, now, utc(2027, 6, 14, 11)).code == "blackout"
    assert cal.refusal(rules, now, utc(2027, 6, 7, 10)).code == "taken"
    assert cal.refusal(rules, now, utc(2027, 6, 7, 9)) is None


def test_nonexistent_local_midnight_starts_the_day_at_the_transition():
    # Santiago springs forward at midnight: 2027-09-05 00:00 does not exist; the day starts 01:00.
    span = local_days(date(2027, 9, 5), 1, ZoneInfo("America/Santiago"))
    assert span.start.astimezone(ZoneInfo("America/Santiago")).hour == 1
    assert datetime(2027, 9, 5).date() == span.start.astimezone(ZoneInfo("America/Santiago")).date()
