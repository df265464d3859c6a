"""The ``coachctl`` entry point: a group that imports each command module on first use."""

from __future__ import annotations

import difflib
import importlib
import os
import sys
from importlib import metadata
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from coachctl.engine.errors import DomainError
from coachctl.store.db import StoreError

COMMANDS: dict[str, str | tuple[str, str]] = {
    "init": "coachctl.cli.setup",
    "coach": "coachctl.cli.coach",
    "windows": "coachctl.cli.windows",
    "blackout": "coachctl.cli.blackout",
    "hours": "coachctl.cli.hours",
    "types": "coachctl.cli.types",
    "slots": "coachctl.cli.slots",
    "bookings": "coachctl.cli.bookings",
    "token": "coachctl.cli.token",
    "product": "coachctl.cli.products",
    "package": ("coachctl.cli.products", "packages"),
    "coupon": "coachctl.cli.coupons",
    "course": "coachctl.cli.courses",
    "orders": "coachctl.cli.orders",
    "credits": ("coachctl.cli.orders", "credits_app"),
    "stripe": ("coachctl.cli.orders", "stripe_app"),
    "outbox": "coachctl.cli.outbox",
    "report": "coachctl.cli.report",
    "analytics": "coachctl.cli.analytics",
    "export": ("coachctl.cli.calendar", "export_app"),
    "calendar": "coachctl.cli.calendar",
    "calendars": "coachctl.cli.calendars",
    "worker": "coachctl.cli.worker",
    "tui": "coachctl.cli.tui",
    "serve": "coachctl.cli.serve",
    "demo": "coachctl.cli.demo",
}


class LazyGroup(TyperGroup):
    """Resolves each sub-command from its module on demand, and maps every error once: to one
    line on stderr (with a hint) and exit code 2."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def resolve_command(self, ctx: typer.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            close = difflib.get_close_matches(name, list(COMMANDS), n=1)
            ctx.fail(f"no command {name!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
        return super().resolve_command(ctx, args)

    def main(self, *args: Any, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **extra)
        try:
            code = super().main(*args, standalone_mode=False, **extra)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        except Exception as error:
            if not _is_usage_error(error):
                raise
            context = getattr(error, "ctx", None)
            hint = f" Try '{context.command_path} --help'." if context is not None else ""
            message = error.format_message().strip()
            ending = "" if message.endswith((".", "?")) else "."
            typer.echo(f"Error: {message[:1].lower()}{message[1:]}{ending}{hint}", err=True)
            sys.exit(error.exit_code)
        sys.exit(code if isinstance(code, int) else 0)

    def get_command(self, ctx: typer.Context, name: str) -> TyperCommand | TyperGroup | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target if isinstance(target, tuple) else (target, "app")
        module = importlib.import_module(module_name)
        command = typer.main.get_command(getattr(module, attribute))
        command.name = name
        return command

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except DomainError as error:
            hint = f" ({error.hint})" if error.hint else ""
            typer.echo(f"Error: {error.message}{hint}", err=True)
            ctx.exit(2)
        except StoreError as error:
            typer.echo(f"Error: {error}", err=True)
            ctx.exit(2)


app = typer.Typer(
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Run a coaching business from one small program.",
)


def _is_usage_error(error: Exception) -> bool:
    """A command-line mistake typer reports (a typo, a bad value, a missing argument)."""
    return hasattr(error, "format_message") and isinstance(getattr(error, "exit_code", None), int)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coachctl {metadata.version('coachctl')}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
        metavar="",
    ),
) -> None:
    """Run a coaching business from one small program: bio page, bookings, products, emails."""


def run() -> None:
    """Console-script entry: unexpected errors become one line unless COACHCTL_DEBUG is set."""
    try:
        app()
    except Exception as error:
        if os.environ.get("COACHCTL_DEBUG"):
            raise
        typer.echo(f"Error: {type(error).__name__}: {error}", err=True)
        sys.exit(1)
