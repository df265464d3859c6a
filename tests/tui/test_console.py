"""The console as a whole: keys 1–7 in order, the help screen lists every binding, the command
palette reaches every screen, and another process's changes show on refresh and when idle."""

from textual.widgets import DataTable

from coachctl.engine.scheduling import bookings
from coachctl.engine.scheduling.booking_types import get_booking_type
from coachctl.store.db import db
from coachctl.tui.app import make_app
from coachctl.tui.screens import SECTIONS
from tests.support import days_ahead_at
from tests.tui.conftest import reopen, settle


def test_the_screens_take_the_keys_one_to_seven_in_the_issues_order():
    names = [(s.KEY, s.NAME) for s in SECTIONS]
    assert names == [
        ("1", "agenda"),
        ("2", "availability"),
        ("3", "catalog"),
        ("4", "orders"),
        ("5", "courses"),
        ("6", "reports"),
        ("7", "outbox"),
    ]


async def test_every_key_opens_its_screen_and_help_lists_every_binding(busy_coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for section in SECTIONS:
            await pilot.press(section.KEY)
            await settle(pilot)
            assert app.screen.NAME == section.NAME
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one("#help-table", DataTable)
        listed = {tuple(table.get_row_at(i))[1:] for i in range(table.row_count)}
        for section in SECTIONS:
            for key, _, description in (b for b in section.BINDINGS if len(b) == 3):
                assert (key, description) in listed
        assert ("?", "Help") in listed
        await pilot.press("escape")
        assert app.screen.NAME == "outbox"


async def test_the_command_palette_reaches_every_screen(busy_coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {s.TITLE for s in SECTIONS} <= titles and "Help" in titles


async def test_another_process_booking_shows_on_refresh_and_when_idle(busy_coach, coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#agenda-table", DataTable)
        assert table.row_count == 2
        _book(coach, settings, "Cy", 5)
        await pilot.press("r")
        await settle(pilot)
        assert table.row_count == 3
        _book(coach, settings, "Di", 6)
        app.refresh_when_idle()  # what the 30-second timer calls
        await settle(pilot)
        assert table.row_count == 4


def _book(coach, settings, name: str, days: int) -> None:
    reopen()
    bookings.create_booking(
        coach,
        get_booking_type(coach),
        days_ahead_at(days, 10),
        bookings.Customer(name, f"{name.lower()}@x.test"),
        settings=settings,
    )
    db.close()
