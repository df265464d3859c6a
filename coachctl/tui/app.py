"""The coach's console: agenda, availability, catalog, orders, courses, reports and outbox, one
key each; every screen reads and writes through the engine in thread workers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from coachctl.config import Settings
from coachctl.store.models import utcnow
from coachctl.tui.help import Help
from coachctl.tui.screens import SECTIONS
from coachctl.tui.section import Section

IDLE_REFRESH = 30.0  # seconds between reads while nothing else happens


class CoachApp(App[None]):
    """One coach's console; ``clock`` gives "now" to every engine call (tests fix it)."""

    CSS_PATH = "coachctl.tcss"
    TITLE = "coachctl"
    MODES: ClassVar[dict[str, type[Screen]]] = {s.NAME: s for s in SECTIONS}  # type: ignore[misc]
    DEFAULT_MODE = SECTIONS[0].NAME
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(s.KEY, f"go('{s.NAME}')", s.TITLE, show=False) for s in SECTIONS),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        settings: Settings,
        coach_slug: str | None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.coach_slug = coach_slug
        self.clock = clock

    def now(self) -> datetime:
        """The instant every engine call treats as now."""
        return self.clock()

    def on_mount(self) -> None:
        self.set_interval(IDLE_REFRESH, self.refresh_when_idle)

    def refresh_when_idle(self) -> None:
        """Read the visible screen again unless a dialog is open or a worker is busy."""
        if isinstance(self.screen, Section) and not any(w.is_running for w in self.workers):
            self.screen.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in ("go", "help") and isinstance(self.screen, ModalScreen))

    def action_go(self, name: str) -> None:
        self.switch_mode(name)

    def action_help(self) -> None:
        groups = [("everywhere", [*self.BINDINGS, *Section.BINDINGS])]
        groups += [(s.TITLE.lower(), s.BINDINGS) for s in SECTIONS]
        self.push_screen(Help(groups))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for section in SECTIONS:
            go = partial(self.switch_mode, section.NAME)
            yield SystemCommand(section.TITLE, f"{section.HELP} (key {section.KEY})", go)
        yield SystemCommand("Help", "Every key of every screen (key ?)", self.action_help)
        yield from super().get_system_commands(screen)


def make_app(
    settings: Settings, coach_slug: str | None = None, *, clock: Callable[[], datetime] = utcnow
) -> CoachApp:
    """The console app, as the CLI, the tests and the snapshot tests build it."""
    return CoachApp(settings, coach_slug, clock)
