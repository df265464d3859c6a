"""Completed sessions and no-shows show in the coach's report and in a client's history."""

from __future__ import annotations

import json
from datetime import timedelta

from coachctl.engine.insights.report import summary
from coachctl.engine.scheduling import bookings, schedule
from coachctl.engine.scheduling.booking_types import get_booking_type
from coachctl.store.db import db
from coachctl.store.models import Booking, utcnow
from tests.support import run_cli


def test_outcomes_reach_the_report_and_the_clients_history(coach, settings):
    for day in range(7):
        schedule.add_window(coach, day, "00:00", "24:00")
    kind = get_booking_type(coach)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    made = []
    for days, email in ((3, "ann@example.com"), (2, "ann@example.com"), (1, "bo@example.com")):
        start = now - timedelta(days=days)
        made.append(
            bookings.create_booking(
                coach,
                kind,
                start,
                bookings.Customer("Client", email),
                settings=settings,
                now=start - timedelta(days=1),
            )
        )
    bookings.record_outcome(made[0], "complete", settings=settings)
    bookings.record_outcome(made[1], "no_show", settings=settings)
    figures = summary(coach)
    assert (figures["completed"], figures["no_shows"]) == (1, 1)
    db.close()
    report = run_cli("report", "--json").stdout
    assert json.loads(report)["no_shows"] == 1
    assert "Sessions held 1   No-shows 1" in run_cli("report").stdout
    history = run_cli("bookings", "list", "--client", "ANN@example.com", "--json").stdout
    assert [b["status"] for b in json.loads(history)] == ["COMPLETED", "NO_SHOW"]
    table = run_cli("bookings", "list", "--client", "ann@example.com").stdout
    assert "completed" in table and "no-show" in table and "bo@example.com" not in table
    assert Booking.select().count() == 3
