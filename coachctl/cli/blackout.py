"""``coachctl blackout add|list|rm``: days or hours off."""

from __future__ import annotations

import typer

from coachctl.cli.common import CoachOption, JsonOption, emit_json, emit_table, load_coach

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Blackouts: whole days or partial ranges when you cannot be booked.",
    no_args_is_help=True,
)


@app.command()
def add(
    span: str = typer.Argument(
        ...,
        help="2026-12-24, 2026-12-24..2026-12-26, or 2026-12-24T13:00..2026-12-24T17:00 (local)",
    ),
    reason: str = typer.Option("", "--reason"),
    coach: str = CoachOption,
    as_json: bool = JsonOption,
) -> None:
    """Block whole local days or a partial range in the coach's zone."""
    from coachctl.engine import parse
    from coachctl.engine.scheduling import schedule

    _, found = load_coach(coach)
    first, _, last = span.partition("..")
    last = last or first
    if "T" in first or "T" in last or ":" in first:
        tz = schedule.zone_of(found)
        blackout = schedule.add_blackout(
            found, schedule.local_or_instant(first, tz), schedule.local_or_instant(last, tz), reason
        )
    else:
        blackout = schedule.add_blackout_days(found, parse.day(first), parse.day(last), reason)
    if as_json:
        emit_json(schedule.blackout_to_dict(blackout))
    else:
        typer.echo(f"Blocked {span} for {found.slug} (id {blackout.id}).")


@app.command("list")
def list_(
    coach: str = CoachOption,
    all_: bool = typer.Option(False, "--all", help="Include past blackouts.", metavar=""),
    as_json: bool = JsonOption,
) -> None:
    """List blackouts (upcoming ones unless --all); day ranges include their last day."""
    from coachctl.engine.scheduling import schedule
    from coachctl.store.models import utcnow

    _, found = load_coach(coach)
    every = schedule.list_blackouts(found)
    blackouts = every if all_ else schedule.list_blackouts(found, utcnow())
    if as_json:
        emit_json([schedule.blackout_to_dict(b) for b in blackouts])
        return
    emit_table(
        f"Blackouts for {found.slug} ({found.timezone})",
        ["id", "when", "reason"],
        [(b.id, schedule.blackout_label(b, found.timezone), b.reason) for b in blackouts],
        "No blackouts coming.",
        whole=("when",),
    )
    past = len(every) - len(blackouts)
    if past:
        typer.echo(f"{past} past blackout{'s' if past != 1 else ''} not shown; --all shows them.")


@app.command()
def rm(blackout_id: int = typer.Argument(...), coach: str = CoachOption) -> None:
    """Remove a blackout by id."""
    from coachctl.engine.scheduling import schedule

    _, found = load_coach(coach)
    schedule.remove_blackout(found, blackout_id)
    typer.echo(f"Removed blackout {blackout_id}.")
