"""Analytics: events/s through POST /api/analytics/events (single and batches of 100) under
`coachctl serve`, the report over 1,000,000 events spread over a year, and the bio page with
counting on against a bottle hello-world (bench_web).

Run: python -m tests.perf.bench_analytics
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from tests.perf.bench_web import bench_bio_page
from tests.perf.harness import demo_served, scratch_home, wrk

LUA = 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "text/plain"\nwrk.body = [[{body}]]\n'


def bench_ingest(workers: int = 4) -> None:
    event = {"coach": "maya-lindqvist", "type": "cta_click", "path": "/maya-lindqvist"}
    with demo_served("/maya-lindqvist", workers) as base:
        for label, body, size in (
            ("single", event, 1),
            ("batch of 100", {"events": [event] * 100}, 100),
        ):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(LUA.format(body=json.dumps(body)))
            wrk(base + "/api/analytics/events", seconds=2, script=script.name)
            run = wrk(base + "/api/analytics/events", script=script.name)
            print(
                f"ingest {label:13} {run['rps'] * size:9.0f} events/s  "
                f"({run['rps']:.0f} req/s, p99 {run['p99']:.1f} ms, non-2xx {run['non_2xx']})"
            )


def bench_report(events: int = 1_000_000) -> None:
    from coachctl.engine.coaches import create_coach
    from coachctl.engine.insights import report, rollups
    from coachctl.engine.insights.buffer import write_events
    from coachctl.store.db import open_database
    from coachctl.store.migrations import migrate

    with scratch_home() as home:
        open_database(f"sqlite:///{home / 'coachctl.db'}")
        migrate()
        coach = create_coach("bench", "Bench", "America/New_York")
        now = datetime(2027, 1, 1, 12, tzinfo=UTC)
        rng = random.Random(7)
        kinds = ["page_view"] * 90 + ["cta_click"] * 6 + ["outbound"] * 4
        started = time.perf_counter()
        for chunk in range(0, events, 50_000):
            write_events(
                [
                    {
                        "coach": coach.id,
                        "type": rng.choice(kinds),
                        "path": rng.choice(("/bench", "/bench/about", "/book/bench")),
                        "referrer": "",
                        "source": rng.choice(("", "x.com", "newsletter", "google.com")),
                        "utm_source": "",
                        "utm_medium": "",
                        "utm_campaign": "",
                        "country": "",
                        "visitor": f"{rng.randrange(20_000):032x}",
                        "product": None,
                        "occurred_at": now - timedelta(seconds=rng.randrange(365 * 86400)),
                    }
                    for _ in range(min(50_000, events - chunk))
                ]
            )
        print(f"loaded {events} events in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        days = rollups.rebuild(coach, now)
        print(f"rollups of {days} days built in {time.perf_counter() - started:.1f} s")
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            data = report.summary(coach, date(2026, 1, 1), date(2026, 12, 31), now=now)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"report over a year: {min(timings):.0f} ms best, {max(timings):.0f} ms worst "
            f"({data['views']} views)"
        )


if __name__ == "__main__":
    import sys

    if "--web-only" not in sys.argv:
        bench_report()
    bench_ingest()
    bench_bio_page(workers=4)
