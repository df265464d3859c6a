"""The help screen: every binding of the console, screen by screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


def _described(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for item in bindings:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description:
            keys = binding.key_display or ", ".join(k.strip() for k in binding.key.split(","))
            rows.append((keys, binding.description))
    return rows


class Help(ModalScreen[None]):
    """Lists ``groups`` of (title, bindings); any of Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape,q,question_mark", "close", "Close")]

    def __init__(self, groups: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", can_focus=False):
            yield Label("Keys (Escape closes)", id="help-title")
            yield DataTable(id="help-table", cursor_type="none", show_header=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("where", "key", "does")
        for title, bindings in self.groups:
            for index, (keys, does) in enumerate(_described(bindings)):
                table.add_row(title if index == 0 else "", keys, does)

    def action_close(self) -> None:
        self.dismiss(None)
