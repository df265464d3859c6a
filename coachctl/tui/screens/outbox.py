"""Outbox: the coach's emails by status; a failed or uncertain one can be queued again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Label

from coachctl.store.models import Coach
from coachctl.tui.section import Section, selected

FILTERS = (None, "PENDING", "SENT", "FAILED", "UNCERTAIN", "SENDING")


@dataclass(frozen=True)
class OutboxData:
    status: str | None
    emails: list[tuple[int, str, str, str, str, str, int]]


class Outbox(Section):
    """The newest emails, with their status and attempts."""

    NAME = "outbox"
    KEY = "7"
    TITLE = "Outbox"
    HELP = "Emails by status; retry failed or uncertain ones"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("f", "filter", "Filter"),
        ("t", "retry", "Retry"),
    ]
    status: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Emails: all", classes="pane-title", id="outbox-title")
        yield DataTable(id="outbox-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "#", "Send after", "Kind", "To", "Subject", "Status", "Tries"
        )

    def read(self, coach: Coach, now: datetime) -> OutboxData:
        from coachctl.engine import formats
        from coachctl.engine.messaging.mailer import list_emails

        return OutboxData(
            self.status,
            [
                (
                    r.id,
                    formats.moment(r.send_after, coach.timezone),
                    r.kind,
                    r.recipient,
                    r.subject,
                    r.status.lower(),
                    r.attempts,
                )
                for r in list_emails(self.status, coach=coach)
            ],
        )

    def show(self, data: OutboxData) -> None:
        label = data.status.lower() if data.status else "all"
        self.query_one("#outbox-title", Label).update(f"Emails: {label} ({len(data.emails)})")
        table = self.query_one(DataTable)
        keep = selected(table)
        table.clear()
        for row in data.emails:
            table.add_row(*row, key=str(row[0]))
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def action_filter(self) -> None:
        self.status = FILTERS[(FILTERS.index(self.status) + 1) % len(FILTERS)]
        self.reload()

    def action_retry(self) -> None:
        key = selected(self.query_one(DataTable))
        if key is None:
            self.notify("There is no email to retry.", severity="warning")
            return
        email_id = int(key)

        def retry(coach: Coach, now: datetime) -> str:
            from coachctl.engine.messaging.mailer import retry_email

            row = retry_email(email_id)
            return f"Email {email_id} to {row.recipient} is queued again."

        self.change(retry)
