"""``coachctl coach create|edit|show|list|notices``: coach profiles and their notices."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from coachctl.cli.common import JsonOption, emit_json, emit_table, open_store
from coachctl.engine.errors import Invalid

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="Create and edit coach profiles.",
    no_args_is_help=True,
)


def _links(values: list[str] | None) -> list[dict[str, str]] | None:
    if values is None:
        return None
    links = []
    for value in values:
        label, sep, url = value.partition("=")
        if not sep:
            raise Invalid(f"link {value!r} must look like Label=https://example.com")
        links.append({"label": label, "url": url})
    return links


def _bio(bio: str | None, bio_file: Path | None) -> str | None:
    if bio_file is None:
        return bio
    try:
        return bio_file.read_text(encoding="utf-8")
    except OSError as error:
        raise Invalid(f"cannot read {bio_file}: {error.strerror}") from None


def _show(coach, as_json: bool) -> None:
    from coachctl.engine.coaches import coach_settings

    data = coach_settings(coach)
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        if key == "links":
            value = ", ".join(f"{link['label']} <{link['url']}>" for link in value) or "-"
        elif key == "notices":
            value = ", ".join(f"{kind} {'on' if on else 'off'}" for kind, on in value.items())
            value += "" if coach.email else " (no email: none are sent)"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif value in (None, ""):
            value = "-"
        typer.echo(f"{key:17} {value}")


def _ask(given: str | None, question: str, fallback: str) -> tuple[str, bool]:
    """An option the coach may have left out: asked for at a terminal, else ``fallback``; and
    whether the fallback was assumed without asking."""
    if given is not None:
        return given, False
    if sys.stdin.isatty():
        return typer.prompt(question, default=fallback, show_default=bool(fallback)), False
    return fallback, True


@app.command()
def create(
    slug: str = typer.Argument(..., help="URL name: lowercase letters, digits, hyphens."),
    name: str = typer.Option(..., "--name", help="Display name."),
    timezone: str = typer.Option(None, "--timezone", help="IANA zone, e.g. Europe/Berlin."),
    headline: str = typer.Option("", "--headline"),
    bio: str = typer.Option("", "--bio", help="Markdown."),
    bio_file: Path = typer.Option(None, "--bio-file", help="Read the bio (markdown) from a file."),
    avatar_url: str = typer.Option(
        "", "--avatar", "--avatar-url", help="Your photo: an image file or an https URL."
    ),
    email: str = typer.Option(None, "--email", help="Where booking and sale notices go."),
    currency: str = typer.Option("EUR", "--currency"),
    link: list[str] = typer.Option(None, "--link", help="Label=URL; repeat for several."),
    as_json: bool = JsonOption,
) -> None:
    """Create a coach (with a default 60-minute 'session' booking type)."""
    from coachctl.engine.coaches import create_coach

    open_store()
    timezone, zone_assumed = _ask(timezone, "Your time zone (e.g. Europe/Berlin)", "UTC")
    email, no_email = _ask(email, "Your email, for booking and sale notices (empty for none)", "")
    coach = create_coach(
        slug,
        name,
        timezone,
        headline=headline,
        bio=_bio(bio, bio_file),
        avatar_url=avatar_url,
        email=email,
        currency=currency,
        links=_links(link) or [],
    )
    if as_json:
        _show(coach, True)
    else:
        typer.echo(f"Created coach {coach.slug} ({coach.name}, {coach.timezone}).")
    if zone_assumed:
        typer.echo(
            f"No --timezone given: assumed UTC; change it with"
            f" `coachctl coach edit {slug} --timezone ZONE`.",
            err=True,
        )
    if no_email and not email:
        typer.echo(
            f"No --email given: no booking or sale notices will be sent;"
            f" add one with `coachctl coach edit {slug} --email ADDRESS`.",
            err=True,
        )


@app.command()
def edit(
    slug: str = typer.Argument(...),
    name: str = typer.Option(None, "--name"),
    timezone: str = typer.Option(None, "--timezone"),
    headline: str = typer.Option(None, "--headline"),
    bio: str = typer.Option(None, "--bio"),
    bio_file: Path = typer.Option(None, "--bio-file"),
    avatar_url: str = typer.Option(
        None, "--avatar", "--avatar-url", help="Your photo: an image file or an https URL."
    ),
    email: str = typer.Option(None, "--email"),
    currency: str = typer.Option(None, "--currency"),
    link: list[str] = typer.Option(None, "--link", help="Replaces all links; Label=URL."),
    booking: bool = typer.Option(
        None, "--booking/--no-booking", help="Show the Book button.", metavar=""
    ),
    products: bool = typer.Option(
        None, "--products/--no-products", help="Show Buy buttons.", metavar=""
    ),
    active: bool = typer.Option(None, "--active/--inactive", help="Publish the page.", metavar=""),
    as_json: bool = JsonOption,
) -> None:
    """Change a coach's profile; options not given stay as they are."""
    from coachctl.engine.coaches import edit_coach, get_coach

    open_store()
    coach = edit_coach(
        get_coach(slug),
        name=name,
        timezone=timezone,
        headline=headline,
        bio=_bio(bio, bio_file),
        avatar_url=avatar_url,
        email=email,
        currency=currency,
        links=_links(link),
        booking_enabled=booking,
        products_enabled=products,
        active=active,
    )
    if as_json:
        _show(coach, True)
    else:
        typer.echo(f"Updated coach {coach.slug}.")


@app.command()
def show(slug: str = typer.Argument(...), as_json: bool = JsonOption) -> None:
    """Show one coach's profile."""
    from coachctl.engine.coaches import get_coach

    open_store()
    _show(get_coach(slug), as_json)


@app.command("list")
def list_(as_json: bool = JsonOption) -> None:
    """List every coach."""
    from coachctl.engine.coaches import coach_to_dict, list_coaches

    open_store()
    coaches = list_coaches()
    if as_json:
        emit_json([coach_to_dict(c) for c in coaches])
        return
    emit_table(
        "Coaches",
        ["slug", "name", "timezone", "booking", "active"],
        [
            (
                c.slug,
                c.name,
                c.timezone,
                "on" if c.booking_enabled else "off",
                "yes" if c.active else "no",
            )
            for c in coaches
        ],
        "No coaches yet. Create one: coachctl coach create SLUG --name NAME",
    )


@app.command()
def notices(
    slug: str = typer.Argument(...),
    on: list[str] = typer.Option(None, "--on", help="A kind to turn on (or all); repeat."),
    off: list[str] = typer.Option(None, "--off", help="A kind to turn off (or all); repeat."),
) -> None:
    """Choose which emails tell you what happened: booking, change, cancellation, sale, refund."""
    from coachctl.engine.coaches import get_coach
    from coachctl.engine.messaging.coach_notices import KINDS, set_notices

    open_store()
    coach = get_coach(slug)
    now_off = set_notices(coach, on=on or [], off=off or []) if on or off else coach.notices_off
    for kind, meaning in KINDS.items():
        typer.echo(f"{kind:13} {'off' if kind in now_off else 'on ':3}  when {meaning}")
    if not coach.email:
        typer.echo(f"{slug} has no email, so none are sent: `coachctl coach edit {slug} --email`.")
