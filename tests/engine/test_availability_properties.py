"""Property-based checks of the slot generator: random zones, windows, blackouts, bookings."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachctl.engine.availability import (
    Busy,
    Calendar,
    Interval,
    Rules,
    WeeklyWindow,
    earliest_instant,
    latest_instant,
)

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Europe/Berlin",
]
MIN = timedelta(minutes=1)

windows_st = st.lists(
    st.builds(
        lambda day, start, length: WeeklyWindow(day, start, (start + length) % 1440 or 1440),
        st.integers(0, 6),
        st.integers(0, 95).map(lambda q: q * 15),
        st.integers(1, 95).map(lambda q: q * 15),
    ),
    min_size=1,
    max_size=6,
)
rules_st = st.builds(
    Rules,
    duration=st.integers(3, 36).map(lambda m: m * 5 * MIN),
    interval=st.integers(1, 24).map(lambda m: m * 5 * MIN),
    buffer_before=st.integers(0, 12).map(lambda m: m * 5 * MIN),
    buffer_after=st.integers(0, 12).map(lambda m: m * 5 * MIN),
    notice=st.integers(0, 48 * 4).map(lambda m: m * 15 * MIN),
    horizon=st.integers(1, 21).map(lambda d: timedelta(days=d)),
)
now_st = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
)


def _intervals(now, max_size, max_minutes):
    return st.lists(
        st.tuples(st.integers(-2 * 1440, 20 * 1440), st.integers(5, max_minutes)).map(
            lambda t: (now + t[0] * MIN, now + (t[0] + t[1]) * MIN)
        ),
        max_size=max_size,
    )


@st.composite
def scenarios(draw):
    now = draw(now_st)
    blackouts = [Interval(s, e) for s, e in draw(_intervals(now, 5, 3 * 1440))]
    busy = [
        Busy(s, e, draw(st.integers(0, 60)) * MIN, draw(st.integers(0, 60)) * MIN)
        for s, e in draw(_intervals(now, 12, 180))
    ]
    return (
        ZoneInfo(draw(st.sampled_from(ZONES))),
        draw(windows_st),
        blackouts,
        busy,
        draw(rules_st),
        now,
    )


def _on_grid_inside_a_window(slot, tz, windows, rules):
    local = slot.start.astimezone(tz).replace(tzinfo=None)
    step = rules.interval // MIN
    for window in windows:
        for back in (0, 1):
            day = local.date() - timedelta(days=back)
            if day.weekday() != window.weekday:
                continue
            wall_start = datetime.combine(day, datetime.min.time()) + window.start * MIN
            offset = (local - wall_start) // MIN
            span_start = earliest_instant(wall_start, tz)
            span_end = latest_instant(wall_start + window.length * MIN, tz)
            if (
                0 <= offset < window.length
                and offset % step == 0
                and span_start <= slot.start
                and slot.end <= span_end
            ):
                return True
    return False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_slots_respect_every_rule(scenario):
    tz, windows, blackouts, busy, rules, now = scenario
    calendar = Calendar(tz, windows, blackouts, busy)
    slots = calendar.slots(rules, now, now - timedelta(days=1), now + timedelta(days=22))

    starts = [s.start for s in slots]
    assert starts == sorted(set(starts)), "sorted and unique"
    for slot in slots:
        assert slot.end - slot.start == rules.duration
        assert slot.start >= now + rules.notice, "minimum notice"
        assert slot.start < now + rules.horizon, "horizon"
        for blackout in blackouts:
            assert not (slot.start < blackout.end and blackout.start < slot.end), "blackout"
        for b in busy:
            gap_before = max(rules.buffer_before, b.after)
            gap_after = max(rules.buffer_after, b.before)
            assert slot.end + gap_after <= b.start or b.end + gap_before <= slot.start, "buffers"
        assert _on_grid_inside_a_window(slot, tz, windows, rules), "inside a window, on the grid"
        assert calendar.refusal(rules, now, slot.start) is None, "a listed slot is bookable"


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.integers(0, 14 * 24 * 4))
def test_a_start_that_is_not_listed_is_refused(scenario, quarter_hours):
    tz, windows, blackouts, busy, rules, now = scenario
    calendar = Calendar(tz, windows, blackouts, busy)
    proposed = now.replace(minute=0) + quarter_hours * 15 * MIN
    listed = {
        s.start
        for s in calendar.slots(
            rules, now, proposed - timedelta(days=1), proposed + timedelta(days=1)
        )
    }
    refusal = calendar.refusal(rules, now, proposed)
    assert (refusal is None) == (proposed in listed)
