"""Analytics in a real server: a clean stop (SIGTERM) writes the buffered page views."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request

from coachctl.store.db import db, open_database
from coachctl.store.models import AnalyticsEvent
from tests.analytics.conftest import BROWSER
from tests.support import free_port, serve_command, wait_for_http


def counts(database_url: str) -> dict[str, int]:
    open_database(database_url)
    try:
        return {
            kind: AnalyticsEvent.select().where(AnalyticsEvent.type == kind).count()
            for kind in ("page_view", "cta_click")
        }
    finally:
        db.close()


def test_sigterm_writes_the_buffered_page_views(coach, database_url, tmp_path):
    db.close()
    port = free_port()
    env = {**os.environ, "COACHCTL_ANALYTICS_FLUSH_SECONDS": "3600"}
    process = subprocess.Popen(
        serve_command(port, 1), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/api/coaches/jane", process)
    for _ in range(3):
        request = urllib.request.Request(base + "/jane", headers={"User-Agent": BROWSER})
        urllib.request.urlopen(request, timeout=10).read()
    assert counts(database_url)["page_view"] == 0, "still buffered"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    assert counts(database_url)["page_view"] == 3
