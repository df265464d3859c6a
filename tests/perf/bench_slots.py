"""Slot generation for 90 days (10 windows a week, 50 blackouts) as existing bookings grow from
1,000 to 100,000, and bookings per second through POST /api/bookings under gunicorn.

Run: python -m tests.perf.bench_slots
"""

from __future__ import annotations

import json
import random
import statistics
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta

from tests.perf.harness import free_port, scratch_home, served
from tests.support import serve_command


def _seed(bookings: int):
    from coachctl.config import ensure_secret
    from coachctl.engine import coaches
    from coachctl.engine.scheduling import schedule
    from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
    from coachctl.store.db import db, open_database
    from coachctl.store.migrations import migrate
    from coachctl.store.models import Booking

    open_database(ensure_secret().database_url)
    migrate()
    coach = coaches.create_coach("bench", "Bench Coach", "America/New_York")
    for day in range(5):
        schedule.add_window(coach, day, "08:00", "12:00")
        schedule.add_window(coach, day, "13:00", "18:00")
    kind = get_booking_type(coach)
    edit_booking_type(kind, duration=30, interval=15, buffer_after=10, notice=0, horizon_days=90)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    rng = random.Random(7)
    for n in range(50):
        start = now + timedelta(days=rng.uniform(0, 90))
        schedule.add_blackout(
            coach, start, start + timedelta(hours=rng.choice([2, 4, 24])), f"b{n}"
        )
    # Existing bookings spread over five past years and the next one.
    rows = []
    for n in range(bookings):
        start = now + timedelta(minutes=15 * rng.randrange(-4 * 24 * 365 * 5, 4 * 24 * 365))
        rows.append(
            {
                "coach": coach.id,
                "booking_type": kind.id,
                "customer_name": f"c{n}",
                "customer_email": f"c{n}@example.com",
                "start": start,
                "end": start + timedelta(minutes=30),
                "buffer_after": 10,
                "status": "CONFIRMED",
                "manage_token": f"t{n}",
            }
        )
    with db.atomic():
        for offset in range(0, len(rows), 500):
            Booking.insert_many(rows[offset : offset + 500]).execute()
    return coach, kind, now


def bench_slot_generation() -> None:
    from coachctl.engine.scheduling import schedule
    from coachctl.store.db import db
    from coachctl.store.models import Booking

    for count in (1_000, 10_000, 100_000):
        with scratch_home():
            coach, kind, now = _seed(count)
            in_range = (
                Booking.select()
                .where((Booking.start >= now) & (Booking.start < now + timedelta(days=90)))
                .count()
            )
            timings = []
            for _ in range(7):
                started = time.perf_counter()
                slots = schedule.find_slots(coach, kind, now, now + timedelta(days=90), now)
                timings.append((time.perf_counter() - started) * 1000)
            db.close()
        print(
            f"slots for 90 days, {count:>7,} bookings ({in_range:>5,} in range): median "
            f"{statistics.median(timings):6.1f} ms (best {min(timings):.1f} ms), {len(slots)} free"
        )


def bench_booking_api(clients: int = 16, per_client: int = 40) -> None:
    with scratch_home():
        coach, kind, now = _seed(0)
        from coachctl.engine.scheduling import schedule
        from coachctl.engine.scheduling.booking_types import edit_booking_type
        from coachctl.store.db import db

        for day in (5, 6):
            schedule.add_window(coach, day, "08:00", "18:00")
        edit_booking_type(kind, horizon_days=365, buffer_after=0, interval=30)
        free = schedule.find_slots(
            coach, kind, now + timedelta(hours=1), now + timedelta(days=365), now
        )
        db.close()
        port = free_port()
        command = serve_command(port, 4)
        with served(command, "/api/coaches/bench", port) as base:
            starts = [s.start.strftime("%Y-%m-%dT%H:%M:%SZ") for s in free]
            random.Random(3).shuffle(starts)
            statuses: list[int] = []
            lock = threading.Lock()

            def client(n: int) -> None:
                for i in range(per_client):
                    start = starts[n * per_client + i]
                    body = json.dumps(
                        {
                            "coach": "bench",
                            "start": start,
                            "name": "B",
                            "email": f"b{n}-{i}@example.com",
                        }
                    ).encode()
                    request = urllib.request.Request(
                        base + "/api/bookings", body, {"Content-Type": "application/json"}
                    )
                    try:
                        status = urllib.request.urlopen(request).status
                    except urllib.error.HTTPError as error:
                        status = error.code
                    with lock:
                        statuses.append(status)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
    created = statuses.count(201)
    print(
        f"POST /api/bookings: {created / elapsed:6.0f} bookings/s "
        f"({created} created, {len(statuses) - created} refused, {clients} concurrent clients)"
    )


if __name__ == "__main__":
    bench_slot_generation()
    bench_booking_api()
