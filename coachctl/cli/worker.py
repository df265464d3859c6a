"""``coachctl worker``: send due emails, run housekeeping and poll the coaches' own calendars, on
a ``schedule`` loop or once."""

from __future__ import annotations

import logging
import threading

import typer

from coachctl.cli.common import open_store
from coachctl.config import Settings

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
)
log = logging.getLogger("coachctl.worker")


def run_once(settings: Settings):
    """One pass: housekeeping, calendars due a poll, then every due email; returns the mail
    report. A calendar sync that fails is logged and never stops the emails."""
    from coachctl.engine.housekeeping import run_housekeeping
    from coachctl.engine.messaging.mailer import send_due
    from coachctl.engine.scheduling.busy_calendars import sync_due
    from coachctl.store.db import connection

    with connection():
        run_housekeeping(settings)
        try:
            for result in sync_due(settings):
                if result.error:
                    log.warning("calendar %s: %s", result.calendar_id, result.error)
        except Exception:  # a calendar problem must not hold back the outbox
            log.exception("calendar sync failed")
        return send_due(settings)


def run_forever(settings: Settings, interval: int, stop: threading.Event) -> None:
    """Run passes every ``interval`` seconds until ``stop`` is set; a failing pass is logged."""
    import schedule

    scheduler = schedule.Scheduler()

    def guarded() -> None:
        try:
            report = run_once(settings)
            if report.sent or report.failed or report.uncertain:
                log.warning(
                    "outbox: %s sent, %s retried, %s failed, %s uncertain",
                    report.sent,
                    report.retried,
                    report.failed,
                    report.uncertain,
                )
        except Exception:  # keep the worker alive; the next pass tries again
            log.exception("worker pass failed")

    scheduler.every(interval).seconds.do(guarded)
    guarded()
    while not stop.wait(1):
        scheduler.run_pending()


def start_background_once(settings: Settings, interval: int = 15) -> bool:
    """Run the worker in a daemon thread of this process unless another process on this machine
    runs one (``serve --with-worker``); the claim is an OS lock, released when the process ends."""
    import fcntl

    from coachctl.config import home_dir

    home_dir().mkdir(parents=True, exist_ok=True)
    handle = open(home_dir() / "worker.lock", "w")  # noqa: SIM115 - held for the process's life
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    thread = threading.Thread(
        target=run_forever,
        args=(settings, interval, threading.Event()),
        daemon=True,
        name="coachctl-worker",
    )
    thread.lock_handle = handle  # type: ignore[attr-defined]
    thread.start()
    return True


@app.command()
def worker(
    once: bool = typer.Option(False, "--once", help="Send what is due now and exit.", metavar=""),
    interval: int = typer.Option(15, "--interval", help="Seconds between passes."),
) -> None:
    """Send due emails (reminders included), expire stale holds and checkouts, and poll the
    coaches' own calendars (every COACHCTL_CALENDAR_POLL_MINUTES, 10 by default)."""
    settings = open_store()
    if once:
        report = run_once(settings)
        if not settings.smtp_url:
            typer.echo(
                f"SMTP_URL is not set: {report.waiting} email(s) wait in the outbox "
                "(read them with: coachctl outbox list)."
            )
        else:
            typer.echo(
                f"Sent {report.sent}, retrying {report.retried}, failed {report.failed}"
                f"{f', uncertain {report.uncertain}' if report.uncertain else ''}."
            )
        for error in report.errors:
            typer.echo(error, err=True)
        return
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    typer.echo(f"Worker running every {interval}s (Ctrl+C to stop).")
    try:
        run_forever(settings, interval, threading.Event())
    except KeyboardInterrupt:
        typer.echo("Worker stopped.")
