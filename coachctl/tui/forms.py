"""A small modal form: labelled fields, problems shown under them as you type, Enter saves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

Values = dict[str, str]


@dataclass(frozen=True)
class Field:
    """One field: ``choices`` (label, value) make it a drop-down, else it is a text input."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()


class Form(ModalScreen[Values | None]):
    """Ask for ``fields``; ``check`` (an engine function, no database) names what is wrong with
    each field while typing, and Save stays disabled until nothing is. Dismisses with the values,
    or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self, title: str, fields: list[Field], check: Callable[[Values], Values] | None = None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.check = check

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form", can_focus=False):
            yield Label(self.title_text, id="form-title")
            for field in self.fields:
                yield Label(field.label, classes="field-label")
                if field.choices:
                    yield Select(
                        field.choices,
                        value=field.value or field.choices[0][1],
                        allow_blank=False,
                        compact=True,
                        id=f"field-{field.name}",
                    )
                else:
                    yield Input(
                        field.value,
                        placeholder=field.placeholder,
                        compact=True,
                        id=f"field-{field.name}",
                    )
                yield Static("", id=f"problem-{field.name}", classes="problem")
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].name}").focus()
        self.problems()

    def values(self) -> Values:
        """What is in the fields now, as text."""
        found: Values = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            found[field.name] = str(widget.value).strip()
        return found

    def problems(self) -> Values:
        """Show and return what ``check`` finds wrong with the values now."""
        found = self.check(self.values()) if self.check else {}
        for field in self.fields:
            text = found.get(field.name, "")
            line = self.query_one(f"#problem-{field.name}", Static)
            line.update(text)
            line.display = bool(text)
        self.query_one("#save", Button).disabled = bool(found)
        return found

    @on(Input.Changed)
    @on(Select.Changed)
    def _typed(self) -> None:
        self.problems()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        if not self.problems():
            self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)
