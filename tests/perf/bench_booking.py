"""Outbox emails sent per second to a local SMTP server (aiosmtpd), and the booking page
(`GET /book/{coach}/{type}`) under gunicorn at 50 connections.

Run: python -m tests.perf.bench_booking
"""

from __future__ import annotations

import os
import time

from tests.perf.harness import demo_served, free_port, scratch_home, wrk


class _Sink:
    count = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        _Sink.count += 1
        return "250 OK"


def bench_outbox(emails: int = 2000) -> None:
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    with scratch_home():
        os.environ["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        from coachctl.config import ensure_secret
        from coachctl.engine.messaging import notify
        from coachctl.engine.messaging.mailer import send_due
        from coachctl.store.db import db, open_database
        from coachctl.store.migrations import migrate

        settings = ensure_secret()
        open_database(settings.database_url)
        migrate()
        body = "Hello,\n\nThis is a realistic short email body.\n" * 5
        with db.atomic():
            for n in range(emails):
                notify.queue_email(
                    kind="bench",
                    to=f"user{n}@example.com",
                    subject=f"Hello {n}",
                    text=body,
                    html=f"<p>{body}</p>",
                    dedupe_key=f"bench:{n}",
                )
        started = time.perf_counter()
        sent = 0
        while sent < emails:
            sent += send_due(settings, limit=200).sent
        elapsed = time.perf_counter() - started
        db.close()
        del os.environ["SMTP_URL"]
    controller.stop()
    print(
        f"outbox → SMTP: {emails / elapsed:6.0f} emails/s ({sent} sent, {_Sink.count} received, "
        f"batches of 200 on one connection each)"
    )


def bench_booking_page() -> None:
    path = "/book/maya-lindqvist/intro?tz=America/New_York"
    with demo_served(path) as base:
        wrk(base + path, seconds=2)
        page = wrk(base + path)
        api = wrk(base + "/api/availability/slots?coach=maya-lindqvist&type=intro&days=7")
    print(
        f"GET {path}: {page['rps']:6.0f} req/s  p50 {page['p50']:.1f} ms  "
        f"p99 {page['p99']:.1f} ms  (non-2xx {page['non_2xx']})"
    )
    print(
        f"GET /api/availability/slots (7 days): {api['rps']:6.0f} req/s  "
        f"p50 {api['p50']:.1f} ms  p99 {api['p99']:.1f} ms"
    )


if __name__ == "__main__":
    bench_outbox()
    bench_booking_page()
