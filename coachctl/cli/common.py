"""What every command shares: opening the store, the --coach option, JSON and table output."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import typer

from coachctl.config import Settings, ensure_secret

CoachOption = typer.Option(None, "--coach", help="Coach slug (optional when only one exists).")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.", metavar="")


def upgrade_store() -> tuple[Settings, list[str]]:
    """Load settings (making a secret if needed), open the database, apply missing migrations.

    Returns the settings and the names of the migrations applied (none on a current database).
    """
    from coachctl.store.db import check_connection, open_database
    from coachctl.store.migrations import migrate

    settings = ensure_secret()
    open_database(settings.database_url)
    check_connection(settings.database_url)
    return settings, migrate()


def open_store() -> Settings:
    """Load settings, open the database and bring its schema up to date."""
    return upgrade_store()[0]


def load_coach(slug: str | None):
    """Open the store and resolve the coach named by ``--coach``."""
    from coachctl.engine.coaches import resolve_coach

    settings = open_store()
    return settings, resolve_coach(slug)


def emit_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def emit_table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    empty: str,
    *,
    whole: Sequence[str] = (),
    optional: Sequence[str] = (),
) -> None:
    """Print a rich table that fits the terminal, or ``empty`` when there are no rows.

    Cells of ``whole`` columns (dates, times, amounts) never break across lines; when the
    table is still too wide, ``optional`` columns are left out, least important first.
    """
    rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if not rows:
        typer.echo(empty)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    shown = list(columns)
    for leaving in (None, *optional):
        if leaving is not None:
            shown.remove(leaving)
        table = Table(title=title, title_justify="left")
        for column in shown:
            table.add_column(column, no_wrap=column in whole)
        for row in rows:
            table.add_row(
                *(cell for column, cell in zip(columns, row, strict=True) if column in shown)
            )
        if _narrowest(shown, columns, rows, whole) <= console.width:
            break
    console.print(table)


def _narrowest(
    shown: Sequence[str], columns: Sequence[str], rows: list[list[str]], whole: Sequence[str]
) -> int:
    """The fewest terminal cells a table of ``shown`` columns takes: ``whole`` cells at full
    width, the others wrapped at spaces (each column adds its borders and padding)."""
    from rich.cells import cell_len

    width = 1
    for column in shown:
        cells = [column, *(row[columns.index(column)] for row in rows)]
        pieces = cells if column in whole else [w for cell in cells for w in cell.split()]
        width += max(map(cell_len, pieces or [""])) + 3
    return width
