"""Slot generation and conflict checks: a pure core over wall-clock windows, and its store face.

Windows are wall-clock times in the coach's zone. A window opens the first time the clock shows
its start and ends the first time the clock reaches its end after that, so a window that ends where
a fall-back hour begins closes on the first pass and never runs through the repeated hour; an edge
that falls in a gap is clipped to the transition, never shifted. The slot grid starts at the
window's local start and repeats every ``interval`` minutes of wall-clock time; a grid time that
does not exist (spring forward) yields no slot, one that happens twice (fall back) yields each
instant that fits inside the window.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
class Blocker:
    """Time no slot may overlap, and the label that explains it, e.g. ``blackout 'Dentist'``."""

    start: datetime
    end: datetime
    label: str = "blackout"


@dataclass(frozen=True)
class Busy:
    """Occupied time (a booking, by default) and the buffers kept free around it, with a label."""

    start: datetime
    end: datetime
    before: timedelta = timedelta(0)
    after: timedelta = timedelta(0)
    label: str = "booked"


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
class WindowReport:
    """One window on a local date: the slots it offers, and why each other grid start is missing.

    ``overridden`` marks a window of the date's override; a weekly window the override replaced
    is reported with every start removed for ``override in force``.

    ``removed`` pairs a start with its reason (``outside notice``, ``blackout 'Dentist'
    13:00–14:00``, ``booked 15:00–16:00``, ``buffer around booked 15:00–16:00`` …).
    """

    start: datetime
    end: datetime
    overridden: bool
    free: tuple[datetime, ...]
    removed: tuple[tuple[datetime, str], ...]

    def by_reason(self) -> dict[str, list[datetime]]:
        """The removed starts grouped under their reasons, in the order the reasons first occur."""
        grouped: dict[str, list[datetime]] = {}
        for start, reason in self.removed:
            grouped.setdefault(reason, []).append(start)
        return grouped


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


def _span(tz: ZoneInfo, day: date, window: WeeklyWindow) -> Interval:
    """The instants window ``window`` covers when it opens on local date ``day``."""
    wall_start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=window.start)
    wall_end = wall_start + timedelta(minutes=window.length)
    # It ends the first time the clock reaches ``wall_end``: the first pass of a repeated hour,
    # the transition in a gap; so a coach never works a repeated hour twice unless the window
    # runs through the whole of it.
    return Interval(earliest_instant(wall_start, tz), earliest_instant(wall_end, tz))


def _grid(
    tz: ZoneInfo, day: date, window: WeeklyWindow, span: Interval, rules: Rules
) -> Iterator[datetime]:
    """The grid starts of ``window`` on ``day`` whose session fits inside ``span``."""
    step = max(int(rules.interval / MINUTE), 1)
    wall_start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=window.start)
    steady = span.end - span.start == timedelta(minutes=window.length) and (
        span.start.astimezone(tz).utcoffset() == span.end.astimezone(tz).utcoffset()
    )
    for offset in range(0, window.length, step):
        if steady:  # no transition inside: wall time maps to UTC by one fixed shift
            starts = [span.start + timedelta(minutes=offset)]
        else:
            starts = wall_instants(wall_start + timedelta(minutes=offset), tz)
        for start in starts:
            if span.start <= start and start + rules.duration <= span.end:
                yield start


def _candidates(
    tz: ZoneInfo,
    windows_on: Callable[[date], Sequence[WeeklyWindow]],
    rules: Rules,
    first_day: date,
    last_day: date,
) -> Iterator[_Candidate]:
    """Grid starts of windows opening on local days ``first_day``…``last_day`` that fit inside."""
    day = first_day
    while day <= last_day:
        for window in windows_on(day):
            span = _span(tz, day, window)
            for start in _grid(tz, day, window, span, rules):
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
    """A coach's fixed facts for a stretch of time, ready to answer many slot questions quickly.

    ``overrides`` maps a local date to the windows that open on it instead of its weekday's
    (an empty sequence: none); blackouts and busy time still apply on an overridden date.
    """

    def __init__(
        self,
        tz: ZoneInfo,
        windows: Sequence[WeeklyWindow],
        blackouts: Iterable[Interval | Blocker],
        busy: Iterable[Busy],
        overrides: Mapping[date, Sequence[WeeklyWindow]] | None = None,
    ) -> None:
        self.tz = tz
        self.overrides = dict(overrides or {})
        self._by_weekday: dict[int, list[WeeklyWindow]] = {}
        for window in windows:
            self._by_weekday.setdefault(window.weekday, []).append(window)
        self.blockers = [
            b if isinstance(b, Blocker) else Blocker(b.start, b.end) for b in blackouts
        ]
        self.busy = list(busy)
        self._blackouts = _Blocked((b.start, b.end) for b in self.blockers)
        self._booked = _Blocked((b.start, b.end) for b in self.busy)
        self._booked_padded = _Blocked((b.start - b.before, b.end + b.after) for b in self.busy)

    def windows_on(self, day: date) -> Sequence[WeeklyWindow]:
        """The windows that open on local date ``day``: its override, else its weekday's."""
        if day in self.overrides:
            return self.overrides[day]
        return self._by_weekday.get(day.weekday(), ())

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
        last = self._local_day(high)
        for candidate in _candidates(self.tz, self.windows_on, rules, first, last):
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
        candidates = list(
            _candidates(self.tz, self.windows_on, rules, day - timedelta(days=1), day)
        )
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

    def explain(self, rules: Rules, now: datetime, day: date) -> list[WindowReport]:
        """Each window opening on local date ``day`` (and each weekly window an override there
        replaced), by start: its free starts, and why the rest of its grid is not offered."""
        weekly = self._by_weekday.get(day.weekday(), ())
        replaced = [(w, True) for w in weekly] if day in self.overrides else []
        reports = []
        for window, is_replaced in replaced + [(w, False) for w in self.windows_on(day)]:
            span = _span(self.tz, day, window)
            free: list[datetime] = []
            removed: list[tuple[datetime, str]] = []
            for start in sorted(set(_grid(self.tz, day, window, span, rules))):
                reason = "override in force" if is_replaced else self._why_not(rules, now, start)
                if reason is None:
                    free.append(start)
                else:
                    removed.append((start, reason))
            overridden = day in self.overrides and not is_replaced
            reports.append(
                WindowReport(span.start, span.end, overridden, tuple(free), tuple(removed))
            )
        return sorted(reports, key=lambda report: (report.start, report.overridden))

    def _why_not(self, rules: Rules, now: datetime, start: datetime) -> str | None:
        """Why a grid start inside a window is not offered, naming the blocker; None when free."""
        end = start + rules.duration
        if start < now:
            return "already past"
        if start < now + rules.notice:
            return "outside notice"
        if start >= now + rules.horizon:
            return "beyond horizon"
        for blocker in self.blockers:
            if blocker.start < end and start < blocker.end:
                return f"{blocker.label} {self._local_span(blocker.start, blocker.end)}"
        for busy in self.busy:
            if busy.start < end and start < busy.end:
                return f"{busy.label} {self._local_span(busy.start, busy.end)}"
        for busy in self.busy:
            padded_start, padded_end = busy.start - busy.before, busy.end + busy.after
            if (padded_start < end and start < padded_end) or (
                busy.start < end + rules.buffer_after and start - rules.buffer_before < busy.end
            ):
                return f"buffer around {busy.label} {self._local_span(busy.start, busy.end)}"
        return None

    def _local_span(self, start: datetime, end: datetime) -> str:
        """``HH:MM–HH:MM`` in the coach's zone, with dates when it does not lie within one day."""
        first, last = start.astimezone(self.tz), end.astimezone(self.tz)
        if first.date() == last.date():
            return f"{first:%H:%M}–{last:%H:%M}"
        if last.date() == first.date() + timedelta(days=1) and last.time() == datetime.min.time():
            return f"{first:%H:%M}–24:00"
        return f"{first:%Y-%m-%d %H:%M}–{last:%Y-%m-%d %H:%M}"


def by_local_day(slots: Iterable[Slot], tz: ZoneInfo) -> dict[date, list[Slot]]:
    """Slots grouped by the date they start on in ``tz`` (the viewer's zone), in order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return days
