"""Helpers the tests and benchmarks share: free ports, waiting for a server, running the CLI."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    """Return once ``url`` answers; fail if ``process`` exits or ``timeout`` passes first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if process is not None and process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"server exited before answering {url}: {output}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout}s") from None
            time.sleep(0.2)


def run_cli(*args: str, code: int = 0):
    """Invoke ``coachctl`` through typer's CliRunner and check its exit code."""
    from typer.testing import CliRunner

    from coachctl.cli.main import app
    from coachctl.store.db import db

    result = CliRunner().invoke(app, list(args))
    db.close()
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def serve_command(port: int, workers: int, *extra: str) -> list[str]:
    """The argv that runs ``coachctl serve`` on ``port`` with this interpreter."""
    return [
        sys.executable,
        "-m",
        "coachctl.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        *extra,
    ]


def open_every_day(coach, hours: str = "09:00-17:00"):
    """Give ``coach`` the same window every day and no minimum notice; return the session type."""
    from coachctl.engine.scheduling import schedule
    from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type

    start, end = hours.split("-")
    for day in range(7):
        schedule.add_window(coach, day, start, end)
    return edit_booking_type(get_booking_type(coach), notice=0)


def days_ahead_at(days: int, hour: int) -> datetime:
    """``hour``:00 UTC, ``days`` days from today."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
