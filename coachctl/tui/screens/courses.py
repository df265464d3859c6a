"""Courses: each with its learners and completion rate; published or unpublished in place."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Label

from coachctl.engine.console import CourseRow
from coachctl.store.models import Coach
from coachctl.tui.confirm import Confirm
from coachctl.tui.section import Job, Section, selected


class Courses(Section):
    """The coach's courses; `p` publishes or (after a confirmation) unpublishes the selected one."""

    NAME = "courses"
    KEY = "5"
    TITLE = "Courses"
    HELP = "Courses with learners and completion; publish or unpublish"
    BINDINGS: ClassVar[list[BindingType]] = [("p", "publish", "Publish/unpublish")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Courses", classes="pane-title", id="courses-title")
        yield DataTable(id="courses-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "Course", "Title", "Access", "Learners", "Completed", "Status"
        )
        self.rows: dict[str, CourseRow] = {}

    def read(self, coach: Coach, now: datetime) -> list[CourseRow]:
        from coachctl.engine.console import course_rows

        return course_rows(coach)

    def show(self, data: list[CourseRow]) -> None:
        self.rows = {str(row.id): row for row in data}
        learners = sum(row.learners for row in data)
        self.query_one("#courses-title", Label).update(
            f"Courses ({len(data)}, {learners} learners)"
            if data
            else "No courses yet: coachctl course import DIR"
        )
        table = self.query_one(DataTable)
        keep = selected(table)
        table.clear()
        for row in data:
            table.add_row(
                row.slug,
                row.title,
                row.access,
                row.learners,
                row.completion,
                "published" if row.published else "draft",
                key=str(row.id),
            )
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def action_publish(self) -> None:
        table = self.query_one(DataTable)
        key = selected(table)
        if key is None:
            self.notify("There is no course to publish.", severity="warning")
            return
        row = self.rows[key]
        job = _published(row.slug, not row.published)
        if not row.published:
            self.change(job)
            return

        def answered(yes: bool | None) -> None:
            table.focus()
            if yes:
                self.change(job)

        question = f"Unpublish {row.title}? Its {row.learners} learners cannot open it meanwhile."
        self.app.push_screen(Confirm(question), answered)


def _published(slug: str, published: bool) -> Job:
    def job(coach: Coach, now: datetime) -> str:
        from coachctl.engine.learning.courses import get_course, set_published

        course = set_published(get_course(coach, slug), published)
        return f"{course.title} is {'published' if published else 'unpublished'}."

    return job
