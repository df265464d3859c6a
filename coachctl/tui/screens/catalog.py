"""Catalog: products, packages and booking types with price, credits and status; create, edit
and archive them through forms the engine checks as you type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Label

from coachctl.store.models import BookingType, Coach
from coachctl.tui.confirm import Confirm
from coachctl.tui.forms import Field, Form, Values
from coachctl.tui.section import Job, Section, selected


@dataclass(frozen=True)
class CatalogData:
    coach: Coach
    products: list[tuple[int, str, str, str, str, str, str]]  # id, kind, title, price, …
    types: list[tuple[int, str, str, str, str, str]]  # id, name, slug, length, price, status
    prices: dict[str, str]  # row key: the price as typed in a form, "49.00 EUR"


def _status(active: bool) -> str:
    return "on sale" if active else "archived"


class Catalog(Section):
    """Products, packages and booking types."""

    NAME = "catalog"
    KEY = "3"
    TITLE = "Catalog"
    HELP = "Products, packages and booking types"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("n", "new_product", "New product"),
        ("k", "new_package", "New package"),
        ("t", "new_type", "New type"),
        ("e", "edit", "Edit"),
        ("x", "archive", "Archive"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Products and packages", classes="pane-title")
        yield DataTable(id="products-table", cursor_type="row", zebra_stripes=True)
        yield Label("Booking types", classes="pane-title")
        yield DataTable(id="types-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        products = self.query_one("#products-table", DataTable)
        products.add_columns("#", "Kind", "Title", "Price", "Credits", "Status")
        types = self.query_one("#types-table", DataTable)
        types.add_columns("Name", "Slug", "Length", "Price", "Status")

    def read(self, coach: Coach, now: datetime) -> CatalogData:
        from coachctl.engine.commerce.catalog import list_products, product_to_dict
        from coachctl.engine.commerce.money import Money
        from coachctl.engine.scheduling.booking_types import list_booking_types

        products, prices = [], {}
        for product in list_products(coach, include_archived=True):
            data = product_to_dict(product)
            prices[f"p{product.id}"] = str(Money(product.price_minor, product.currency))
            credits = f"{product.credits} × {data['type']}" if product.credits else ""
            if credits and product.valid_days:
                credits += f", {product.valid_days} days"
            products.append(
                (
                    product.id,
                    product.kind.lower(),
                    product.title,
                    data["price_display"],
                    credits,
                    _status(product.active),
                )
            )
        for t in list_booking_types(coach, include_inactive=True):
            if t.price_minor:
                prices[f"t{t.id}"] = str(Money(t.price_minor, t.currency or coach.currency))
        types = [
            (
                t.id,
                t.name,
                t.slug,
                f"{t.duration} min",
                Money(t.price_minor, t.currency or coach.currency).display()
                if t.price_minor
                else "free",
                _status(t.active),
            )
            for t in list_booking_types(coach, include_inactive=True)
        ]
        return CatalogData(coach, products, types, prices)

    def show(self, data: CatalogData) -> None:
        self.data = data
        self.sub_title = f"{len(data.products)} products · prices in {data.coach.currency}"
        for name, rows in (("products", data.products), ("types", data.types)):
            table = self.query_one(f"#{name}-table", DataTable)
            keep = selected(table)
            table.clear()
            for row_id, *cells in rows:
                table.add_row(*([row_id] if name == "products" else []), *cells, key=str(row_id))
            if keep is not None and keep in table.rows:
                table.move_cursor(row=table.get_row_index(keep))

    def _coach(self) -> Coach | None:
        data = getattr(self, "data", None)
        if data is None:
            self.notify("The catalog is still loading.", severity="warning")
        return data.coach if data else None

    def action_new_product(self) -> None:
        coach = self._coach()
        if coach is None:
            return
        fields = [
            Field("title", "Title", placeholder="Workbook"),
            Field("price", f"Price (e.g. 49.00 {coach.currency}, or free)"),
            Field("description", "Description (optional)"),
        ]
        self._form("New product", fields, coach, "PRODUCT", _create_product)

    def action_new_package(self) -> None:
        coach = self._coach()
        if coach is None:
            return
        types = tuple((name, slug) for _, name, slug, _, _, status in self.data.types)
        fields = [
            Field("title", "Title", placeholder="Five sessions"),
            Field("price", f"Price (e.g. 300.00 {coach.currency})"),
            Field("credits", "Session credits", placeholder="5"),
            Field("type", "Credits for", choices=types or (("session", "session"),)),
            Field("valid_days", "Valid for days (empty: no expiry)"),
        ]
        self._form("New package", fields, coach, "PACKAGE", _create_package)

    def action_new_type(self) -> None:
        coach = self._coach()
        if coach is None:
            return
        fields = [
            Field("name", "Name", placeholder="Intro call"),
            Field("slug", "Slug (lowercase, digits, hyphens)", placeholder="intro"),
            Field("duration", "Length in minutes", "60"),
            Field("price", "Price (empty: free)"),
        ]
        self._form("New booking type", fields, coach, "TYPE", _create_type)

    def action_edit(self) -> None:
        types = self.query_one("#types-table", DataTable)
        if types.has_focus and (key := selected(types)):
            name, _, length, _, _ = types.get_row(key)
            fields = [
                Field("name", "Name", name),
                Field("duration", "Length in minutes", length.split()[0]),
                Field("price", "Price (empty: free)", self.data.prices.get(f"t{key}", "")),
            ]
            self._form(f"Edit {name}", fields, self._coach(), "TYPE", _edit_type(int(key)))
            return
        products = self.query_one("#products-table", DataTable)
        key = selected(products)
        coach = self._coach()
        if key is None or coach is None:
            return
        title = products.get_row(key)[2]
        price = self.data.prices[f"p{key}"]
        fields = [Field("title", "Title", title), Field("price", "Price", price)]
        self._form(f"Edit {title}", fields, coach, "PRODUCT", _edit_product(int(key)))

    def action_archive(self) -> None:
        types = self.query_one("#types-table", DataTable)
        if types.has_focus and (key := selected(types)):
            name = types.get_row(key)[0]
            self._confirm(f"Archive the booking type {name}?", _archive_type(int(key), name), types)
            return
        products = self.query_one("#products-table", DataTable)
        key = selected(products)
        if key is None:
            self.notify("There is nothing to archive.", severity="warning")
            return
        _, kind, title, price, _, _ = products.get_row(key)
        job = _archive_product(int(key), title)
        self._confirm(f"Archive the {kind} {title} ({price})?", job, products)

    def _form(
        self,
        title: str,
        fields: list[Field],
        coach: Coach | None,
        kind: str,
        job: Callable[[Values], Job],
    ) -> None:
        check = None
        if coach is not None:
            from coachctl.engine.commerce import catalog
            from coachctl.engine.scheduling import booking_types

            def check(values: Values) -> Values:
                if kind == "TYPE":
                    return booking_types.form_problems(values, coach.currency)
                return catalog.form_problems(coach, kind, values)

        def save(values: Values | None) -> None:
            if values is not None:
                self.change(job(values))

        self.app.push_screen(Form(title, fields, check), save)

    def _confirm(self, question: str, job: Any, table: DataTable) -> None:
        def answered(yes: bool | None) -> None:
            table.focus()
            if yes:
                self.change(job)

        self.app.push_screen(Confirm(question), answered)


def _price(text: str, coach: Coach) -> Any:
    from coachctl.engine.commerce.money import parse_money

    return parse_money(text, default_currency=coach.currency)


def _number(text: str) -> int | str:
    """Digits as a number; anything else as typed, for the engine to refuse in its own words."""
    return int(text) if text.isdigit() else text


def _create_product(values: Values) -> Job:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.commerce.catalog import create_product

        made = create_product(
            coach, values["title"], _price(values["price"], coach), values["description"]
        )
        return f"Product {made.id} ({made.title}) is on sale."

    return job


def _create_package(values: Values) -> Job:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.commerce.catalog import create_package
        from coachctl.engine.scheduling.booking_types import get_booking_type

        made = create_package(
            coach,
            values["title"],
            _price(values["price"], coach),
            credits=int(values["credits"]),
            booking_type=get_booking_type(coach, values["type"]),
            valid_days=int(values["valid_days"]) if values["valid_days"] else None,
        )
        return f"Package {made.id} ({made.title}) is on sale."

    return job


def _edit_product(product_id: int) -> Callable[[Values], Job]:
    def edit(values: Values) -> Job:
        def job(coach: Coach, now: datetime) -> str:
            from coachctl.engine.commerce.catalog import edit_product, get_product

            product = get_product(coach, product_id)
            edit_product(product, title=values["title"], price=_price(values["price"], coach))
            return f"Product {product_id} saved."

        return job

    return edit


def _archive_product(product_id: int, title: str) -> Job:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.commerce.catalog import archive_product, get_product

        archive_product(get_product(coach, product_id))
        return f"{title} is archived: off sale, its past orders kept."

    return job


def _type_fields(values: Values, coach: Coach) -> dict[str, Any]:
    price = _price(values["price"], coach) if values["price"] else None
    return {
        "name": values["name"],
        "duration": _number(values["duration"]),
        "price_minor": price.amount if price else None,
        "currency": price.currency if price else None,
        "requires_payment": bool(price and price.amount),
    }


def _create_type(values: Values) -> Job:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.scheduling.booking_types import create_booking_type

        fields = _type_fields(values, coach)
        made = create_booking_type(coach, values["slug"], fields.pop("name"), **fields)
        return f"Booking type {made.slug} added."

    return job


def _edit_type(type_id: int) -> Callable[[Values], Job]:
    def edit(values: Values) -> Job:
        def job(coach: Coach, now: datetime) -> str:
            from coachctl.engine.scheduling.booking_types import edit_booking_type

            found = coach.booking_types.where(BookingType.id == type_id).get()
            edit_booking_type(found, **_type_fields(values, coach))
            return f"Booking type {found.slug} saved."

        return job

    return edit


def _archive_type(type_id: int, name: str) -> Job:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.scheduling.booking_types import edit_booking_type

        edit_booking_type(coach.booking_types.where(BookingType.id == type_id).get(), active=False)
        return f"The booking type {name} is archived; its bookings stay."

    return job
