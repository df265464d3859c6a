"""The dashboard through textual's pilot: loads in a worker, shows the week, cancels a session."""

import os

import pytest

from coachctl.engine import sales
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling import bookings
from coachctl.store.db import db
from coachctl.store.models import Booking
from coachctl.tui.app import make_app
from coachctl.tui.messages import DashboardLoaded
from tests.support import days_ahead_at, open_every_day


@pytest.fixture
def busy_coach(coach, settings):
    kind = open_every_day(coach)
    start = days_ahead_at(3, 10)
    booking = bookings.create_booking(
        coach, kind, start, bookings.Customer("Ann", "ann@x.test"), settings=settings
    )
    product = catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    sales.pay_sandbox(sales.start_product_checkout(product, "bo@x.test", settings), settings)
    db.close()
    return booking


def _recorder(seen: list):
    return lambda message: seen.append(message) if isinstance(message, DashboardLoaded) else None


async def _loaded(pilot, seen: list) -> None:
    for _ in range(100):
        if seen:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the dashboard never loaded")


async def test_dashboard_shows_sessions_free_time_and_orders(busy_coach, settings, tmp_path):
    app = make_app(settings)
    seen: list = []
    async with app.run_test(size=(120, 30), message_hook=_recorder(seen)) as pilot:
        await _loaded(pilot, seen)
        sessions = app.query_one("#sessions-table")
        assert sessions.row_count == 1 and sessions.get_row_at(0)[2] == "Ann <ann@x.test>"
        assert app.query_one("#free-table").row_count >= 6
        assert app.query_one("#orders-table").get_row_at(0)[4] == "€29.00"
        assert "€29.00" in str(app.query_one("#summary").render())
        folder = os.environ.get("COACHCTL_SCREENSHOTS") or str(tmp_path)
        app.save_screenshot("dashboard.svg", path=folder)


async def test_cancel_a_session_after_confirming(busy_coach, settings):
    app = make_app(settings)
    seen: list = []
    async with app.run_test(size=(120, 30), message_hook=_recorder(seen)) as pilot:
        await _loaded(pilot, seen)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause(0.2)
        assert Booking.get_by_id(busy_coach.id).status == "CONFIRMED"
        seen.clear()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await _loaded(pilot, seen)
        assert app.query_one("#sessions-table").row_count == 0
    db.connect(reuse_if_open=True)
    assert Booking.get_by_id(busy_coach.id).status == "CANCELLED"


async def test_enter_in_the_confirmation_keeps_the_session_and_the_keys_move_the_selection(
    busy_coach, coach, settings
):
    db.connect(reuse_if_open=True)
    later = bookings.create_booking(
        coach,
        busy_coach.booking_type,
        days_ahead_at(4, 10),
        bookings.Customer("Bo", "bo@x.test"),
        settings=settings,
    )
    db.close()
    app = make_app(settings)
    seen: list = []
    async with app.run_test(size=(120, 30), message_hook=_recorder(seen)) as pilot:
        await _loaded(pilot, seen)
        await pilot.press("c")
        await pilot.pause()
        assert "Ann" in str(app.screen.query_one("#question").render())
        await pilot.press("enter")  # "No" has the focus
        await pilot.pause(0.2)
        await pilot.press("down", "c")
        await pilot.pause()
        assert "Bo <bo@x.test>" in str(app.screen.query_one("#question").render())
        seen.clear()
        await pilot.press("y")
        await _loaded(pilot, seen)
    db.connect(reuse_if_open=True)
    assert Booking.get_by_id(busy_coach.id).status == "CONFIRMED"
    assert Booking.get_by_id(later.id).status == "CANCELLED"
