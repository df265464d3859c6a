"""TUI fixtures: a coach with a week of sessions, and helpers that wait for the workers."""

from __future__ import annotations

import pytest

from coachctl.engine.scheduling import bookings
from coachctl.store.db import db
from tests.support import days_ahead_at, open_every_day


@pytest.fixture
def busy_coach(coach, settings):
    """Jane works every day; Ann is booked in 3 days and Bo in 4, both at 10:00 UTC."""
    kind = open_every_day(coach)
    ann = bookings.create_booking(
        coach, kind, days_ahead_at(3, 10), bookings.Customer("Ann", "ann@x.test"), settings=settings
    )
    bo = bookings.create_booking(
        coach, kind, days_ahead_at(4, 10), bookings.Customer("Bo", "bo@x.test"), settings=settings
    )
    db.close()
    return ann, bo


async def settle(pilot, rounds: int = 3) -> None:
    """Wait until every worker has finished and the messages they posted are handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_form(pilot, key: str) -> None:
    """Press ``key`` and wait until the form it opens has mounted and taken the focus, as a
    person would before typing."""
    from coachctl.tui.forms import Form

    await pilot.press(key)
    for _ in range(200):
        await pilot.pause()
        if isinstance(pilot.app.screen, Form) and pilot.app.screen.is_mounted:
            await pilot.pause()
            return
    raise AssertionError(f"{key!r} opened no form")


def reopen():
    """The test's own connection again, after the app's workers used theirs."""
    db.connect(reuse_if_open=True)
