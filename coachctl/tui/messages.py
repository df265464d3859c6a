"""Messages the console's thread workers post back to their screen."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class Loaded(Message):
    """Fresh data for the screen named ``section`` arrived."""

    def __init__(self, section: str, data: Any) -> None:
        super().__init__()
        self.section = section
        self.data = data


class Changed(Message):
    """A change the coach asked for was made; ``text`` says what happened."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ActionFailed(Message):
    """The engine refused a read or a change; ``text`` is its message."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
