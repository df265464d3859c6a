"""A real SMTP server on loopback (aiosmtpd) that records what it receives."""

from __future__ import annotations

import email
import email.policy
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from coachctl.engine.scheduling import schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type
from tests.support import free_port


class Inbox:
    """Collects messages; can answer with a chosen SMTP status, or slowly."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.replies: list[str] = []
        self.delay = 0.0
        self.drop_next = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            time.sleep(self.delay)
        if self.drop_next:
            self.drop_next = False
            server.transport.close()
            return "421 closing"
        with self.lock:
            if self.replies:
                return self.replies.pop(0)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == b"coach" and auth_data.password == b"s3cret"
    return AuthResult(success=ok)


@pytest.fixture
def inbox(monkeypatch):
    """A plain SMTP server; SMTP_URL points at it."""
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("SMTP_FROM", "Jane Doe <jane@coach.test>")
    yield box
    controller.stop()


@pytest.fixture
def tls_inbox(monkeypatch, tmp_path):
    """An SMTP server that requires STARTTLS and a login, with a certificate from a test CA."""
    import ssl

    import trustme

    authority = trustme.CA()
    certificate = authority.issue_cert("localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    box = Inbox()
    port = free_port()
    controller = Controller(
        box,
        hostname="localhost",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_required=True,
    )
    controller.start()
    monkeypatch.setenv("SMTP_URL", f"smtp+starttls://coach:s3cret@localhost:{port}")
    yield box
    controller.stop()


@pytest.fixture
def open_coach(coach):
    coach.email = "jane@coach.test"
    coach.save()
    for day in range(7):
        schedule.add_window(coach, day, "09:00", "17:00")
    edit_booking_type(get_booking_type(coach), notice=0)
    return coach
