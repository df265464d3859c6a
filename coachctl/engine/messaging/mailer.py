"""Send what the outbox holds through SMTP, each dedupe key at most once.

A worker claims due rows with a lease, marks one row SENDING (committed) before it talks to the
mail server, and SENT after. A worker killed in between leaves that one row SENDING; once its lease
has run out it becomes UNCERTAIN and is never resent by itself (``coachctl outbox retry`` resends
it on purpose). Temporary failures are retried with backoff; permanent ones are marked FAILED.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from coachctl.config import Settings
from coachctl.engine.errors import Invalid, NotFound
from coachctl.engine.plain_text import one_line
from coachctl.store.db import is_postgres, write_transaction
from coachctl.store.models import Coach, Outbox, utcnow

log = logging.getLogger("coachctl.mailer")
LEASE = timedelta(minutes=5)
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
STATUSES = ("PENDING", "SENDING", "SENT", "FAILED", "UNCERTAIN")


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to send: ``security`` is ``starttls``, ``ssl`` or ``none``."""

    host: str
    port: int
    security: str
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    """Read ``SMTP_URL``: ``smtp://user:pass@host:587`` (STARTTLS on 587 or ``?starttls=1``),
    ``smtps://`` for TLS from the first byte, ``smtp+starttls://`` to insist on STARTTLS."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps", "smtp+starttls") or not parts.hostname:
        raise Invalid(
            f"SMTP_URL {url!r} must look like smtp://user:pass@host:587 or smtps://host:465"
        )
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    port = parts.port or (465 if scheme == "smtps" else 587 if scheme == "smtp+starttls" else 25)
    if scheme == "smtps":
        security = "ssl"
    elif scheme == "smtp+starttls":
        security = "starttls"
    elif "starttls" in query:
        security = "starttls" if query["starttls"].lower() in ("1", "true", "yes") else "none"
    else:
        security = "starttls" if port == 587 else "none"
    return SmtpTarget(
        parts.hostname,
        port,
        security,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
    )


def build_message(row: Outbox, sender: str) -> EmailMessage:
    """The MIME message for an outbox row: text, an HTML alternative, one calendar part at most."""
    message = EmailMessage()
    message["Subject"] = one_line(row.subject)
    message["From"] = one_line(sender)
    message["To"] = one_line(row.recipient)
    message["Date"] = formatdate(localtime=False)
    digest = hashlib.sha256(row.dedupe_key.encode()).hexdigest()[:32]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "coachctl.local"
    message["Message-ID"] = f"<{digest}@{domain}>"
    message["X-Coachctl-Key"] = digest
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    for attachment in row.attachments or []:
        params = {"method": attachment["method"]} if attachment.get("method") else {}
        message.add_attachment(
            attachment["content"].encode(),
            maintype="text",
            subtype="calendar",
            filename=attachment.get("filename", "invite.ics"),
            params=params,
        )
    return message


@dataclass
class SendReport:
    """What one pass of the sender did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)


def _due(now: datetime):
    return (
        (Outbox.status == "PENDING")
        & (Outbox.send_after <= now)
        & (Outbox.claimed_until.is_null() | (Outbox.claimed_until < now))
    )


def _claim(worker: str, now: datetime, limit: int) -> list[Outbox]:
    with write_transaction():
        query = Outbox.select(Outbox.id).where(_due(now)).order_by(Outbox.send_after, Outbox.id)
        query = query.limit(limit)
        if is_postgres():
            query = query.for_update("FOR UPDATE SKIP LOCKED")
        ids = [row.id for row in query]
        if not ids:
            return []
        Outbox.update(claimed_by=worker, claimed_until=now + LEASE).where(
            Outbox.id.in_(ids) & _due(now)
        ).execute()
    return list(
        Outbox.select()
        .where((Outbox.claimed_by == worker) & (Outbox.status == "PENDING") & Outbox.id.in_(ids))
        .order_by(Outbox.send_after, Outbox.id)
    )


def mark_uncertain(now: datetime) -> int:
    """Rows left SENDING by a worker that died: never resent automatically."""
    return (
        Outbox.update(
            status="UNCERTAIN", last_error="worker stopped while sending; check the inbox"
        )
        .where((Outbox.status == "SENDING") & (Outbox.claimed_until < now))
        .execute()
    )


@contextmanager
def smtp_connection(target: SmtpTarget, timeout: float = 30) -> Iterator[smtplib.SMTP]:
    """An authenticated SMTP session over the security the target asks for."""
    context = ssl.create_default_context()
    if target.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=timeout, context=context
        )
    else:
        server = smtplib.SMTP(target.host, target.port, timeout=timeout)
    try:
        server.ehlo()
        if target.security == "starttls":
            server.starttls(context=context)
            server.ehlo()
        if target.username:
            server.login(target.username, target.password or "")
        yield server
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()


def _permanent(error: Exception) -> bool:
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in error.recipients.values()]
        return bool(codes) and all(500 <= c < 600 for c in codes)
    return isinstance(code, int) and 500 <= code < 600


def _after_failure(row: Outbox, error: Exception, now: datetime, report: SendReport) -> None:
    message = f"{type(error).__name__}: {error}"[:1000]
    report.errors.append(f"#{row.id} to {row.recipient}: {message}")
    if _permanent(error) or row.attempts >= MAX_ATTEMPTS:
        Outbox.update(
            status="FAILED", last_error=message, claimed_by=None, claimed_until=None
        ).where(Outbox.id == row.id).execute()
        report.failed += 1
    else:
        delay = BACKOFF[min(row.attempts, len(BACKOFF)) - 1]
        Outbox.update(
            status="PENDING",
            last_error=message,
            send_after=now + delay,
            claimed_by=None,
            claimed_until=None,
        ).where(Outbox.id == row.id).execute()
        report.retried += 1


def send_due(
    settings: Settings, *, worker: str | None = None, now: datetime | None = None, limit: int = 100
) -> SendReport:
    """Send every due email once; without ``SMTP_URL`` they stay in the outbox."""
    now = now or utcnow()
    report = SendReport(uncertain=mark_uncertain(now))
    if not settings.smtp_url:
        report.waiting = Outbox.select().where(_due(now)).count()
        return report
    target = parse_smtp_url(settings.smtp_url)
    worker = worker or f"{socket.gethostname()}-{id(report):x}"
    rows = _claim(worker, now, limit)
    if not rows:
        return report
    try:
        with smtp_connection(target) as server:
            for row in rows:
                _send_one(server, row, worker, settings, now, report)
    except (smtplib.SMTPException, OSError) as error:
        for row in rows:
            untouched = Outbox.get_by_id(row.id)
            if untouched.status == "PENDING" and untouched.claimed_by == worker:
                untouched.attempts += 1
                untouched.save()
                _after_failure(untouched, error, now, report)
    return report


def _send_one(
    server: smtplib.SMTP,
    row: Outbox,
    worker: str,
    settings: Settings,
    now: datetime,
    report: SendReport,
) -> None:
    started = (
        Outbox.update(status="SENDING", attempts=Outbox.attempts + 1)
        .where((Outbox.id == row.id) & (Outbox.claimed_by == worker) & (Outbox.status == "PENDING"))
        .execute()
    )
    if not started:
        return
    row.attempts += 1
    try:
        server.send_message(build_message(row, settings.smtp_from))
    except smtplib.SMTPServerDisconnected:
        # The server may have taken the message before the line dropped: never resend it blind.
        Outbox.update(
            status="UNCERTAIN", last_error="connection lost while sending; check the inbox"
        ).where(Outbox.id == row.id).execute()
        report.uncertain += 1
        raise
    except (smtplib.SMTPException, OSError) as error:
        _after_failure(row, error, now, report)
        return
    Outbox.update(status="SENT", sent_at=utcnow(), last_error="", claimed_until=None).where(
        Outbox.id == row.id
    ).execute()
    report.sent += 1


def get_email(email_id: int) -> Outbox:
    """One outbox row."""
    row = Outbox.get_or_none(Outbox.id == email_id)
    if row is None:
        raise NotFound(f"no email {email_id} in the outbox")
    return row


def list_emails(
    status: str | None = None, limit: int = 200, coach: Coach | None = None
) -> list[Outbox]:
    """Outbox rows, newest first, optionally of one status and of one coach."""
    query = Outbox.select()
    if coach is not None:
        query = query.where(Outbox.coach == coach)
    if status:
        status = status.upper()
        if status not in STATUSES:
            raise Invalid(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        query = query.where(Outbox.status == status)
    return list(query.order_by(Outbox.id.desc()).limit(limit))


def retry_email(email_id: int) -> Outbox:
    """Queue a FAILED or UNCERTAIN email again, on purpose."""
    row = get_email(email_id)
    if row.status not in ("FAILED", "UNCERTAIN"):
        raise Invalid(
            f"email {email_id} is {row.status.lower()}; only failed or uncertain ones retry"
        )
    Outbox.update(
        status="PENDING", attempts=0, send_after=utcnow(), claimed_by=None, claimed_until=None
    ).where(Outbox.id == row.id).execute()
    return get_email(email_id)
