"""``coachctl serve``: the public pages and API under the production WSGI server."""

from __future__ import annotations

import dataclasses
import os

import typer

from coachctl.cli.common import open_store
from coachctl.config import Settings, announce_base_url, base_url_configured

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
)


def run_server(
    settings: Settings,
    host: str,
    port: int,
    workers: int | None,
    path: str = "",
    with_worker: bool = False,
    worker_interval: int = 15,
) -> None:
    """Serve ``settings`` on ``host:port`` and print the URL once the server is ready."""
    import logging

    from coachctl.server.serving import default_workers, serve
    from coachctl.store.db import db

    logging.basicConfig(
        level=os.environ.get("COACHCTL_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(process)d %(name)s %(message)s",
    )
    if not base_url_configured():
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        settings = dataclasses.replace(settings, base_url=f"http://{shown}:{port}")
        announce_base_url(settings.base_url)
        typer.echo(
            f"Links in pages, emails and invites will use {settings.base_url}"
            " (set COACHCTL_BASE_URL for a public address)."
        )
    db.close()
    url = f"{settings.base_url}{path}"

    def ready() -> None:
        typer.echo(f"Serving on {url}  (Ctrl+C to stop)")
        if with_worker:
            typer.echo("The email worker runs inside the server.")

    def email_worker() -> None:
        from coachctl.cli.worker import start_background_once

        start_background_once(settings, worker_interval)

    serve(
        settings,
        host,
        port,
        workers or default_workers(),
        on_start=ready,
        in_worker=email_worker if with_worker else None,
    )


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = typer.Option(None, "--workers", help="Worker processes (default: 2 per core)."),
    with_worker: bool = typer.Option(
        False, "--with-worker", help="Also send emails from here.", metavar=""
    ),
    worker_interval: int = typer.Option(15, "--worker-interval", help="Seconds between sends."),
) -> None:
    """Serve the public pages and JSON API (migrations are applied first)."""
    run_server(
        open_store(), host, port, workers, with_worker=with_worker, worker_interval=worker_interval
    )
