"""The catalog through the pilot: forms checked as you type in the engine's words; products,
packages and booking types created, edited and archived in the database."""

from textual.widgets import Button, DataTable, Static

from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.store.db import db
from coachctl.store.models import BookingType, Product
from coachctl.tui.app import make_app
from tests.tui.conftest import open_form, reopen, settle


async def _open(pilot) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)


async def test_a_product_form_checks_as_you_type_then_creates_it(coach, settings):
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await open_form(pilot, "n")
        await pilot.press(*"Workbook", "tab", *"29 USD")
        await pilot.pause()
        problem = app.screen.query_one("#problem-price", Static)
        assert "the price is in USD but jane sells in EUR" in str(problem.render())
        assert app.screen.query_one("#save", Button).disabled
        await pilot.press(*["backspace"] * 3, *"EUR", "enter")
        await settle(pilot)
        table = app.screen.query_one("#products-table", DataTable)
        assert table.get_row_at(0)[2:4] == ["Workbook", "€29.00"]
    reopen()
    product = Product.get(Product.title == "Workbook")
    assert (product.price_minor, product.currency, product.active) == (2900, "EUR", True)


async def test_create_a_package_and_a_booking_type(coach, settings):
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await open_form(pilot, "t")
        await pilot.press(*"Intro call", "tab", *"intro", "tab", *["backspace"] * 2, *"30")
        await pilot.press("enter")
        await settle(pilot)
        await open_form(pilot, "k")
        await pilot.press(*"Five sessions", "tab", *"300.00 EUR", "tab", "5", "enter")
        await settle(pilot)
    reopen()
    assert BookingType.get(BookingType.slug == "intro").duration == 30
    package = Product.get(Product.title == "Five sessions")
    assert (package.kind, package.credits, package.credit_type.slug) == ("PACKAGE", 5, "session")


async def test_edit_then_archive_the_selected_product_after_confirming(coach, settings):
    catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    keep = catalog.create_product(coach, "Journal", Money(1500, "EUR"))
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await open_form(pilot, "e")
        await pilot.press("tab", *["backspace"] * 9, *"35.00 EUR", "enter")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert "Workbook (€35.00)" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one("#products-table", DataTable).get_row_at(0)[5] == "archived"
    reopen()
    workbook = Product.get(Product.title == "Workbook")
    assert (workbook.price_minor, workbook.active) == (3500, False)
    assert Product.get_by_id(keep.id).active


async def test_a_booking_type_form_checks_as_you_type_and_a_price_makes_it_paid(coach, settings):
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await open_form(pilot, "t")
        await pilot.press(*"Deep dive", "tab", *"Deep Dive")
        await pilot.pause()
        problem = str(app.screen.query_one("#problem-slug", Static).render())
        assert problem == "type slug 'Deep Dive' must be lowercase letters, digits and hyphens"
        assert app.screen.query_one("#save", Button).disabled
        await pilot.press(*["backspace"] * 9, *"deep-dive", "tab", *["backspace"] * 2, "2")
        await pilot.pause()
        assert "from 5 to 1440" in str(app.screen.query_one("#problem-duration", Static).render())
        await pilot.press("backspace", *"90", "tab", *"150.00 EUR", "enter")
        await settle(pilot)
    reopen()
    made = BookingType.get(BookingType.slug == "deep-dive")
    assert (made.duration, made.price_minor, made.requires_payment) == (90, 15000, True)
