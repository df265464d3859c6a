"""Dialogs of the agenda: one booking with its emails, and the free slots to move it to."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, OptionList
from textual.widgets.option_list import Option

from coachctl.engine import formats
from coachctl.engine.console import BookingDetail
from coachctl.engine.scheduling.availability import Slot, by_local_day


class BookingView(ModalScreen[None]):
    """A booking's details and the emails it caused; Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape,q", "close", "Close")]

    def __init__(self, detail: BookingDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="booking", classes="dialog"):
            yield Label(f"Booking {self.detail.id}: {self.detail.title}", classes="dialog-title")
            yield DataTable(id="booking-fields", cursor_type="none", show_header=False)
            yield Label(f"Emails ({len(self.detail.emails)})", classes="dialog-title")
            yield DataTable(id="booking-emails", cursor_type="row")

    def on_mount(self) -> None:
        fields = self.query_one("#booking-fields", DataTable)
        fields.add_columns("field", "value")
        fields.add_rows(self.detail.fields)
        emails = self.query_one("#booking-emails", DataTable)
        emails.add_columns("Written", "Kind", "Subject", "Status")
        emails.add_rows(self.detail.emails)
        emails.focus()

    def action_close(self) -> None:
        self.dismiss(None)


class MovePicker(ModalScreen[datetime | None]):
    """The slots a visitor would see for the booking's type; Enter picks one, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    def __init__(self, name: str, zone: str, slots: list[Slot]) -> None:
        super().__init__()
        self.label = name
        self.zone = zone
        self.slots = slots

    def compose(self) -> ComposeResult:
        from zoneinfo import ZoneInfo

        options: list[Option | None] = []
        for day, found in by_local_day(self.slots, ZoneInfo(self.zone)).items():
            options.append(Option(formats.day(day), disabled=True))
            options.extend(
                Option(f"  {formats.clock(s.start, self.zone)}", id=s.start.isoformat())
                for s in found
            )
        with Vertical(id="move", classes="dialog"):
            yield Label(f"Move {self.label} to… ({self.zone})", classes="dialog-title")
            if options:
                yield OptionList(*options, id="move-slots")
            else:
                yield Label("No free slots in the next two weeks.")

    def on_mount(self) -> None:
        if self.query("#move-slots"):
            picker = self.query_one(OptionList)
            picker.focus()
            picker.action_first()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(datetime.fromisoformat(event.option.id or ""))

    def action_close(self) -> None:
        self.dismiss(None)
