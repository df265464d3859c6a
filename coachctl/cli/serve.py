"""``coachctl serve``: the public pages and API under the production WSGI server."""

from __future__ import annotations

import dataclasses
import os

import typer

from coachctl.cli.common import open_store
from coachctl.config import Settings

app = typer.Typer()


def run_server(
    settings: Settings, host: str, port: int, workers: int | None, path: str = ""
) -> None:
    """Serve ``settings`` on ``host:port`` and print the URL once the server is ready."""
    from coachctl.server.serving import default_workers, serve
    from coachctl.store.db import db

    if not os.environ.get("COACHCTL_BASE_URL"):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        settings = dataclasses.replace(settings, base_url=f"http://{shown}:{port}")
    db.close()
    url = f"{settings.base_url}{path}"
    serve(
        settings,
        host,
        port,
        workers or default_workers(),
        on_start=lambda: typer.echo(f"Serving on {url}  (Ctrl+C to stop)"),
    )


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = typer.Option(None, "--workers", help="Worker processes (default: 2 per core)."),
) -> None:
    """Serve the public pages and JSON API (migrations are applied first)."""
    run_server(open_store(), host, port, workers)
