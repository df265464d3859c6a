"""Many clients racing for one slot: exactly one wins, on either backend."""

import threading
from datetime import UTC, datetime, timedelta

from webtest import TestApp

from coachctl.engine.parse import format_instant
from coachctl.engine.scheduling import schedule
from coachctl.server.app import wsgi
from coachctl.store.models import Booking

RACERS = 50


def test_fifty_concurrent_bookings_of_one_slot_yield_one_201(coach, settings, database_url):
    for day in range(7):
        schedule.add_window(coach, day, "00:00", "24:00")
    start = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    app = wsgi(settings)
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []

    def racer(n: int) -> None:
        client = TestApp(app)
        body = {
            "coach": "jane",
            "type": "session",
            "start": format_instant(start),
            "name": f"Racer {n}",
            "email": f"racer{n}@example.com",
        }
        barrier.wait()
        statuses.append(client.post_json("/api/bookings", body, expect_errors=True).status_int)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * (RACERS - 1)
    assert Booking.select().where(Booking.start == start).count() == 1
