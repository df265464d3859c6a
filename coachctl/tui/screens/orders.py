"""Orders: filtered by status, refunded after a confirmation that says which credits go back,
and each customer's credit balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Label

from coachctl.store.models import Coach
from coachctl.tui.confirm import Confirm
from coachctl.tui.section import Job, Section, selected

FILTERS = (None, "PAID", "PENDING", "REFUNDED", "FAILED", "EXPIRED")


@dataclass(frozen=True)
class OrdersData:
    status: str | None
    orders: list[tuple[int, str, str, str, str, str]]
    balances: list[tuple[str, str, int, str]]


class Orders(Section):
    """Orders newest first, and credit balances per customer."""

    NAME = "orders"
    KEY = "4"
    TITLE = "Orders"
    HELP = "Orders by status, refunds, credit balances"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("f", "filter", "Filter"),
        ("x", "refund", "Refund"),
    ]
    status: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Orders: all", classes="pane-title", id="orders-title")
        yield DataTable(id="orders-table", cursor_type="row", zebra_stripes=True)
        yield Label("Credit balances", classes="pane-title")
        yield DataTable(id="balances-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        orders = self.query_one("#orders-table", DataTable)
        orders.add_columns("#", "Created", "Customer", "Item", "Amount", "Status")
        balances = self.query_one("#balances-table", DataTable)
        balances.add_columns("Customer", "Type", "Credits", "Next expiry")

    def read(self, coach: Coach, now: datetime) -> OrdersData:
        from coachctl.engine import formats
        from coachctl.engine.commerce.checkout import list_orders
        from coachctl.engine.commerce.credits import balances
        from coachctl.engine.commerce.money import Money

        status = self.status
        zone = coach.timezone
        return OrdersData(
            status,
            [
                (
                    o.id,
                    formats.moment(o.created_at, zone),
                    o.customer_email,
                    o.description,
                    Money(o.amount_minor, o.currency).display(),
                    o.status.lower(),
                )
                for o in list_orders(coach, status)
            ],
            [
                (
                    b.email,
                    b.booking_type,
                    b.available,
                    formats.moment(b.next_expiry, zone) if b.next_expiry else "never",
                )
                for b in balances(coach, now=now)
            ],
        )

    def show(self, data: OrdersData) -> None:
        label = data.status.lower() if data.status else "all"
        self.query_one("#orders-title", Label).update(f"Orders: {label} ({len(data.orders)})")
        orders = self.query_one("#orders-table", DataTable)
        keep = selected(orders)
        orders.clear()
        for row in data.orders:
            orders.add_row(*row, key=str(row[0]))
        if keep is not None and keep in orders.rows:
            orders.move_cursor(row=orders.get_row_index(keep))
        balances = self.query_one("#balances-table", DataTable)
        balances.clear()
        balances.add_rows(data.balances)

    def action_filter(self) -> None:
        self.status = FILTERS[(FILTERS.index(self.status) + 1) % len(FILTERS)]
        self.reload()

    def action_refund(self) -> None:
        orders = self.query_one("#orders-table", DataTable)
        key = selected(orders)
        if key is None:
            self.notify("There is no order to refund.", severity="warning")
            return
        order_id = int(key)

        def question(coach: Coach, now: datetime) -> str:
            from coachctl.engine.commerce.checkout import get_order
            from coachctl.engine.sales import refund_notice

            return refund_notice(get_order(coach, order_id), now=now)

        def ask(text: str) -> None:
            def answered(yes: bool | None) -> None:
                orders.focus()
                if yes:
                    self.change(_refund(order_id, self.app.settings))

            self.app.push_screen(Confirm(text), answered)

        self.fetch(question, ask)


def _refund(order_id: int, settings: Any) -> Job:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.commerce.checkout import get_order
        from coachctl.engine.sales import refund_order

        done = refund_order(get_order(coach, order_id), settings, now=now)
        if done.status == "REFUNDED":
            return f"Order {order_id} is refunded."
        return f"Refund of order {order_id} requested; it shows once the provider confirms it."

    return job
