"""Availability through the pilot: add, refuse, edit and remove windows, add and remove a
blackout; the database changes and the free-slot preview follows."""

from datetime import UTC, datetime, timedelta

from textual.widgets import DataTable

from coachctl.store.models import AvailabilityWindow, Blackout
from coachctl.tui.app import make_app
from tests.tui.conftest import open_form, reopen, settle


def _rows(app, name: str) -> list:
    table = app.screen.query_one(f"#{name}-table", DataTable)
    return [tuple(table.get_row_at(i)) for i in range(table.row_count)]


async def _open(pilot) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


async def test_add_a_window_and_see_it_in_the_free_slots(busy_coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        assert len(_rows(app, "windows")) == 7
        assert not any("18:00" in times for _, times in _rows(app, "free"))
        await open_form(pilot, "a")
        await pilot.press("tab", *"17:00", "tab", *"19:00", "enter")
        await settle(pilot)
        assert ("Mon", "09:00", "19:00") in _rows(app, "windows")  # merged with 09:00–17:00
        assert any("18:00" in times for day, times in _rows(app, "free") if day.startswith("Mon"))
    reopen()
    assert AvailabilityWindow.get(weekday=0).end == "19:00"


async def test_a_refused_window_shows_the_engines_words(busy_coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await open_form(pilot, "a")
        await pilot.press("tab", *"12:00", "tab", *"11:00", "enter")
        await settle(pilot)
        assert any("ends before it starts" in n.message for n in app._notifications)
    reopen()
    assert AvailabilityWindow.select().count() == 7


async def test_edit_then_remove_a_window_after_confirming(busy_coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await open_form(pilot, "e")
        await pilot.press("tab", *["backspace"] * 5, *"10:00", "enter")
        await settle(pilot)
        assert _rows(app, "windows")[0] == ("Mon", "10:00", "17:00")
        await pilot.press("x")
        await pilot.pause()
        assert "Mon 10:00–17:00" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await settle(pilot)
        assert len(_rows(app, "windows")) == 6
    reopen()
    assert not AvailabilityWindow.select().where(AvailabilityWindow.weekday == 0).exists()


async def test_add_and_remove_a_blackout(busy_coach, settings):
    day = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        free_before = len(_rows(app, "free"))
        await open_form(pilot, "b")
        await pilot.press(*day, "tab", "tab", *"retreat", "enter")
        await settle(pilot)
        assert _rows(app, "blackouts")[0][1] == "retreat"
        assert len(_rows(app, "free")) == free_before - 1
        reopen()
        assert Blackout.get().reason == "retreat"
        app.screen.query_one("#blackouts-table").focus()
        await pilot.press("x")
        await pilot.pause()
        assert "retreat" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await settle(pilot)
        assert _rows(app, "blackouts") == []
    reopen()
    assert Blackout.select().count() == 0
