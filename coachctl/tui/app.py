"""The coach's dashboard: sessions, free time, orders and mail; cancel a session in place."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from coachctl.config import Settings
from coachctl.engine.errors import DomainError
from coachctl.engine.insights.dashboard import Dashboard
from coachctl.tui.confirm import Confirm
from coachctl.tui.messages import ActionFailed, BookingCancelled, DashboardLoaded

TABLES = {
    "sessions": ("When", "Type", "Client", "Status"),
    "free": ("Day", "Free start times"),
    "orders": ("#", "When", "Customer", "Item", "Amount", "Status"),
}


class CoachApp(App[None]):
    """One coach's week at a glance; all database work runs in thread workers."""

    CSS_PATH = "coachctl.tcss"
    TITLE = "coachctl"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("r", "refresh", "Refresh"),
        ("c", "cancel_session", "Cancel session"),
        ("q", "quit", "Quit"),
    ]

    def __init__(self, settings: Settings, coach_slug: str | None) -> None:
        super().__init__()
        self.settings = settings
        self.coach_slug = coach_slug
        self.data: Dashboard | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="summary")
        with TabbedContent(initial="sessions"):
            for key, label in (
                ("sessions", "Sessions"),
                ("free", "Free this week"),
                ("orders", "Orders"),
            ):
                with TabPane(label, id=key):
                    yield DataTable(id=f"{key}-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for key, columns in TABLES.items():
            self.query_one(f"#{key}-table", DataTable).add_columns(*columns)
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Read the dashboard in a thread with its own connection."""
        from coachctl.engine.coaches import resolve_coach
        from coachctl.engine.insights.dashboard import dashboard
        from coachctl.store.db import connection

        try:
            with connection():
                self.post_message(DashboardLoaded(dashboard(resolve_coach(self.coach_slug))))
        except DomainError as error:
            self.post_message(ActionFailed(error.message))

    @on(DashboardLoaded)
    def show(self, message: DashboardLoaded) -> None:
        data = self.data = message.data
        self.sub_title = f"{data.coach} · {data.timezone}"
        mail = ", ".join(
            f"{count} {status.lower()}" for status, count in sorted(data.outbox.items())
        )
        held = ", ".join(
            f"{count} {status.lower().replace('_', '-')}"
            for status, count in sorted(data.outcomes_30d.items())
        )
        self.query_one("#summary", Static).update(
            f"{len(data.sessions)} upcoming sessions · last 30 days: {held or 'no sessions'}"
            f" · revenue: {', '.join(data.revenue_30d) or 'none'} · mail: {mail or 'none'}"
        )
        rows = {
            "sessions": [((s.when, s.type, s.client, s.status), str(s.id)) for s in data.sessions],
            "free": [(day, None) for day in data.free_days],
            "orders": [
                ((o.id, o.when, o.customer, o.item, o.amount, o.status), None) for o in data.orders
            ],
        }
        for key, values in rows.items():
            table = self.query_one(f"#{key}-table", DataTable)
            table.clear()
            for cells, row_key in values:
                table.add_row(*cells, key=row_key)

    @on(ActionFailed)
    def failed(self, message: ActionFailed) -> None:
        self.notify(message.text, severity="error", timeout=6)

    @on(BookingCancelled)
    def cancelled(self, message: BookingCancelled) -> None:
        money = f"; {message.money}" if message.money else ""
        self.notify(f"Session {message.booking_id} cancelled{money}. The client is emailed.")
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_cancel_session(self) -> None:
        table = self.query_one("#sessions-table", DataTable)
        if not table.row_count or self.query_one(TabbedContent).active != "sessions":
            self.notify("Pick a session on the Sessions tab first.", severity="warning")
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        when, kind, client, _ = table.get_row(row_key)

        def answered(yes: bool | None) -> None:
            table.focus()  # the arrow keys move the selection again
            if yes:
                self.cancel_booking(int(row_key))

        self.push_screen(Confirm(f"Cancel {kind} on {when} with {client}?"), answered)

    @work(thread=True, group="change")
    def cancel_booking(self, booking_id: int) -> None:
        from coachctl.engine.booking_desk import cancel_booking
        from coachctl.engine.coaches import resolve_coach
        from coachctl.engine.scheduling.bookings import get_booking
        from coachctl.store.db import connection

        try:
            with connection():
                coach = resolve_coach(self.coach_slug)
                done = cancel_booking(get_booking(coach, booking_id), settings=self.settings)
        except DomainError as error:
            self.post_message(ActionFailed(error.message))
            return
        self.post_message(BookingCancelled(booking_id, done.outcome.for_coach))


def make_app(settings: Settings, coach_slug: str | None = None) -> CoachApp:
    """The dashboard app, as the CLI and the tests build it."""
    return CoachApp(settings, coach_slug)
