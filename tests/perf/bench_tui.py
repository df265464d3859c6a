"""How long each console screen takes from its key to painted rows, with 10,000 bookings,
1,000 products, 2,000 orders and 10,000 emails in a SQLite database.

Run: python -m tests.perf.bench_tui
"""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import UTC, datetime, timedelta

from coachctl.tui.screens import SECTIONS
from tests.perf.harness import scratch_home

BOOKINGS, PRODUCTS, ORDERS = 10_000, 1_000, 2_000
SCREENS = {section.NAME: section.KEY for section in SECTIONS}
TABLES = {
    "agenda": "#agenda-table",
    "availability": "#free-table",
    "catalog": "#products-table",
    "orders": "#orders-table",
    "courses": "#courses-table",
    "outbox": "#outbox-table",
}
VIEWS = 100_000  # page views over the 30 days the report shows


def seed(now: datetime) -> None:
    """A coach open around the clock with a year of sessions around ``now``, and a big shop."""
    from coachctl.engine.coaches import create_coach
    from coachctl.engine.scheduling import schedule
    from coachctl.store.db import db
    from coachctl.store.models import AnalyticsEvent, Booking, BookingType, Order, Outbox, Product

    coach = create_coach("bench", "Bench Coach", "Europe/London")
    for day in range(7):
        schedule.add_window(coach, day, "00:00", "24:00")
    kind = BookingType.get(coach=coach)
    step = timedelta(days=365) / BOOKINGS
    first = now - timedelta(days=182)
    with db.atomic():
        rows = [
            {
                "coach": coach.id,
                "booking_type": kind.id,
                "customer_name": f"Client {n}",
                "customer_email": f"c{n % 700}@x.test",
                "start": first + step * n,
                "end": first + step * n + timedelta(minutes=30),
                "status": "CONFIRMED" if n % 9 else "CANCELLED",
                "manage_token": secrets.token_hex(16),
            }
            for n in range(BOOKINGS)
        ]
        for chunk in range(0, len(rows), 500):
            Booking.insert_many(rows[chunk : chunk + 500]).execute()
        Product.insert_many(
            [
                {
                    "coach": coach.id,
                    "title": f"Product {n}",
                    "price_minor": 100 * n,
                    "currency": "EUR",
                    "active": bool(n % 5),
                }
                for n in range(PRODUCTS)
            ]
        ).execute()
        for chunk in range(0, ORDERS, 500):
            Order.insert_many(
                [
                    {
                        "coach": coach.id,
                        "customer_email": f"c{n}@x.test",
                        "description": "Thing",
                        "amount_minor": 2900,
                        "currency": "EUR",
                        "provider": "sandbox",
                        "status": ("PAID", "PENDING", "REFUNDED")[n % 3],
                    }
                    for n in range(chunk, chunk + 500)
                ]
            ).execute()
        for chunk in range(0, BOOKINGS, 500):
            Outbox.insert_many(
                [
                    {
                        "coach": coach.id,
                        "kind": "booking_confirmed",
                        "recipient": f"c{n}@x.test",
                        "subject": f"Session {n}",
                        "body_text": "Hello",
                        "dedupe_key": f"bench-{n}",
                        "status": ("SENT", "PENDING", "FAILED")[n % 3],
                    }
                    for n in range(chunk, chunk + 500)
                ]
            ).execute()
        for chunk in range(0, VIEWS, 1000):
            AnalyticsEvent.insert_many(
                [
                    {
                        "coach": coach.id,
                        "type": "page_view",
                        "path": "/bench",
                        "visitor": f"v{n % 5000}",
                        "occurred_at": now - timedelta(days=30) * n / VIEWS,
                    }
                    for n in range(chunk, chunk + 1000)
                ]
            ).execute()
    db.close()


async def measure(now: datetime) -> dict[str, tuple[float, float, int]]:
    """Per screen: seconds from its key to painted rows, first visit and a refresh, and rows."""
    from textual.widgets import DataTable, Sparkline

    from coachctl.config import load_settings
    from coachctl.tui.app import make_app
    from coachctl.tui.messages import Loaded

    loaded: list[str] = []

    def hook(message) -> None:
        if isinstance(message, Loaded):
            loaded.append(message.section)

    async def timed(pilot, key: str, name: str) -> float:
        loaded.clear()
        start = time.perf_counter()
        await pilot.press(key)
        while name not in loaded:
            await asyncio.sleep(0.001)
        await pilot.pause()  # the rows are laid out and painted
        return time.perf_counter() - start

    app = make_app(load_settings(), clock=lambda: now)
    figures = {}
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        while "agenda" not in loaded:
            await asyncio.sleep(0.01)
        await pilot.press("2")  # so the first timing of the agenda is a real switch
        await app.workers.wait_for_complete()
        for name, key in SCREENS.items():
            first = await timed(pilot, key, name)
            again = await timed(pilot, "r", name)
            if name == "reports":
                rows = len(app.screen.query_one("#views", Sparkline).data)
            else:
                rows = app.screen.query_one(TABLES[name], DataTable).row_count
            figures[name] = (first, again, rows)
    return figures


def main() -> None:
    from coachctl.store.db import open_database
    from coachctl.store.migrations import migrate

    now = datetime(2030, 3, 4, 8, tzinfo=UTC)
    with scratch_home() as home:
        open_database(f"sqlite:///{home / 'coachctl.db'}")
        migrate()
        seed(now)
        figures = asyncio.run(measure(now))
    print(
        f"{BOOKINGS} bookings, {PRODUCTS} products, {ORDERS} orders, {BOOKINGS} emails,"
        f" {VIEWS} page views"
    )
    print(f"{'screen':14}{'key→rows':>10}{'refresh':>10}{'rows':>7}")
    for name, (first, again, rows) in figures.items():
        print(f"{name:14}{first * 1000:8.0f}ms{again * 1000:8.0f}ms{rows:7}")


if __name__ == "__main__":
    main()
