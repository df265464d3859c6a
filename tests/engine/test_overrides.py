"""Date overrides: one local date's hours replace its weekday's windows, and nothing else."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from coachctl.engine.errors import Invalid, NotFound
from coachctl.engine.scheduling import overrides, schedule
from coachctl.engine.scheduling.availability import (
    Blocker,
    Busy,
    Calendar,
    Rules,
    WeeklyWindow,
    local_days,
)
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from coachctl.store.models import AvailabilityOverride
from tests.conftest import utc

HOUR = timedelta(hours=1)
HOURLY = Rules(duration=HOUR, interval=HOUR, horizon=timedelta(days=3650))
LONG_AGO = utc(2020, 1, 1)


def _minutes(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _window(day, start, end):
    return WeeklyWindow(day.weekday(), _minutes(start), _minutes(end))


def _starts(calendar, day, rules=HOURLY, days=1):
    span = local_days(day, days, calendar.tz)
    return [s.start for s in calendar.slots(rules, LONG_AGO, span.start, span.end)]


def _local(instants, zone):
    return [i.astimezone(ZoneInfo(zone)).strftime("%a %H:%M%z") for i in instants]


def test_an_override_replaces_that_dates_windows_and_no_other_dates():
    monday = date(2027, 6, 7)
    calendar = Calendar(
        ZoneInfo("Europe/Berlin"),
        [_window(monday, "09:00", "12:00")],
        [],
        [],
        {monday: [_window(monday, "14:00", "16:00")]},
    )
    assert _local(_starts(calendar, monday), "Europe/Berlin") == [
        "Mon 14:00+0200",
        "Mon 15:00+0200",
    ]
    next_monday = monday + timedelta(days=7)
    assert len(_starts(calendar, next_monday)) == 3  # the weekly pattern is untouched


def test_an_override_on_a_date_with_no_weekly_windows_opens_it():
    saturday = date(2027, 6, 12)
    calendar = Calendar(
        ZoneInfo("Europe/London"),
        [WeeklyWindow(0, 9 * 60, 17 * 60)],  # Mondays only
        [],
        [],
        {saturday: [_window(saturday, "09:00", "12:00")]},
    )
    assert _starts(calendar, saturday) == [
        utc(2027, 6, 12, 8),
        utc(2027, 6, 12, 9),
        utc(2027, 6, 12, 10),
    ]
    assert _starts(calendar, saturday + timedelta(days=7)) == []


@pytest.mark.parametrize(
    ("day", "hours", "expected"),
    [
        # Fall back in New York: the override closes at the first 01:00, like a window would.
        (date(2027, 11, 7), ("00:00", "01:00"), [utc(2027, 11, 7, 4)]),
        # Spring forward: 01:00-03:00 is one real hour, 02:00 never happens.
        (date(2027, 3, 14), ("01:00", "03:00"), [utc(2027, 3, 14, 6)]),
        # An override through the whole repeated hour works it twice, as a window would.
        (
            date(2027, 11, 7),
            ("00:00", "02:00"),
            [utc(2027, 11, 7, 4, m) for m in (0, 30)]
            + [utc(2027, 11, 7, 5, m) for m in (0, 30)]
            + [utc(2027, 11, 7, 6)],
        ),
    ],
)
def test_an_override_on_a_dst_day_follows_the_window_rules(day, hours, expected):
    rules = Rules(duration=HOUR, interval=timedelta(minutes=30), horizon=timedelta(days=3650))
    calendar = Calendar(
        ZoneInfo("America/New_York"),
        [_window(day, "09:00", "17:00")],
        [],
        [],
        {day: [_window(day, *hours)]},
    )
    assert _starts(calendar, day, rules) == expected


def test_a_blackout_still_wins_over_an_override():
    day = date(2027, 6, 9)
    calendar = Calendar(
        ZoneInfo("UTC"),
        [],
        [Blocker(utc(2027, 6, 9, 11), utc(2027, 6, 9, 12), "blackout 'Dentist'")],
        [],
        {day: [_window(day, "09:00", "13:00")]},
    )
    assert _starts(calendar, day) == [utc(2027, 6, 9, 9), utc(2027, 6, 9, 10), utc(2027, 6, 9, 12)]


def test_an_overnight_override_runs_into_the_next_day_beside_its_own_windows():
    friday = date(2027, 6, 11)
    saturday = friday + timedelta(days=1)
    calendar = Calendar(
        ZoneInfo("Europe/Berlin"),
        [_window(saturday, "09:00", "10:00")],
        [],
        [],
        {friday: [_window(friday, "22:00", "02:00")]},
    )
    assert _local(_starts(calendar, friday, days=2), "Europe/Berlin") == [
        "Fri 22:00+0200",
        "Fri 23:00+0200",
        "Sat 00:00+0200",
        "Sat 01:00+0200",
        "Sat 09:00+0200",
    ]


def test_explain_names_what_removed_each_start():
    day = date(2027, 6, 9)  # a Wednesday, UTC
    rules = Rules(
        duration=HOUR,
        interval=HOUR,
        buffer_after=timedelta(minutes=30),
        notice=timedelta(hours=2),
        horizon=timedelta(hours=10),
    )
    calendar = Calendar(
        ZoneInfo("UTC"),
        [_window(day, "06:00", "18:00")],
        [Blocker(utc(2027, 6, 9, 11), utc(2027, 6, 9, 12), "blackout 'Dentist'")],
        [
            Busy(utc(2027, 6, 9, 14), utc(2027, 6, 9, 15)),
            # Busy time from a subscribed calendar arrives the same way, under its own label.
            Busy(utc(2027, 6, 9, 16, 30), utc(2027, 6, 9, 17), label="busy in 'Family'"),
        ],
    )
    now = utc(2027, 6, 9, 6, 30)
    [report] = calendar.explain(rules, now, day)
    assert (report.start, report.end, report.overridden) == (
        utc(2027, 6, 9, 6),
        utc(2027, 6, 9, 18),
        False,
    )
    assert [f"{s:%H}" for s in report.free] == ["09", "10", "12", "15"]
    span = local_days(day, 1, calendar.tz)
    assert list(report.free) == [s.start for s in calendar.slots(rules, now, span.start, span.end)]
    assert {
        reason: [f"{s:%H}" for s in starts] for reason, starts in report.by_reason().items()
    } == {
        "already past": ["06"],
        "outside notice": ["07", "08"],
        "blackout 'Dentist' 11:00–12:00": ["11"],
        "buffer around booked 14:00–15:00": ["13"],
        "booked 14:00–15:00": ["14"],
        "busy in 'Family' 16:30–17:00": ["16"],
        "beyond horizon": ["17"],
    }


def test_explain_shows_the_override_and_the_weekly_hours_it_replaced():
    day = date(2027, 6, 9)
    calendar = Calendar(
        ZoneInfo("UTC"),
        [_window(day, "06:00", "09:00")],
        [],
        [],
        {day: [_window(day, "10:00", "12:00")]},
    )
    weekly, override = calendar.explain(HOURLY, LONG_AGO, day)
    assert (weekly.start, weekly.end, weekly.overridden, weekly.free) == (
        utc(2027, 6, 9, 6),
        utc(2027, 6, 9, 9),
        False,
        (),
    )
    assert weekly.by_reason() == {"override in force": [utc(2027, 6, 9, h) for h in (6, 7, 8)]}
    assert (override.start, override.end, override.overridden) == (
        utc(2027, 6, 9, 10),
        utc(2027, 6, 9, 12),
        True,
    )
    assert override.free == (utc(2027, 6, 9, 10), utc(2027, 6, 9, 11)) and not override.removed
    next_day = day + timedelta(days=1)
    assert calendar.explain(HOURLY, LONG_AGO, next_day) == []


# The store face: overrides kept per coach, read back into the slot engine.


@pytest.fixture
def session(coach):
    """Jane (Europe/London) works Mondays 09:00-17:00; her sessions need no notice."""
    schedule.add_window(coach, 0, "09:00", "17:00")
    return edit_booking_type(get_booking_type(coach), notice=0, horizon_days=365)


TODAY = date(2027, 1, 1)
NOW = utc(2027, 1, 1)


def _stored_starts(coach, session, day):
    found = schedule.find_slots_on_days(coach, session, day, 1, ZoneInfo("Europe/London"), NOW)
    return [f"{s.start:%H:%M}" for s in found]


def test_set_list_and_clear_through_the_store(coach, session):
    monday, saturday = date(2027, 3, 1), date(2027, 3, 6)
    overrides.set_override(coach, saturday, [("09:00", "11:00")], today=TODAY)
    overrides.set_override(coach, monday, [("13:00", "14:00"), ("10:00", "11:00")], today=TODAY)
    assert _stored_starts(coach, session, saturday) == ["09:00", "10:00"]
    assert _stored_starts(coach, session, monday) == ["10:00", "13:00"]
    assert _stored_starts(coach, session, monday + timedelta(days=7))[0] == "09:00"
    assert [overrides.override_to_dict(o) for o in overrides.coming_overrides(coach, TODAY)] == [
        {
            "date": "2027-03-01",
            "windows": [{"start": "10:00", "end": "11:00"}, {"start": "13:00", "end": "14:00"}],
        },
        {"date": "2027-03-06", "windows": [{"start": "09:00", "end": "11:00"}]},
    ]
    overrides.set_override(coach, monday, [("15:00", "16:00")], today=TODAY)  # replaces, not adds
    assert _stored_starts(coach, session, monday) == ["15:00"]
    overrides.clear_override(coach, monday)
    assert len(_stored_starts(coach, session, monday)) == 8
    assert overrides.coming_overrides(coach, date(2027, 3, 2)) == [
        overrides.Override(saturday, (("09:00", "11:00"),))
    ]
    with pytest.raises(NotFound):
        overrides.clear_override(coach, monday)


def test_explain_day_reads_overrides_and_blackout_reasons_from_the_store(coach, session):
    monday = date(2027, 3, 1)
    overrides.set_override(coach, monday, [("10:00", "13:00")], today=TODAY)
    schedule.add_blackout(coach, utc(2027, 3, 1, 11), utc(2027, 3, 1, 12), "Dentist")
    weekly, report = schedule.explain_day(coach, session, monday, NOW)
    assert list(weekly.by_reason()) == ["override in force"] and report.overridden
    assert [f"{s:%H:%M}" for s in report.free] == ["10:00", "12:00"]
    assert list(report.by_reason()) == ["blackout 'Dentist' 11:00–12:00"]


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (date(2026, 12, 31), [("09:00", "10:00")]),  # before today
        (date(2027, 3, 1), []),  # no window at all
        (date(2027, 3, 1), [("09:00", "09:00")]),  # an empty window
        (date(2027, 3, 1), [("9am", "10:00")]),  # not HH:MM
        (date(2027, 3, 1), [("09:00", "10:00"), ("25:00", "26:00")]),  # one bad window spoils all
    ],
)
def test_bad_overrides_are_refused_and_change_nothing(coach, session, day, hours):
    overrides.set_override(coach, date(2027, 3, 1), [("08:00", "09:00")], today=TODAY)
    with pytest.raises(Invalid):
        overrides.set_override(coach, day, hours, today=TODAY)
    assert [(r.start, r.end) for r in AvailabilityOverride.select()] == [("08:00", "09:00")]
