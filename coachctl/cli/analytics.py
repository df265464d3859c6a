"""``coachctl analytics``: keep the daily rollups and prune raw events past their retention."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, load_coach, open_store

app = typer.Typer(add_completion=False, rich_markup_mode=None, no_args_is_help=True)


@app.command()
def prune(as_json: bool = JsonOption) -> None:
    """Delete raw events older than COACHCTL_ANALYTICS_RETENTION_DAYS (their days are rolled up
    first, so no count is lost)."""
    from coachctl.engine.insights import rollups

    settings = open_store()
    deleted = rollups.prune(settings)
    if as_json:
        emit_json({"deleted": deleted, "retention_days": settings.analytics_retention_days})
    else:
        typer.echo(
            f"Deleted {deleted} raw events older than {settings.analytics_retention_days:g} days."
        )


@app.command()
def rebuild(coach: str = CoachOption, as_json: bool = JsonOption) -> None:
    """Count every closed day that still has raw events again, replacing its rollups."""
    from coachctl.engine.insights import rollups

    _, found = load_coach(coach)
    days = rollups.rebuild(found)
    if as_json:
        emit_json({"coach": found.slug, "days": days})
    else:
        typer.echo(f"Rebuilt the rollups of {days} days for {found.slug}.")
