"""Public events held in memory and written in batches, so a page view costs no write.

A background thread writes what has gathered every ``interval`` seconds, one transaction per
batch. ``close`` (at a clean exit, SIGTERM included) writes the rest. A crash loses at most the
page views, clicks and outbound clicks of one interval; trusted events never pass through here
(``engine.tracking`` writes them in their own transactions), so a crash never loses one.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from typing import Any

from coachctl.store.db import connection, db
from coachctl.store.models import AnalyticsEvent

log = logging.getLogger("coachctl.analytics")
MAX_HELD = 100_000  # beyond this (the database is away) the oldest rows are dropped
FIELDS = (
    "coach",
    "type",
    "path",
    "referrer",
    "source",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "country",
    "visitor",
    "product",
    "occurred_at",
)


def write_events(rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` in one transaction, as one prepared statement run for each row (building
    a peewee query costs more per row than the page view it records)."""
    fields = [AnalyticsEvent._meta.fields[name] for name in FIELDS]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f'INSERT INTO "{AnalyticsEvent._meta.table_name}" ({columns}) VALUES ({marks})'
    stamp = AnalyticsEvent.occurred_at.db_value
    params = [(*(row[name] for name in FIELDS[:-1]), stamp(row["occurred_at"])) for row in rows]
    with db.atomic():
        db.cursor().executemany(sql, params)


class EventBuffer:
    """Rows waiting for the next batch write; an ``interval`` of 0 writes each call at once."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._rows: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pid: int | None = None  # the process whose thread flushes (a fork starts another)
        self._closed = False

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Queue ``rows`` for the next write."""
        if not rows:
            return
        if self.interval <= 0:
            with connection():
                write_events(rows)
            return
        with self._lock:
            self._rows.extend(rows)
            if len(self._rows) > MAX_HELD:
                del self._rows[: len(self._rows) - MAX_HELD]
            if self._pid != os.getpid():
                self._start()

    def _start(self) -> None:
        self._pid, self._closed = os.getpid(), False
        self._wake = threading.Event()
        threading.Thread(target=self._run, name="analytics-flusher", daemon=True).start()
        atexit.register(self.close)

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self.interval)
            self.flush()

    def pending(self) -> int:
        """How many rows wait for the next write."""
        return len(self._rows)

    def flush(self) -> int:
        """Write what has gathered now; return how many rows were written."""
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return 0
        try:
            with connection():
                write_events(rows)
        except Exception:
            log.exception("could not write %d analytics events; keeping them for later", len(rows))
            with self._lock:
                self._rows[:0] = rows[: MAX_HELD - len(self._rows)]
            return 0
        return len(rows)

    def close(self) -> int:
        """Stop the flusher and write what is left (idempotent)."""
        self._closed = True
        self._wake.set()
        return self.flush()
