"""The ``coachctl`` entry point: a group that imports each command module on first use."""

from __future__ import annotations

import importlib
import os
import sys

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
    "orders": "coachctl.cli.orders",
    "credits": ("coachctl.cli.orders", "credits_app"),
    "stripe": ("coachctl.cli.orders", "stripe_app"),
    "outbox": "coachctl.cli.outbox",
    "export": ("coachctl.cli.calendar", "export_app"),
    "calendar": "coachctl.cli.calendar",
    "calendars": "coachctl.cli.calendars",
    "worker": "coachctl.cli.worker",
    "tui": "coachctl.cli.tui",
    "serve": "coachctl.cli.serve",
    "demo": "coachctl.cli.demo",
}


class LazyGroup(TyperGroup):
    """Resolves each sub-command from its module on demand, and maps domain errors once."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

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
    pretty_exceptions_enable=False,
    help="Run a coaching business from one small program.",
)


@app.callback()
def main() -> None:
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
