"""What a synced calendar does to the slot list: each kind of event, read in the coach's zone."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from coachctl.engine.errors import Conflict
from coachctl.engine.scheduling import bookings, busy_calendars, schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from tests.calendars.conftest import fixture
from tests.conftest import utc

NOW = utc(2027, 3, 1)
LONDON = ZoneInfo("Europe/London")
ALL_DAY = [f"{h:02d}:00" for h in range(9, 17)]


def hours(coach, day: date) -> list[str]:
    """The local start times offered on ``day``."""
    slots = schedule.find_slots_on_days(coach, get_booking_type(coach), day, 1, LONDON, NOW)
    return [f"{s.start.astimezone(LONDON):%H:%M}" for s in slots]


def without(*taken: str) -> list[str]:
    return [h for h in ALL_DAY if h not in taken]


@pytest.fixture
def personal(open_coach, feeds):
    feeds.serve("/personal.ics", fixture("personal.ics"))
    calendar = busy_calendars.add_feed(open_coach, feeds.url("/personal.ics"), "Personal")
    result = busy_calendars.sync_calendar(calendar, NOW)
    assert result.error == "" and result.changed
    return calendar


def test_without_calendars_every_hour_is_offered(open_coach):
    assert hours(open_coach, date(2027, 3, 1)) == ALL_DAY


def test_weekly_series_blocks_each_occurrence_but_not_its_exdate(personal, open_coach):
    assert hours(open_coach, date(2027, 3, 1)) == without("10:00")
    assert hours(open_coach, date(2027, 3, 15)) == ALL_DAY  # EXDATE
    assert hours(open_coach, date(2027, 3, 22)) == without("10:00")
    assert hours(open_coach, date(2027, 4, 19)) == without("10:00")  # the eighth and last
    assert hours(open_coach, date(2027, 4, 26)) == ALL_DAY  # COUNT=8 is over


def test_a_moved_occurrence_blocks_its_new_time_only(personal, open_coach):
    assert hours(open_coach, date(2027, 3, 8)) == without("14:00")


def test_monthly_series_with_an_exdate(personal, open_coach):
    assert hours(open_coach, date(2027, 3, 2)) == without("12:00")
    assert hours(open_coach, date(2027, 4, 2)) == ALL_DAY


def test_a_series_in_another_zone_follows_both_clock_changes(personal, open_coach):
    # 06:00 New York: 11:00 London before the US change, 10:00 between the two, 11:00 after both.
    assert hours(open_coach, date(2027, 3, 10)) == without("11:00")
    assert hours(open_coach, date(2027, 3, 17)) == without("10:00")
    assert hours(open_coach, date(2027, 3, 31)) == without("11:00")


def test_an_event_across_the_dst_change_ends_at_its_local_end(personal, open_coach):
    # 22:00 GMT Saturday to 10:00 BST Sunday: eleven real hours, ending at 10:00 local.
    assert hours(open_coach, date(2027, 3, 28)) == without("09:00")


def test_all_day_events_are_busy_by_default(personal, open_coach):
    assert hours(open_coach, date(2027, 3, 5)) == []


def test_all_day_events_can_be_free_per_calendar(open_coach, feeds):
    feeds.serve("/personal.ics", fixture("personal.ics"))
    calendar = busy_calendars.add_feed(open_coach, feeds.url("/personal.ics"), all_day="free")
    busy_calendars.sync_calendar(calendar, NOW)
    assert hours(open_coach, date(2027, 3, 5)) == ALL_DAY
    assert hours(open_coach, date(2027, 3, 1)) == without("10:00")


def test_floating_times_are_read_in_the_coachs_zone(personal, open_coach):
    assert hours(open_coach, date(2027, 4, 6)) == without("15:00")


def test_cancelled_and_transparent_events_leave_the_time_free(personal, open_coach):
    assert "13:00" in hours(open_coach, date(2027, 3, 10))
    assert hours(open_coach, date(2027, 3, 11)) == ALL_DAY


def test_declined_invitations_are_free_and_accepted_ones_busy(personal, open_coach):
    assert hours(open_coach, date(2027, 3, 12)) == without("15:00")


def test_without_an_own_address_a_declined_invitation_still_counts(open_coach, feeds):
    from coachctl.engine.coaches import edit_coach

    edit_coach(open_coach, email="")
    feeds.serve("/personal.ics", fixture("personal.ics"))
    calendar = busy_calendars.add_feed(open_coach, feeds.url("/personal.ics"))
    busy_calendars.sync_calendar(calendar, NOW)
    assert hours(open_coach, date(2027, 3, 12)) == without("13:00", "15:00")


def test_google_feed_recurs_in_its_x_wr_timezone(open_coach, feeds):
    feeds.serve("/google.ics", fixture("google.ics"))
    calendar = busy_calendars.add_feed(open_coach, feeds.url("/google.ics"), "Family")
    busy_calendars.sync_calendar(calendar, NOW)
    # 09:00 New York weekly: 14:00 UTC in EST, 13:00 UTC once New York is on EDT.
    assert hours(open_coach, date(2027, 3, 10)) == without("14:00")
    assert hours(open_coach, date(2027, 3, 17)) == without("13:00")


def test_busy_time_keeps_the_booking_types_buffers_clear(personal, open_coach):
    assert hours(open_coach, date(2027, 4, 13)) == without("12:00")
    edit_booking_type(get_booking_type(open_coach), buffer_before=30, buffer_after=15)
    assert hours(open_coach, date(2027, 4, 13)) == without("11:00", "12:00", "13:00")


def test_the_busy_intervals_carry_their_calendars_name(personal, open_coach):
    found = busy_calendars.load_busy(open_coach, utc(2027, 3, 1), utc(2027, 3, 2))
    assert [(b.start, b.end, b.label) for b in found] == [
        (utc(2027, 3, 1, 10), utc(2027, 3, 1, 11), "busy in 'Personal'")
    ]


def test_a_booking_into_busy_time_is_refused_inside_its_transaction(personal, open_coach, settings):
    customer = bookings.Customer("Ann Client", "ann@example.com", "UTC")
    kind = get_booking_type(open_coach)
    with pytest.raises(Conflict) as refused:
        bookings.create_booking(
            open_coach, kind, utc(2027, 3, 1, 10), customer, now=NOW, settings=settings
        )
    assert refused.value.code == "taken"
    booked = bookings.create_booking(
        open_coach, kind, utc(2027, 3, 1, 11), customer, now=NOW, settings=settings
    )
    assert booked.start == utc(2027, 3, 1, 11)


def test_removing_a_calendar_frees_its_time(personal, open_coach):
    busy_calendars.remove_calendar(open_coach, personal.id)
    assert hours(open_coach, date(2027, 3, 1)) == ALL_DAY


def test_only_the_booking_horizon_is_kept(personal):
    from coachctl.store.models import BusyInterval

    latest = BusyInterval.select().order_by(BusyInterval.end.desc()).first()
    assert latest.start < NOW + timedelta(days=63)


def test_slots_why_names_the_calendar_that_is_busy(personal, open_coach):
    (report,) = schedule.explain_day(
        open_coach, get_booking_type(open_coach), date(2027, 3, 1), NOW
    )
    reasons = {start.astimezone(LONDON).strftime("%H:%M"): why for start, why in report.removed}
    assert reasons["10:00"] == "busy in 'Personal' 10:00–11:00"
