"""Agenda: the coming weeks by day in the coach's zone; open, cancel, move or close a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Static

from coachctl.engine import formats
from coachctl.engine.console import AGENDA_DAYS, AgendaRow
from coachctl.store.models import Coach
from coachctl.tui.confirm import Confirm
from coachctl.tui.screens.booking import BookingView, MovePicker
from coachctl.tui.section import Section, selected

OUTCOMES = {"complete": "completed", "no_show": "a no-show"}


@dataclass(frozen=True)
class AgendaData:
    coach: str
    zone: str
    rows: list[AgendaRow]


class Agenda(Section):
    """Today and the coming weeks, grouped by day."""

    NAME = "agenda"
    KEY = "1"
    TITLE = "Agenda"
    HELP = "Sessions of the coming weeks by day"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("enter", "open", "Open"),
        ("c", "cancel", "Cancel"),
        ("m", "move", "Reschedule"),
        ("d", "outcome('complete')", "Completed"),
        ("n", "outcome('no_show')", "No-show"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="agenda-summary", classes="summary")
        yield DataTable(id="agenda-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Day", "Time", "Client", "Type", "Status", "Pay")

    def read(self, coach: Coach, now: datetime) -> AgendaData:
        from coachctl.engine.console import agenda

        return AgendaData(coach.name, coach.timezone, agenda(coach, now))

    def show(self, data: AgendaData) -> None:
        self.sub_title = f"{data.coach} · {data.zone}"
        open_ = sum(r.status in ("confirmed", "pending") for r in data.rows)
        self.query_one("#agenda-summary", Static).update(
            f"Next {AGENDA_DAYS // 7} weeks: {len(data.rows)} bookings, {open_} to hold"
            f" · times in {data.zone}"
        )
        table = self.query_one(DataTable)
        keep = selected(table)
        table.clear()
        day = None
        for row in data.rows:
            label = formats.day(row.day, year=False) if row.day != day else ""
            day = row.day
            table.add_row(
                label, row.time, row.client, row.type, row.status, row.payment, key=str(row.id)
            )
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def _picked(self) -> tuple[int, str] | None:
        """The selected booking's id and how the confirmation names it."""
        table = self.query_one(DataTable)
        key = selected(table)
        if key is None:
            self.notify("There is no session to act on.", severity="warning")
            return None
        index = table.get_row_index(key)
        _, time, client, kind, _, _ = table.get_row(key)
        day = next(table.get_row_at(i)[0] for i in range(index, -1, -1) if table.get_row_at(i)[0])
        return int(key), f"{kind} on {day} at {time} with {client}"

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        picked = self._picked()
        if picked:
            booking_id = picked[0]
            settings = self.app.settings

            def detail(coach: Coach, now: datetime) -> Any:
                from coachctl.engine.console import booking_detail

                return booking_detail(coach, booking_id, settings)

            self.fetch(detail, lambda found: self.app.push_screen(BookingView(found)))

    def action_cancel(self) -> None:
        picked = self._picked()
        if not picked:
            return
        booking_id, name = picked
        settings = self.app.settings

        def cancel(coach: Coach, now: datetime) -> str:
            from coachctl.engine.booking_desk import cancel_booking
            from coachctl.engine.scheduling.bookings import get_booking

            done = cancel_booking(get_booking(coach, booking_id), settings=settings, now=now)
            money = f"; {done.outcome.for_coach}" if done.outcome.for_coach else ""
            late = f" The refund waits for the worker: {done.refund_error}" * bool(
                done.refund_error
            )
            return f"Cancelled {name}{money}. The client is emailed.{late}"

        self._confirm(f"Cancel {name}?", cancel)

    def action_move(self) -> None:
        picked = self._picked()
        if not picked:
            return
        booking_id, name = picked

        def slots(coach: Coach, now: datetime) -> Any:
            from coachctl.engine.console import move_slots

            return coach.timezone, move_slots(coach, booking_id, now)

        def pick(found: Any) -> None:
            zone, free = found

            def chosen(start: datetime | None) -> None:
                if start is not None:
                    when = formats.moment(start, zone)
                    self._confirm(f"Move {name} to {when}?", self._mover(booking_id, name, start))

            self.app.push_screen(MovePicker(name, zone, free), chosen)

        self.fetch(slots, pick)

    def _mover(self, booking_id: int, name: str, start: datetime) -> Any:
        settings = self.app.settings

        def move(coach: Coach, now: datetime) -> str:
            from coachctl.engine.scheduling.bookings import get_booking, reschedule_booking

            moved = reschedule_booking(
                get_booking(coach, booking_id), start, settings=settings, now=now
            )
            when = formats.span(moved.start, moved.end, coach.timezone)
            return f"Moved {name} to {when}. The client gets the new invite."

        return move

    def action_outcome(self, outcome: str) -> None:
        picked = self._picked()
        if not picked:
            return
        booking_id, name = picked
        settings = self.app.settings

        def record(coach: Coach, now: datetime) -> str:
            from coachctl.engine.scheduling.bookings import get_booking, record_outcome

            record_outcome(get_booking(coach, booking_id), outcome, settings=settings, now=now)
            return f"Marked {name} {OUTCOMES[outcome]}."

        self.change(record)

    def _confirm(self, question: str, job: Any) -> None:
        table = self.query_one(DataTable)

        def answered(yes: bool | None) -> None:
            table.focus()
            if yes:
                self.change(job)

        self.app.push_screen(Confirm(question), answered)
