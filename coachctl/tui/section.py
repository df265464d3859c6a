"""The base of every console screen: reads and changes run in thread workers, each with its own
connection; results come back as messages, engine errors as notifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from peewee import DatabaseError
from textual import on
from textual.binding import BindingType
from textual.screen import Screen

from coachctl.engine.errors import DomainError
from coachctl.store.models import Coach
from coachctl.tui.messages import ActionFailed, Changed, Loaded

Job = Callable[[Coach, datetime], Any]
_FAILED = object()


def problem(error: Exception) -> str:
    """The words a coach reads for an engine or database error."""
    if isinstance(error, DomainError):
        return f"{error.message} ({error.hint})" if error.hint else error.message
    return f"the database refused: {str(error).strip().splitlines()[0] if str(error) else error!r}"


class Section(Screen):
    """One area of the console; ``read`` runs in a thread, ``show`` paints what it returned."""

    NAME: ClassVar[str] = ""
    KEY: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [("r", "reload", "Refresh")]

    def on_screen_resume(self) -> None:
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read this screen's data again, in a thread worker."""
        self.run_worker(self._read, thread=True, exclusive=True, group="read")

    def read(self, coach: Coach, now: datetime) -> Any:
        """What ``show`` paints; runs in a worker thread with a connection open."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Paint ``data`` from ``read``."""
        raise NotImplementedError

    def change(self, job: Job) -> None:
        """Run ``job`` (returning what to tell the coach) in a thread worker, then read again."""
        self.run_worker(partial(self._change, job), thread=True, group="change")

    def fetch(self, job: Job, then: Callable[[Any], None]) -> None:
        """Run ``job`` in a thread worker and hand its result to ``then`` on the UI thread."""
        self.run_worker(partial(self._fetch, job, then), thread=True, group="fetch")

    def _read(self) -> None:
        data = self._in_store(self.read)
        if data is not _FAILED:
            self.post_message(Loaded(self.NAME, data))

    def _change(self, job: Job) -> None:
        text = self._in_store(job)
        if text is not _FAILED:
            self.post_message(Changed(text))

    def _fetch(self, job: Job, then: Callable[[Any], None]) -> None:
        data = self._in_store(job)
        if data is not _FAILED:
            self.app.call_from_thread(then, data)

    def _in_store(self, job: Job) -> Any:
        from coachctl.engine.coaches import resolve_coach
        from coachctl.store.db import connection

        try:
            with connection():
                return job(resolve_coach(self.app.coach_slug), self.app.now())
        except (DomainError, DatabaseError) as error:
            self.post_message(ActionFailed(problem(error)))
        return _FAILED

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.section == self.NAME:
            self.show(message.data)

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(message.text)
        self.reload()

    @on(ActionFailed)
    def _failed(self, message: ActionFailed) -> None:
        self.notify(message.text, severity="error", timeout=8)


def selected(table: Any) -> str | None:
    """The key of the row under ``table``'s cursor, or None when the table is empty."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
