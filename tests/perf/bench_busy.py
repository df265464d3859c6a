"""Busy time from the coach's own calendars: slots for 90 days with and without 5,000 busy
intervals, and one sync of a 2 MB feed holding 300 recurring series.

Run: python -m tests.perf.bench_busy
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.perf.bench_slots import _seed
from tests.perf.harness import scratch_home


def _median_ms(run, repeat: int = 7) -> tuple[float, float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), min(timings)


def bench_slots_with_busy(intervals: int = 5_000) -> None:
    from coachctl.engine.scheduling import schedule
    from coachctl.store.db import db
    from coachctl.store.models import BusyCalendar, BusyInterval

    with scratch_home():
        coach, kind, now = _seed(1_000)
        end = now + timedelta(days=90)

        def run() -> None:
            schedule.find_slots(coach, kind, now, end, now)

        plain, plain_best = _median_ms(run)
        free_before = len(schedule.find_slots(coach, kind, now, end, now))
        calendar = BusyCalendar.create(coach=coach, name="Bench", kind="ICS", url="http://x/")
        rng = random.Random(11)
        rows = []
        for _ in range(intervals):
            start = now + timedelta(minutes=15 * rng.randrange(0, 4 * 24 * 90))
            rows.append(
                {
                    "calendar": calendar.id,
                    "coach": coach.id,
                    "start": start,
                    "end": start + timedelta(minutes=rng.choice([15, 30, 60, 90])),
                    "all_day": False,
                }
            )
        with db.atomic():
            for offset in range(0, len(rows), 500):
                BusyInterval.insert_many(rows[offset : offset + 500]).execute()
        busy, busy_best = _median_ms(run)
        free_after = len(schedule.find_slots(coach, kind, now, end, now))
        db.close()
    print(
        f"slots for 90 days, 1,000 bookings: median {plain:6.1f} ms (best {plain_best:.1f}), "
        f"{free_before} free"
    )
    print(
        f"  + {intervals:,} busy intervals:    median {busy:6.1f} ms (best {busy_best:.1f}), "
        f"{free_after} free; ratio {busy / plain:.2f}x (limit 2x)"
    )


def _feed(series: int = 300, target: int = 2 * 1024 * 1024) -> bytes:
    """A Google-like feed: ``series`` weekly/monthly series with EXDATEs and moved occurrences,
    padded with past one-off events and long descriptions to ``target`` bytes."""
    rng = random.Random(5)
    base = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", "X-WR-TIMEZONE:Europe/Paris"]

    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y%m%dT%H%M%S")

    for n in range(series):
        first = base - timedelta(days=rng.randrange(0, 400)) + timedelta(hours=rng.randrange(7, 19))
        rule = "FREQ=WEEKLY" if n % 3 else "FREQ=MONTHLY"
        lines += [
            "BEGIN:VEVENT",
            f"UID:series-{n}@bench",
            "DTSTAMP:20260101T000000Z",
            f"SUMMARY:Series {n}",
            f"DESCRIPTION:{'notes ' * 40}",
            f"DTSTART;TZID=Europe/Paris:{stamp(first)}",
            f"DTEND;TZID=Europe/Paris:{stamp(first + timedelta(minutes=45))}",
            f"RRULE:{rule}",
            f"EXDATE;TZID=Europe/Paris:{stamp(first + timedelta(days=7 * (1 + n % 5)))}",
            "END:VEVENT",
        ]
        if n % 10 == 0:
            moved = first + timedelta(days=7 * 60)
            lines += [
                "BEGIN:VEVENT",
                f"UID:series-{n}@bench",
                "DTSTAMP:20260101T000000Z",
                f"RECURRENCE-ID;TZID=Europe/Paris:{stamp(moved)}",
                f"DTSTART;TZID=Europe/Paris:{stamp(moved + timedelta(hours=2))}",
                f"DTEND;TZID=Europe/Paris:{stamp(moved + timedelta(hours=3))}",
                "END:VEVENT",
            ]
    n = 0
    while sum(len(line) + 2 for line in lines) < target:
        past = base - timedelta(days=rng.randrange(2, 2000), hours=rng.randrange(0, 24))
        lines += [
            "BEGIN:VEVENT",
            f"UID:single-{n}@bench",
            "DTSTAMP:20260101T000000Z",
            f"SUMMARY:One-off {n}",
            f"DESCRIPTION:{'minutes ' * 60}",
            f"DTSTART:{stamp(past)}Z",
            f"DTEND:{stamp(past + timedelta(hours=1))}Z",
            "END:VEVENT",
        ]
        n += 1
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def bench_sync_big_feed() -> None:
    from coachctl.engine import coaches
    from coachctl.engine.scheduling import busy_calendars
    from coachctl.store.db import db, open_database
    from coachctl.store.migrations import migrate

    body = _feed()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with scratch_home():
            from coachctl.config import ensure_secret

            open_database(ensure_secret().database_url)
            migrate()
            coach = coaches.create_coach("feed", "Feed Coach", "Europe/London")
            calendar = busy_calendars.add_feed(
                coach, f"http://127.0.0.1:{server.server_port}/big.ics", "Big"
            )
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                result = busy_calendars.sync_calendar(calendar)
                timings.append(time.perf_counter() - started)
                assert result.error == "", result.error
            db.close()
    finally:
        server.shutdown()
        server.server_close()
    print(
        f"sync of a {len(body) / 1024 / 1024:.2f} MB feed, 300 recurring series: median "
        f"{statistics.median(timings):.2f} s (best {min(timings):.2f} s), "
        f"{result.intervals} busy intervals kept (limit 2 s)"
    )


if __name__ == "__main__":
    bench_slots_with_busy()
    bench_sync_big_feed()
