"""Slot generation and conflict checks: a pure core over wall-clock windows, and its store face.

Windows are wall-clock times in the coach's zone. The slot grid starts at each window's local
start and repeats every ``interval`` minutes of wall-clock time; a wall time that does not exist
(spring forward) yields no slot, one that happens twice (fall back) yields both instants. A window
whose edge falls in a gap is clipped to the transition, never shifted.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

MINUTE = timedelta(minutes=1)
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class WeeklyWindow:
    """A weekly wall-clock window: ``end`` ≤ ``start`` means it runs past midnight."""

    weekday: int
    start: int
    end: int

    @property
    def length(self) -> int:
        return (
            self.end - self.start if self.end > self.start else self.end + DAY_MINUTES - self.start
        )


@dataclass(frozen=True)
class Interval:
    """A half-open span of time ``[start, end)`` between aware UTC instants."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Busy:
    """An existing booking: its own time and the buffers kept free around it."""

    start: datetime
    end: datetime
    before: timedelta = timedelta(0)
    after: timedelta = timedelta(0)


@dataclass(frozen=True)
class Rules:
    """What a booking type asks of a slot."""

    duration: timedelta
    interval: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    notice: timedelta = timedelta(0)
    horizon: timedelta = timedelta(days=60)


@dataclass(frozen=True)
class Slot:
    """A bookable span, in UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Refusal:
    """Why a proposed start is not bookable: a stable code and a sentence."""

    code: str
    message: str


def wall_instants(wall: datetime, tz: ZoneInfo) -> list[datetime]:
    """The UTC instants a naive wall-clock time denotes in ``tz``: none in a gap, two in a fold."""
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == wall and instant not in found:
            found.append(instant)
    return sorted(found)


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The transition instant that swallowed the nonexistent wall time ``wall``."""
    low = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if low > high:
        low, high = high, low
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).replace(tzinfo=None) < wall:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)


def earliest_instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first instant at or after wall time ``wall`` (a gap clips to its end)."""
    instants = wall_instants(wall, tz)
    return instants[0] if instants else _gap_end(wall, tz)


def latest_instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """The last instant at wall time ``wall`` (a fold gives its second pass; a gap its end)."""
    instants = wall_instants(wall, tz)
    return instants[-1] if instants else _gap_end(wall, tz)


def local_days(first: date, days: int, tz: ZoneInfo) -> Interval:
    """The UTC span of ``days`` whole local days from ``first`` in ``tz``."""
    midnight = datetime.combine(first, datetime.min.time())
    return Interval(
        earliest_instant(midnight, tz), earliest_instant(midnight + timedelta(days=days), tz)
    )


@dataclass(frozen=True)
class _Candidate:
    start: datetime
    window: Interval


def _candidates(
    tz: ZoneInfo,
    windows: Sequence[WeeklyWindow],
    rules: Rules,
    first_day: date,
    last_day: date,
) -> Iterator[_Candidate]:
    """Grid starts of windows opening on local days ``first_day``…``last_day`` that fit inside."""
    by_weekday: dict[int, list[WeeklyWindow]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    step = max(int(rules.interval / MINUTE), 1)
    day = first_day
    while day <= last_day:
        midnight = datetime.combine(day, datetime.min.time())
        for window in by_weekday.get(day.weekday(), ()):
            wall_start = midnight + timedelta(minutes=window.start)
            wall_end = wall_start + timedelta(minutes=window.length)
            span = Interval(earliest_instant(wall_start, tz), latest_instant(wall_end, tz))
            steady = span.end - span.start == wall_end - wall_start and (
                span.start.astimezone(tz).utcoffset() == span.end.astimezone(tz).utcoffset()
            )
            for offset in range(0, window.length, step):
                if steady:  # no transition inside: wall time maps to UTC by one fixed shift
                    starts = [span.start + timedelta(minutes=offset)]
                else:
                    starts = wall_instants(wall_start + timedelta(minutes=offset), tz)
                for start in starts:
                    if span.start <= start and start + rules.duration <= span.end:
                        yield _Candidate(start, span)
        day += timedelta(days=1)


class _Blocked:
    """Merged, sorted intervals with a logarithmic overlap test."""

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]) -> None:
        merged: list[list[datetime]] = []
        for start, end in sorted(i for i in intervals if i[1] > i[0]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def overlaps(self, start: datetime, end: datetime) -> bool:
        index = bisect_right(self.ends, start)
        return index < len(self.starts) and self.starts[index] < end


class Calendar:
    """A coach's fixed facts for a stretch of time, ready to answer many slot questions quickly."""

    def __init__(
        self,
        tz: ZoneInfo,
        windows: Sequence[WeeklyWindow],
        blackouts: Iterable[Interval],
        busy: Iterable[Busy],
    ) -> None:
        self.tz = tz
        self.windows = list(windows)
        busy = list(busy)
        self._blackouts = _Blocked((b.start, b.end) for b in blackouts)
        self._booked = _Blocked((b.start, b.end) for b in busy)
        self._booked_padded = _Blocked((b.start - b.before, b.end + b.after) for b in busy)

    def _local_day(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()

    def is_free(self, start: datetime, end: datetime, rules: Rules) -> bool:
        """True when ``[start, end)`` misses every blackout and keeps every buffer clear."""
        return not (
            self._blackouts.overlaps(start, end)
            or self._booked.overlaps(start - rules.buffer_before, end + rules.buffer_after)
            or self._booked_padded.overlaps(start, end)
        )

    def slots(self, rules: Rules, now: datetime, start: datetime, end: datetime) -> list[Slot]:
        """Free slots starting in ``[start, end)``, honouring notice and horizon; sorted, unique."""
        low = max(start, now + rules.notice)
        high = min(end, now + rules.horizon)
        if low >= high:
            return []
        found: dict[datetime, Slot] = {}
        first = self._local_day(low) - timedelta(days=1)
        for candidate in _candidates(self.tz, self.windows, rules, first, self._local_day(high)):
            slot_start = candidate.start
            if slot_start in found or not (low <= slot_start < high):
                continue
            slot_end = slot_start + rules.duration
            if self.is_free(slot_start, slot_end, rules):
                found[slot_start] = Slot(slot_start, slot_end)
        return [found[key] for key in sorted(found)]

    def first_slot(self, rules: Rules, now: datetime) -> Slot | None:
        """The earliest free slot within the horizon, searching a week at a time."""
        start, horizon_end = now, now + rules.horizon
        while start < horizon_end:
            end = min(start + timedelta(days=7), horizon_end)
            slots = self.slots(rules, now, start, end)
            if slots:
                return slots[0]
            start = end
        return None

    def refusal(self, rules: Rules, now: datetime, start: datetime) -> Refusal | None:
        """Why a booking starting at ``start`` is refused, or None when it is bookable."""
        end = start + rules.duration
        if start < now:
            return Refusal("in_past", "that time has already passed")
        if start < now + rules.notice:
            return Refusal("too_soon", "that time is too soon; the coach needs more notice")
        if start >= now + rules.horizon:
            return Refusal("too_far", "that time is too far ahead to book yet")
        day = self._local_day(start)
        candidates = list(_candidates(self.tz, self.windows, rules, day - timedelta(days=1), day))
        if not any(c.start == start for c in candidates):
            inside = any(c.window.start <= start and end <= c.window.end for c in candidates)
            if inside:
                return Refusal("off_grid", "that time is not one of the offered start times")
            return Refusal("outside_window", "that time is outside the coach's working hours")
        if self._blackouts.overlaps(start, end):
            return Refusal("blackout", "the coach is unavailable then")
        if not self.is_free(start, end, rules):
            return Refusal("taken", "that time was just taken; please pick another")
        return None


def by_local_day(slots: Iterable[Slot], tz: ZoneInfo) -> dict[date, list[Slot]]:
    """Slots grouped by the date they start on in ``tz`` (the viewer's zone), in order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return days
