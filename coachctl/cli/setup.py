"""``coachctl init``: create the database, apply migrations, make a signing secret."""

from __future__ import annotations

import typer

from coachctl.cli.common import upgrade_store

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
)


@app.command()
def init() -> None:
    """Create or upgrade the database and make a signing secret; safe to run again."""
    from coachctl.config import config_path
    from coachctl.store.db import redacted
    from coachctl.store.migrations import applied_versions

    settings, applied = upgrade_store()
    typer.echo(f"database: {redacted(settings.database_url)}")
    typer.echo(f"config:   {config_path()}")
    state = f"applied {', '.join(applied)}" if applied else "up to date"
    typer.echo(f"schema:   version {max(applied_versions())} ({state})")
