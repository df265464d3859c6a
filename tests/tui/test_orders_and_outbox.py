"""Orders and the outbox through the pilot: filter, refund with the credits it claws back,
balances; retry a failed email. Each checked in the database."""

from textual.widgets import DataTable

from coachctl.engine import sales
from coachctl.engine.commerce import catalog, credits
from coachctl.engine.commerce.money import Money
from coachctl.store.db import db
from coachctl.store.models import Order, Outbox
from coachctl.tui.app import make_app
from tests.support import open_every_day
from tests.tui.conftest import reopen, settle


def _rows(app, name: str) -> list[tuple]:
    table = app.screen.query_one(f"#{name}-table", DataTable)
    return [tuple(table.get_row_at(i)) for i in range(table.row_count)]


async def test_refund_a_package_names_the_credits_clawed_back(coach, settings):
    kind = open_every_day(coach)
    package = catalog.create_package(
        coach, "Three sessions", Money(21000, "EUR"), credits=3, booking_type=kind
    )
    paid = sales.pay_sandbox(sales.start_product_checkout(package, "bo@x.test", settings), settings)
    workbook = catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    sales.start_product_checkout(workbook, "cy@x.test", settings)
    mail_before = Outbox.select().where(Outbox.recipient == "bo@x.test").count()
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert [r[5] for r in _rows(app, "orders")] == ["pending", "paid"]
        assert _rows(app, "balances")[0][:3] == ("bo@x.test", "session", 3)
        await pilot.press("f")  # paid only
        await settle(pilot)
        assert [r[0] for r in _rows(app, "orders")] == [paid.id]
        await pilot.press("x")
        await settle(pilot)
        question = str(app.screen.query_one("#question").render())
        assert f"Refund €210.00 of order {paid.id}" in question
        assert "3 unspent credits will be clawed back" in question
        await pilot.press("y")
        await settle(pilot)
        assert _rows(app, "orders") == []  # no longer paid
        assert _rows(app, "balances")[0][2] == 0
    reopen()
    order = Order.get_by_id(paid.id)
    assert order.status == "REFUNDED" and credits.unspent(order) == 0
    assert Outbox.select().where(Outbox.recipient == "bo@x.test").count() >= mail_before


async def test_refusing_to_refund_an_unpaid_order_is_a_notification(coach, settings):
    workbook = catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    pending = sales.start_product_checkout(workbook, "cy@x.test", settings)
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert any("only paid orders refund" in n.message for n in app._notifications)
    reopen()
    assert Order.get_by_id(pending.id).status == "PENDING"


async def test_retry_a_failed_email(busy_coach, settings):
    reopen()
    failed = Outbox.select().order_by(Outbox.id).first()
    Outbox.update(status="FAILED", attempts=6).where(Outbox.id == failed.id).execute()
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("f", "f", "f")  # pending, sent, failed
        await settle(pilot)
        assert [r[0] for r in _rows(app, "outbox")] == [failed.id]
        await pilot.press("t")
        await settle(pilot)
        assert _rows(app, "outbox") == []
    reopen()
    row = Outbox.get_by_id(failed.id)
    assert (row.status, row.attempts) == ("PENDING", 0)
