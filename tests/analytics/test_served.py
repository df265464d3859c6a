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


def test_a_course_landing_page_counts_its_view_and_the_pages_behind_a_cta_do_not(
    web, events, coach, tmp_path
):
    from coachctl.engine.learning.courses import get_course, set_published
    from coachctl.engine.learning.importer import import_course
    from tests.courses.conftest import write_course

    import_course(coach, write_course(tmp_path / "calm-lead"))
    set_published(get_course(coach, "calm-lead"), True)
    web.get("/c/calm-lead")
    web.get("/book/jane", status="*")
    events.flush()
    views = AnalyticsEvent.select().where(AnalyticsEvent.type == "page_view")
    assert [(v.coach_id, v.path) for v in views] == [(coach.id, "/c/calm-lead")]
