"""One SVG per screen at 80×24 and 120×40, on fixed data with a fixed clock; review an SVG
before updating it with ``pytest --snapshot-update``."""

from datetime import UTC, datetime, timedelta

import pytest

from coachctl.engine import sales
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.learning.courses import get_course, set_published
from coachctl.engine.learning.importer import import_course
from coachctl.engine.scheduling import bookings, schedule
from coachctl.store.db import db
from coachctl.store.models import AnalyticsEvent, Blackout, Booking, CreditLedger, Order, Outbox
from coachctl.tui.app import make_app
from coachctl.tui.screens import SECTIONS
from tests.courses.conftest import write_course
from tests.support import open_every_day
from tests.tui.conftest import settle

NOW = datetime(2030, 3, 4, 8, tzinfo=UTC)  # Monday 4 March 2030, 08:00 in London
SCREENS = {section.NAME: section.KEY for section in SECTIONS}
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def fixed_week(coach, settings, tmp_path):
    """Jane's week on fixed days: six sessions, a blackout, a product, a package, two orders, a
    published course, and a month of page views."""
    kind = open_every_day(coach)
    people = [("Ann", 0, 10), ("Bo", 0, 14), ("Cy", 1, 9), ("Di", 2, 11), ("Ed", 3, 15)]
    for name, day, hour in [*people, ("Flo", 9, 10)]:
        start = NOW.replace(hour=hour) + timedelta(days=day)
        customer = bookings.Customer(name, f"{name.lower()}@x.test")
        bookings.create_booking(coach, kind, start, customer, settings=settings, now=NOW)
    schedule.add_blackout_days(
        coach, NOW.date() + timedelta(days=5), NOW.date() + timedelta(days=6), "retreat"
    )
    workbook = catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    package = catalog.create_package(
        coach, "Three sessions", Money(21000, "EUR"), credits=3, booking_type=kind, valid_days=90
    )
    sales.pay_sandbox(sales.start_product_checkout(package, "bo@x.test", settings), settings)
    sales.start_product_checkout(workbook, "cy@x.test", settings)
    Order.update(created_at=NOW - timedelta(hours=1), paid_at=NOW).execute()
    Outbox.update(created_at=NOW, send_after=NOW).execute()
    Booking.update(created_at=NOW).execute()
    CreditLedger.update(created_at=NOW, expires_at=NOW + timedelta(days=90)).execute()
    import_course(coach, write_course(tmp_path / "calm-lead"))
    set_published(get_course(coach, "calm-lead"), True)
    for day in range(30):
        for _ in range(day % 7 + 1):
            AnalyticsEvent.create(
                coach=coach, type="page_view", path="/jane", occurred_at=NOW - timedelta(days=day)
            )
    assert Blackout.select().count() == 1
    db.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(fixed_week, settings, snap_compare, screen, size):
    async def show(pilot) -> None:
        await settle(pilot)
        await pilot.press(SCREENS[screen])
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)  # a loaded machine paints later

    app = make_app(settings, clock=lambda: NOW)
    assert snap_compare(app, terminal_size=size, run_before=show)
