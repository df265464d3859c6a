"""Emails: composed from templates a coach can restyle, written to the outbox in the caller's
transaction, and sent later by the worker. A dedupe key makes each email happen once."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from coachctl.config import Settings, home_dir
from coachctl.engine import formats, intake, locations
from coachctl.engine.links import manage_url
from coachctl.engine.messaging import coach_notices, ics
from coachctl.store.models import Booking, Coach, Outbox, utcnow

CHANGES = {
    "confirmed": "new",
    "rescheduled": "moved",
    "updated": "updated",
    "cancelled": "cancelled",
}


@lru_cache(maxsize=4)
def _templates(override_dir: str | None) -> Environment:
    loaders = [PackageLoader("coachctl.engine.messaging", "emails")]
    if override_dir:
        loaders.insert(0, FileSystemLoader(override_dir))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_email(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render ``name.subject.txt``, ``name.txt`` and ``name.html``: (subject, text, html).

    A coach restyles an email by putting a file of the same name in ``<home>/emails/``.
    """
    overrides = home_dir() / "emails"
    env = _templates(str(overrides) if overrides.is_dir() else None)
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


def queue_template(name: str, context: dict[str, Any], *, kind: str = "", **queue: Any) -> bool:
    """Render the email ``name`` with ``context`` and add it to the outbox (see
    ``queue_email``, which gets ``queue``); its kind is ``name`` unless ``kind`` is given."""
    subject, text, html = render_email(name, context)
    return queue_email(kind=kind or name, subject=subject, text=text, html=html, **queue)


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


def drop_reminders(booking: Booking) -> int:
    """Delete the booking's reminders that have not gone out yet; return how many."""
    return (
        Outbox.delete()
        .where(
            (Outbox.booking == booking) & (Outbox.kind == "reminder") & (Outbox.status == "PENDING")
        )
        .execute()
    )


def _queue_reminders(booking: Booking, context: dict[str, Any], now: datetime) -> None:
    subject, text, html = render_email("booking_reminder", context)
    for minutes in booking.booking_type.reminders or []:
        due = booking.start - timedelta(minutes=minutes)
        if due <= now:
            continue
        queue_email(
            kind="reminder",
            to=booking.customer_email,
            subject=subject,
            text=text,
            html=html,
            dedupe_key=f"booking:{booking.id}:reminder:{minutes}:{booking.sequence}",
            coach=booking.coach_id,
            booking=booking,
            send_after=due,
        )


def booking_changed(
    booking: Booking,
    change: str,
    settings: Settings,
    *,
    previous_start: datetime | None = None,
    now: datetime | None = None,
    said: str = "",
    policy: str = "",
) -> None:
    """Queue what a booking change sends, inside the caller's transaction: the client's email with
    a calendar invite, the coach's notice, and the reminders (moved on reschedule, dropped on
    cancel). ``change`` is ``confirmed``, ``rescheduled``, ``updated`` or ``cancelled``;
    ``said`` is what a cancellation did with the money, ``policy`` the cancellation policy."""
    if change not in CHANGES:
        raise ValueError(f"unknown booking change {change!r}")
    now = now or utcnow()
    coach, kind = booking.coach, booking.booking_type
    link = manage_url(booking, settings)
    context = {
        "booking": booking,
        "coach": coach,
        "kind": kind,
        "manage_url": link,
        "when": formats.span(booking.start, booking.end, booking.customer_timezone),
        "when_coach": formats.span(booking.start, booking.end, coach.timezone),
        "previous": formats.span(previous_start, None, booking.customer_timezone)
        if previous_start
        else None,
        "previous_coach": formats.span(previous_start, None, coach.timezone)
        if previous_start
        else None,
        "book_url": f"{settings.base_url}/book/{coach.slug}",
        "change": CHANGES[change],
        "where": locations.booking_location(booking),
        "answers": intake.answered(kind.questions, booking.answers),
        "said": said,
        "policy": policy,
    }
    invite = {
        "filename": "invite.ics",
        "method": "CANCEL" if change == "cancelled" else "REQUEST",
        "content": ics.invite(booking, link).decode(),
    }
    queue_template(
        f"booking_{change}",
        context,
        to=booking.customer_email,
        dedupe_key=f"booking:{booking.id}:{change}:{booking.sequence}",
        coach=coach,
        booking=booking,
        attachments=[invite],
    )
    if coach_notices.wants(coach, coach_notices.FOR_BOOKING_CHANGE[change]):
        queue_template(
            "coach_booking",
            context,
            to=coach.email,
            dedupe_key=f"booking:{booking.id}:coach-{change}:{booking.sequence}",
            coach=coach,
            booking=booking,
        )
    drop_reminders(booking)
    if change != "cancelled":
        _queue_reminders(booking, context, now)
