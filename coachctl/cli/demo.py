"""``coachctl demo``: create the demo coach from examples/ (once) and serve it."""

from __future__ import annotations

import typer

from coachctl.cli.common import open_store
from coachctl.cli.serve import run_server

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
)


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    no_serve: bool = typer.Option(
        False, "--no-serve", help="Only create the demo coach.", metavar=""
    ),
) -> None:
    """Create a demo coach with hours, sessions, products and a course, then serve its page."""
    from coachctl.engine.demo import demo_document, load_example

    settings = open_store()
    coach, created = load_example(demo_document())
    typer.echo(f"{'Created' if created else 'Using'} demo coach {coach.slug} ({coach.name}).")
    if not settings.stripe_secret_key:
        typer.echo("Payments use the local sandbox: test checkouts, no money moves.")
    if not settings.smtp_url:
        typer.echo(
            "SMTP_URL is not set: emails stay in the outbox; read them with "
            "`coachctl outbox list` and `coachctl outbox show ID`."
        )
    if not no_serve:
        run_server(settings, host, port, None, path=f"/{coach.slug}", with_worker=True)
