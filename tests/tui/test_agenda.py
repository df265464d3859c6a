"""The agenda through textual's pilot: sessions by day, a booking's emails, cancel, move, and
the outcome of a held session, each checked in the database and the outbox."""

from datetime import timedelta

from textual.widgets import DataTable, OptionList

from coachctl.store.models import Booking, Outbox
from coachctl.tui.app import make_app
from tests.tui.conftest import reopen, settle


def _table(app) -> DataTable:
    return app.screen.query_one("#agenda-table", DataTable)


async def test_agenda_groups_sessions_by_day_with_client_and_status(busy_coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = _table(app)
        assert table.row_count == 2
        first, second = table.get_row_at(0), table.get_row_at(1)
        assert first[2] == "Ann" and first[4] == "confirmed" and first[0]
        assert second[2] == "Bo" and second[0] and second[0] != first[0]


async def test_open_a_booking_to_see_its_details_and_emails(busy_coach, settings):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#booking-fields", DataTable)
        fields = dict(table.get_row_at(i) for i in range(2))
        assert fields["client"] == "Ann <ann@x.test>"
        assert app.screen.query_one("#booking-emails", DataTable).row_count >= 1
        await pilot.press("escape")
        assert app.screen.NAME == "agenda"


async def test_cancel_asks_first_names_the_session_and_enter_keeps_it(busy_coach, settings):
    ann, bo = busy_coach
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "c")
        await pilot.pause()
        assert "with Bo" in str(app.screen.query_one("#question").render())
        await pilot.press("enter")  # "No" has the focus
        await settle(pilot)
        reopen()
        assert Booking.get_by_id(bo.id).status == "CONFIRMED"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert _table(app).get_row_at(1)[4] == "cancelled"
    reopen()
    assert Booking.get_by_id(bo.id).status == "CANCELLED"
    assert Booking.get_by_id(ann.id).status == "CONFIRMED"
    sent = Outbox.select().where(Outbox.booking == bo.id)
    assert sent.where(Outbox.kind.contains("cancel")).exists()


async def test_reschedule_offers_the_visitors_slots_and_moves_after_confirming(
    busy_coach, settings
):
    ann, _ = busy_coach
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        picker = app.screen.query_one(OptionList)
        chosen = picker.get_option_at_index(picker.highlighted).id
        await pilot.press("enter")
        await pilot.pause()
        assert "with Ann" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await settle(pilot)
    reopen()
    moved = Booking.get_by_id(ann.id)
    assert moved.start.isoformat() == chosen and moved.start != ann.start
    assert moved.end - moved.start == timedelta(hours=1)
    assert (
        Outbox.select().where((Outbox.booking == ann.id) & Outbox.kind.contains("resched")).exists()
    )


async def test_mark_a_held_session_completed_or_a_no_show(busy_coach, settings):
    ann, bo = busy_coach
    later = bo.start + timedelta(hours=2)
    app = make_app(settings, clock=lambda: later)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _table(app).row_count == 1  # the agenda starts on the clock's day
        await pilot.press("n")
        await settle(pilot)
    reopen()
    assert Booking.get_by_id(bo.id).status == "NO_SHOW"
    assert Booking.get_by_id(ann.id).status == "CONFIRMED"


async def test_an_engine_refusal_is_a_notification(busy_coach, settings):
    ann, _ = busy_coach
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")  # the session has not happened yet
        await settle(pilot)
        assert any("completed" in n.message or "not" in n.message for n in app._notifications)
        assert app.is_running
    reopen()
    assert Booking.get_by_id(ann.id).status == "CONFIRMED"
