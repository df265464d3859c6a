"""Courses and reports through the pilot: publish and unpublish (checked in the database), and
the funnel, daily views and revenue for 7, 30 or a typed range of days."""

from datetime import UTC, datetime, timedelta

from textual.widgets import DataTable, Sparkline

from coachctl.engine.learning.courses import get_course, set_published
from coachctl.engine.learning.importer import import_course
from coachctl.engine.learning.learners import grant
from coachctl.store.db import db
from coachctl.store.models import AnalyticsEvent, Course
from coachctl.tui.app import make_app
from tests.courses.conftest import write_course
from tests.tui.conftest import reopen, settle

NOW = datetime(2030, 3, 4, 8, tzinfo=UTC)


async def test_courses_show_learners_and_unpublishing_asks_first(coach, settings, tmp_path):
    import_course(coach, write_course(tmp_path / "calm-lead"))
    course = set_published(get_course(coach, "calm-lead"), True)
    grant(course, "ann@example.com", settings)
    db.close()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        table = app.screen.query_one("#courses-table", DataTable)
        assert tuple(table.get_row_at(0)) == (
            "calm-lead",
            "Calm leadership",
            "free",
            1,
            "0%",
            "published",
        )
        await pilot.press("p")
        await settle(pilot)
        assert "Unpublish Calm leadership? Its 1 learners" in str(
            app.screen.query_one("#question").render()
        )
        await pilot.press("enter")  # "No" has the focus
        await settle(pilot)
        reopen()
        assert Course.get().published
        db.close()
        await pilot.press("p", "y")
        await settle(pilot)
        assert table.get_row_at(0)[5] == "draft"
        reopen()
        assert not Course.get().published
        db.close()
        await pilot.press("p")  # publishing needs no question
        await settle(pilot)
    reopen()
    assert Course.get().published


def _views(coach, days_ago: list[int]) -> None:
    for ago in days_ago:
        AnalyticsEvent.create(
            coach=coach, type="page_view", path="/jane", occurred_at=NOW - timedelta(days=ago)
        )


async def test_reports_draw_the_funnel_and_change_their_range(coach, settings):
    _views(coach, [0, 0, 1, 10, 40])
    db.close()
    app = make_app(settings, clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        funnel = str(app.screen.query_one("#funnel").render())
        assert "Page views" in funnel and "     4 " in funnel  # 30 days: not the one 40 days ago
        views = app.screen.query_one("#views", Sparkline)
        assert len(views.data) == 30 and views.data[-1] == 2
        await pilot.press("w")
        await settle(pilot)
        assert len(views.data) == 7 and sum(views.data) == 3
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"2030-02-30")
        assert "not a real YYYY-MM-DD date" in str(app.screen.query_one("#problem-start").render())
        await pilot.press(*(["backspace"] * 10), *"2030-01-20", "tab", *"2030-03-04", "enter")
        await settle(pilot)
        assert len(views.data) == 44 and sum(views.data) == 5
        assert "2030-01-20 to 2030-03-04" in str(app.screen.query_one("#report-title").render())
