"""``coachctl outbox list|show|send|retry``: the emails coachctl has written."""

from __future__ import annotations

import typer

from coachctl.cli.common import JsonOption, emit_json, emit_table, open_store

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    help="The email outbox: read, send, retry.",
    no_args_is_help=True,
)


@app.command("list")
def list_(
    status: str = typer.Option(None, "--status", help="PENDING, SENT, FAILED, UNCERTAIN, SENDING"),
    as_json: bool = JsonOption,
) -> None:
    """List emails, newest first."""
    from coachctl.engine import formats
    from coachctl.engine.messaging.mailer import list_emails
    from coachctl.engine.messaging.notify import outbox_to_dict

    open_store()
    emails = list_emails(status)
    if as_json:
        emit_json([outbox_to_dict(r) for r in emails])
        return
    emit_table(
        "Outbox (UTC)",
        ["id", "kind", "to", "subject", "status", "send after"],
        [
            (
                r.id,
                r.kind,
                r.recipient,
                r.subject,
                r.status.lower(),
                formats.moment(r.send_after, "UTC"),
            )
            for r in emails
        ],
        "The outbox is empty.",
        whole=("send after",),
        optional=("kind", "subject"),
    )


@app.command()
def show(email_id: int = typer.Argument(...), as_json: bool = JsonOption) -> None:
    """Show one email with its plain-text body."""
    from coachctl.engine.messaging.mailer import get_email
    from coachctl.engine.messaging.notify import outbox_to_dict

    open_store()
    row = get_email(email_id)
    data = {
        **outbox_to_dict(row),
        "text": row.body_text,
        "html": row.body_html,
        "attachments": [a.get("filename") for a in row.attachments or []],
        "last_error": row.last_error,
    }
    if as_json:
        emit_json(data)
        return
    typer.echo(
        f"To:      {data['to']}\nSubject: {data['subject']}\nStatus:  {data['status']}"
        f" (send after {data['send_after']})"
    )
    if data["attachments"]:
        typer.echo(f"Attached: {', '.join(data['attachments'])}")
    if row.last_error:
        typer.echo(f"Error:   {row.last_error}")
    typer.echo("")
    typer.echo(row.body_text)


@app.command()
def send() -> None:
    """Send what is due now (the same as `coachctl worker --once`)."""
    from coachctl.cli.worker import worker

    worker(once=True, interval=15)


@app.command()
def retry(email_id: int = typer.Argument(...)) -> None:
    """Queue a failed or uncertain email again."""
    from coachctl.engine.messaging.mailer import retry_email

    open_store()
    retry_email(email_id)
    typer.echo(f"Email {email_id} queued again.")
