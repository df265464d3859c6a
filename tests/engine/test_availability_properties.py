"""Property-based checks of the slot generator: random zones, windows, blackouts, bookings."""

import functools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachctl.engine.scheduling.availability import (
    Busy,
    Calendar,
    Interval,
    Rules,
    WeeklyWindow,
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


QUARTER = 15 * MIN


def _clock(instant, tz):
    return instant.astimezone(tz).replace(tzinfo=None)


def _intervals(now, max_size, max_minutes):
    return st.lists(
        st.tuples(st.integers(-2 * 1440, 20 * 1440), st.integers(5, max_minutes)).map(
            lambda t: (now + t[0] * MIN, now + (t[0] + t[1]) * MIN)
        ),
        max_size=max_size,
    )


@functools.cache
def _transitions(zone):
    """Every instant in 2026-2029 at which ``zone`` changes its offset, to the minute."""
    tz = ZoneInfo(zone)
    found = []
    day = datetime(2026, 1, 1, tzinfo=UTC)
    while day.year < 2030:
        low, high = day, day + timedelta(days=1)
        if low.astimezone(tz).utcoffset() != high.astimezone(tz).utcoffset():
            while high - low > MIN:
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        day += timedelta(days=1)
    return found


@st.composite
def _windows_at_a_transition(draw, transition, tz):
    """Windows with an edge at or near the wall time where the clock jumps, either way."""
    before, after = transition - MIN, transition
    pivots = [_clock(before, tz) + MIN, _clock(after, tz)]
    windows = []
    for _ in range(draw(st.integers(1, 3))):
        pivot = draw(st.sampled_from(pivots)) + draw(st.integers(-4, 4)) * QUARTER
        length = draw(st.integers(1, 95)) * 15
        if draw(st.booleans()):  # the pivot is the window's end, else its start
            pivot -= length * MIN
        start = pivot.hour * 60 + pivot.minute
        windows.append(WeeklyWindow(pivot.weekday(), start, (start + length) % 1440 or 1440))
    return windows


@st.composite
def scenarios(draw):
    zone = draw(st.sampled_from(ZONES))
    tz = ZoneInfo(zone)
    windows = draw(windows_st)
    transitions = _transitions(zone)
    if transitions and draw(st.booleans()):  # half the time: a few days before a DST change
        transition = draw(st.sampled_from(transitions))
        now = transition - draw(st.integers(0, 4 * 24 * 4)) * QUARTER
        windows += draw(_windows_at_a_transition(transition, tz))
    else:
        now = draw(now_st)
    blackouts = [Interval(s, e) for s, e in draw(_intervals(now, 5, 3 * 1440))]
    busy = [
        Busy(s, e, draw(st.integers(0, 60)) * MIN, draw(st.integers(0, 60)) * MIN)
        for s, e in draw(_intervals(now, 12, 180))
    ]
    return (tz, windows, blackouts, busy, draw(rules_st), now)


def _first_reaching(wall, tz, after):
    """The first quarter-hour instant from ``after`` on at which the clock in ``tz`` shows ``wall``
    or later. Every zone drawn here changes offset on a quarter hour by a multiple of 15 minutes,
    and every window edge is on a quarter hour, so stepping by quarter hours misses nothing."""
    instant = after
    while _clock(instant, tz) < wall:
        instant += QUARTER
    return instant


@functools.cache
def _window_span(wall_start, wall_end, tz):
    """The model of a window's span, stated from the rule rather than the engine's helpers: it
    opens the first time the clock reaches its start (in a gap, at the transition), and it ends
    the first time the clock reaches its end after it opened, so a repeated hour is worked twice
    only when the window runs through the whole of it."""
    no_earlier = wall_start.replace(tzinfo=UTC) - timedelta(hours=15)  # no zone is ahead by 15h
    start = _first_reaching(wall_start, tz, no_earlier)
    return start, _first_reaching(wall_end, tz, start)


def _on_grid_inside_a_window(slot, tz, windows, rules):
    local = _clock(slot.start, tz)
    step = rules.interval // MIN
    for window in windows:
        for back in (0, 1):
            day = local.date() - timedelta(days=back)
            if day.weekday() != window.weekday:
                continue
            wall_start = datetime.combine(day, datetime.min.time()) + window.start * MIN
            offset = (local - wall_start) // MIN
            span_start, span_end = _window_span(wall_start, wall_start + window.length * MIN, tz)
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
    for slot in slots[:: max(1, len(slots) // 25)]:  # a spread of them: refusal is the slow part
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


ZONES_WITH_DST = [zone for zone in ZONES if _transitions(zone)]
FIVE = 5 * MIN


@st.composite
def transition_scenarios(draw):
    tz = ZoneInfo(draw(st.sampled_from(ZONES_WITH_DST)))
    transition = draw(st.sampled_from(_transitions(tz.key)))
    rules = Rules(
        duration=draw(st.integers(1, 36)) * FIVE,
        interval=draw(st.integers(1, 24)) * FIVE,
        horizon=timedelta(days=30),
    )
    return tz, transition, draw(_windows_at_a_transition(transition, tz)), rules


def _model_starts(tz, windows, rules, low, high):
    """Every instant in ``[low, high)`` that the model offers: inside a window's span with room for
    the session, and at an instant where the clock shows one of the window's grid times."""
    found = set()
    for window in windows:
        day = _clock(low, tz).date() - timedelta(days=1)
        while day <= _clock(high, tz).date():
            if day.weekday() == window.weekday:
                wall_start = datetime.combine(day, datetime.min.time()) + window.start * MIN
                grid = {
                    wall_start + k * rules.interval
                    for k in range(window.length)
                    if k * rules.interval < window.length * MIN
                }
                start, end = _window_span(wall_start, wall_start + window.length * MIN, tz)
                instant = start
                while instant + rules.duration <= end:
                    if low <= instant < high and _clock(instant, tz) in grid:
                        found.add(instant)
                    instant += FIVE
            day += timedelta(days=1)
    return found


@settings(max_examples=200, deadline=None)
@given(transition_scenarios())
def test_with_nothing_booked_the_slots_around_a_dst_change_are_exactly_the_models(scenario):
    tz, transition, windows, rules = scenario
    low, high = transition - timedelta(days=2), transition + timedelta(days=2)
    slots = Calendar(tz, windows, [], []).slots(rules, low - timedelta(days=1), low, high)
    assert {s.start for s in slots} == _model_starts(tz, windows, rules, low, high)
