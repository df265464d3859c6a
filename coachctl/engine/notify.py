"""Emails: composed from templates a coach can restyle, written to the outbox in the caller's
transaction, and sent later by the worker. A dedupe key makes each email happen once."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from coachctl.store.models import Booking, Coach, Outbox, utcnow


@lru_cache(maxsize=4)
def _templates(override_dir: str | None) -> Environment:
    loaders = [PackageLoader("coachctl.engine", "emails")]
    if override_dir:
        loaders.insert(0, FileSystemLoader(override_dir))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_email(
    name: str, context: dict[str, Any], override_dir: str | None = None
) -> tuple[str, str, str]:
    """Render ``name.subject.txt``, ``name.txt`` and ``name.html``: (subject, text, html)."""
    env = _templates(override_dir)
    subject = " ".join(env.get_template(f"{name}.subject.txt").render(**context).split())
    text = env.get_template(f"{name}.txt").render(**context)
    html = env.get_template(f"{name}.html").render(**context)
    return subject, text, html


def queue_email(
    *,
    kind: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    dedupe_key: str,
    coach: Coach | int | None = None,
    booking: Booking | None = None,
    send_after: datetime | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> bool:
    """Add an email to the outbox unless its dedupe key is already there; True when added."""
    inserted = (
        Outbox.insert(
            kind=kind,
            recipient=to,
            subject=subject[:300],
            body_text=text,
            body_html=html,
            dedupe_key=dedupe_key[:200],
            coach=coach,
            booking=booking,
            send_after=send_after or utcnow(),
            attachments=attachments or [],
        )
        .on_conflict_ignore()
        .as_rowcount()
        .execute()
    )
    return bool(inserted)


def outbox_to_dict(row: Outbox) -> dict[str, Any]:
    """The JSON shape of an outbox row (bodies only in ``show``)."""
    from coachctl.engine.parse import format_instant

    return {
        "id": row.id,
        "kind": row.kind,
        "to": row.recipient,
        "subject": row.subject,
        "status": row.status,
        "send_after": format_instant(row.send_after),
        "attempts": row.attempts,
        "sent_at": format_instant(row.sent_at) if row.sent_at else None,
    }
