"""Availability: weekly windows and blackouts to add, edit and remove, with the next 7 days'
free slots beside them, read again after every change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Label

from coachctl.store.models import Coach
from coachctl.tui.confirm import Confirm
from coachctl.tui.forms import Field, Form, Values
from coachctl.tui.section import Section, selected

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_CHOICES = tuple((name, str(n)) for n, name in enumerate(WEEKDAYS))


@dataclass(frozen=True)
class AvailabilityData:
    zone: str
    windows: list[tuple[int, int, str, str]]  # id, weekday, start, end
    blackouts: list[tuple[int, str, str]]  # id, label, reason
    free: list[tuple[str, str]]


class Availability(Section):
    """The weekly windows, the blackouts, and what is free in the next 7 days."""

    NAME = "availability"
    KEY = "2"
    TITLE = "Availability"
    HELP = "Weekly windows, blackouts, the free slots they leave"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("a", "add_window", "Add window"),
        ("e", "edit_window", "Edit window"),
        ("b", "add_blackout", "Add blackout"),
        ("x", "remove", "Remove"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="availability-left"):
                yield Label("Weekly windows", classes="pane-title")
                yield DataTable(id="windows-table", cursor_type="row")
                yield Label("Blackouts", classes="pane-title")
                yield DataTable(id="blackouts-table", cursor_type="row")
            with Vertical(id="availability-right"):
                yield Label("Free in the next 7 days", classes="pane-title", id="free-title")
                yield DataTable(id="free-table", cursor_type="none")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#windows-table", DataTable).add_columns("Day", "From", "To")
        self.query_one("#blackouts-table", DataTable).add_columns("When", "Reason")
        self.query_one("#free-table", DataTable).add_columns("Day", "Free start times")

    def read(self, coach: Coach, now: datetime) -> AvailabilityData:
        from coachctl.engine.console import free_days
        from coachctl.engine.scheduling.schedule import (
            blackout_label,
            list_blackouts,
            list_windows,
        )

        return AvailabilityData(
            coach.timezone,
            [(w.id, w.weekday, w.start, w.end) for w in list_windows(coach)],
            [
                (b.id, blackout_label(b, coach.timezone), b.reason)
                for b in list_blackouts(coach, since=now)
            ],
            free_days(coach, now),
        )

    def show(self, data: AvailabilityData) -> None:
        self.sub_title = f"times in {data.zone}"
        windows = self.query_one("#windows-table", DataTable)
        windows.clear()
        for window_id, day, start, end in data.windows:
            windows.add_row(WEEKDAYS[day], start, end, key=str(window_id))
        blackouts = self.query_one("#blackouts-table", DataTable)
        blackouts.clear()
        for blackout_id, label, reason in data.blackouts:
            blackouts.add_row(label, reason, key=str(blackout_id))
        free = self.query_one("#free-table", DataTable)
        free.clear()
        free.add_rows(data.free or [("—", "no free slots")])

    def action_add_window(self) -> None:
        self._window_form("Add a weekly window", Field("day", "Day", choices=DAY_CHOICES), "", "")

    def action_edit_window(self) -> None:
        table = self.query_one("#windows-table", DataTable)
        key = selected(table)
        if key is None:
            self.notify("There is no window to edit.", severity="warning")
            return
        day, start, end = table.get_row(key)
        day_field = Field("day", "Day", str(WEEKDAYS.index(day)), choices=DAY_CHOICES)
        self._window_form(f"Edit {day} {start}–{end}", day_field, start, end, int(key))

    def _window_form(
        self, title: str, day: Field, start: str, end: str, window_id: int | None = None
    ) -> None:
        fields = [
            day,
            Field("start", "From (HH:MM)", start, "09:00"),
            Field("end", "To (HH:MM)", end, "17:00"),
        ]

        def save(values: Values | None) -> None:
            if values is not None:
                self.change(_window_job(values, window_id))

        self.app.push_screen(Form(title, fields), save)

    def action_add_blackout(self) -> None:
        fields = [
            Field("first", "First day (YYYY-MM-DD)", placeholder="2030-12-24"),
            Field("last", "Last day (YYYY-MM-DD, empty: the first)", placeholder="2030-12-26"),
            Field("reason", "Reason (optional)", placeholder="holiday"),
        ]

        def save(values: Values | None) -> None:
            if values is not None:
                self.change(_blackout_job(values))

        self.app.push_screen(Form("Add a blackout (whole days)", fields), save)

    def action_remove(self) -> None:
        blackouts = self.query_one("#blackouts-table", DataTable)
        if blackouts.has_focus:
            key = selected(blackouts)
            if key is not None:
                when, reason = blackouts.get_row(key)
                name = f"the blackout {when}" + (f" ({reason})" if reason else "")
                self._confirm_remove(name, _remove_blackout_job(int(key), name), blackouts)
                return
        windows = self.query_one("#windows-table", DataTable)
        key = selected(windows)
        if key is None or not windows.has_focus:
            self.notify("Select a window or a blackout to remove.", severity="warning")
            return
        day, start, end = windows.get_row(key)
        name = f"the window {day} {start}–{end}"
        self._confirm_remove(name, _remove_window_job(int(key), name), windows)

    def _confirm_remove(self, name: str, job: Any, table: DataTable) -> None:
        def answered(yes: bool | None) -> None:
            table.focus()
            if yes:
                self.change(job)

        self.app.push_screen(Confirm(f"Remove {name}?"), answered)


def _window_job(values: Values, window_id: int | None) -> Any:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.scheduling import schedule

        day, start, end = int(values["day"]), values["start"], values["end"]
        if window_id is None:
            added = schedule.add_window(coach, day, start, end)
        else:
            added = schedule.edit_window(coach, window_id, day, start, end)
        window = added.window
        merged = f" (merged with {', '.join(added.merged)})" if added.merged else ""
        return f"{WEEKDAYS[window.weekday]} {window.start}–{window.end} saved{merged}."

    return job


def _blackout_job(values: Values) -> Any:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine import parse
        from coachctl.engine.scheduling import schedule

        first = parse.day(values["first"])
        last = parse.day(values["last"]) if values["last"] else first
        blackout = schedule.add_blackout_days(coach, first, last, values["reason"])
        return f"Blocked {schedule.blackout_label(blackout, coach.timezone)}."

    return job


def _remove_window_job(window_id: int, name: str) -> Any:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.scheduling.schedule import remove_window

        remove_window(coach, window_id)
        return f"Removed {name}."

    return job


def _remove_blackout_job(blackout_id: int, name: str) -> Any:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.scheduling.schedule import remove_blackout

        remove_blackout(coach, blackout_id)
        return f"Removed {name}."

    return job
