"""``coachctl tui``: the coach's console in the terminal."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, open_store

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
)


@app.command()
def tui(coach: str = CoachOption) -> None:
    """Open the console: agenda, availability, catalog, orders, courses, reports and outbox."""
    from coachctl.engine.coaches import resolve_coach
    from coachctl.store.db import db
    from coachctl.tui.app import make_app

    settings = open_store()
    resolve_coach(coach)
    db.close()
    make_app(settings, coach).run()
