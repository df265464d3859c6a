"""Enrolments and their one transition table, what a learner may open, and their progress.

An enrolment is PENDING until its email is confirmed (free and email courses), ACTIVE while the
learner has access, and REVOKED after a refund or a revoke; a new grant or purchase makes it
ACTIVE again with its progress kept. Access is checked on every request, so revoking ends an
open session at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from peewee import fn

from coachctl.engine import formats, parse, tracking
from coachctl.engine.errors import Forbidden, NotFound, Unauthorized
from coachctl.engine.learning.courses import get_course, lessons_of, opens_at
from coachctl.store.models import Course, Enrolment, Lesson, LessonProgress, Order

PENDING, ACTIVE, REVOKED = "PENDING", "ACTIVE", "REVOKED"
NEXT = {PENDING: {ACTIVE, REVOKED}, ACTIVE: {REVOKED}, REVOKED: {ACTIVE}}
SOURCES = ("free", "email", "order", "grant")
ACTIVITY_GRAIN = timedelta(minutes=5)


def move_enrolment(enrolment: Enrolment, status: str, now: datetime, **fields: Any) -> bool:
    """Move ``enrolment`` to ``status`` if the table allows it, saving ``fields`` with it."""
    if status not in NEXT[enrolment.status]:
        return False
    enrolment.status = status
    if status == ACTIVE:
        enrolment.granted_at = enrolment.granted_at or now
        enrolment.revoked_at = None
    elif status == REVOKED:
        enrolment.revoked_at = now
    for key, value in fields.items():
        setattr(enrolment, key, value)
    enrolment.save()
    return True


def find_enrolment(course: Course, email: str) -> Enrolment | None:
    """The enrolment of ``email`` in ``course``, if there is one."""
    return Enrolment.get_or_none(
        (Enrolment.course == course) & (Enrolment.email == email.strip().lower())
    )


def enrolment_for(course: Course, email: str, source: str) -> Enrolment:
    """The enrolment of ``email`` in ``course``, made PENDING from ``source`` if new."""
    address = parse.email(email).lower()
    found = find_enrolment(course, address)
    if found is not None:
        return found
    return Enrolment.create(course=course, email=address, source=source, status=PENDING)


def activate(
    enrolment: Enrolment, now: datetime, source: str | None = None, order: Order | None = None
) -> bool:
    """Give the learner access (again), counted as an ``enrolment`` in the caller's transaction;
    ``source`` and ``order`` say what gave it."""
    fields: dict[str, Any] = {}
    if source:
        fields["source"] = source
    if order is not None:
        fields["order"] = order
    if enrolment.status == ACTIVE:
        for key, value in fields.items():
            setattr(enrolment, key, value)
        enrolment.save()
        return False
    moved = move_enrolment(enrolment, ACTIVE, now, **fields)
    if moved:
        tracking.record(enrolment.course.coach_id, "enrolment", order=order, at=now)
    return moved


@dataclass
class Classroom:
    """What a signed-in learner sees of a course: its lessons, what is open, what is done."""

    course: Course
    lessons: list[Lesson]
    enrolment: Enrolment | None = None
    done: set[int] = field(default_factory=set)

    def opens(self, lesson: Lesson) -> datetime | None:
        """When ``lesson`` opens for this learner (None without access)."""
        if self.enrolment is None or self.enrolment.status != ACTIVE:
            return None
        return opens_at(lesson, self.enrolment.granted_at)

    def is_open(self, lesson: Lesson, now: datetime) -> bool:
        """Whether the learner may read ``lesson`` now."""
        when = self.opens(lesson)
        return when is not None and when <= now

    def syllabus(self, now: datetime) -> list[dict[str, Any]]:
        """Each lesson with whether it is open and done, and the day it opens when later."""
        zone = parse.zone(self.course.coach.timezone)
        rows = []
        for lesson in self.lessons:
            opens = self.opens(lesson)
            later = opens is not None and opens > now
            rows.append(
                {
                    "lesson": lesson,
                    "open": opens is not None and not later,
                    "done": lesson.id in self.done,
                    "opens_on": formats.day(opens.astimezone(zone).date()) if later else None,
                }
            )
        return rows

    @property
    def percent(self) -> int:
        """How much of the course the learner has completed, 0–100."""
        if not self.lessons:
            return 0
        return round(100 * len(self.done) / len(self.lessons))


def classroom(course: Course, email: str | None) -> Classroom:
    """The course as ``email`` (a signed-in learner, or None for a visitor) sees it."""
    room = Classroom(course, lessons_of(course))
    if email:
        room.enrolment = find_enrolment(course, email)
    if room.enrolment is not None and room.enrolment.status == ACTIVE:
        ids = [lesson.id for lesson in room.lessons]
        room.done = {
            row.lesson_id
            for row in LessonProgress.select(LessonProgress.lesson).where(
                (LessonProgress.enrolment == room.enrolment) & LessonProgress.lesson.in_(ids)
            )
        }
    return room


def open_lesson(
    course_slug: str, lesson_slug: str, email: str | None, now: datetime
) -> tuple[Classroom, Lesson]:
    """The published lesson ``email`` may read now; a visitor without access gets Unauthorized,
    a learner whose access ended or whose lesson is not yet open gets Forbidden."""
    room = classroom(get_course(None, course_slug, public=True), email)
    lesson = next((item for item in room.lessons if item.slug == lesson_slug), None)
    if lesson is None:
        raise NotFound("this lesson does not exist")
    enrolment = room.enrolment
    if enrolment is None or enrolment.status == PENDING:
        raise Unauthorized("sign in with the link we emailed you to read this lesson")
    if enrolment.status != ACTIVE:
        raise Forbidden("your access to this course has ended", code="revoked")
    later = room.syllabus(now)[room.lessons.index(lesson)]["opens_on"]
    if later:
        raise Forbidden(f"this lesson opens on {later}", code="not_yet_open")
    return room, lesson


def touch(enrolment: Enrolment, now: datetime) -> None:
    """Record the learner's activity, at most once every few minutes."""
    if enrolment.active_at is None or now - enrolment.active_at > ACTIVITY_GRAIN:
        Enrolment.update(active_at=now).where(Enrolment.id == enrolment.id).execute()


def mark_complete(enrolment: Enrolment, lesson: Lesson, now: datetime) -> bool:
    """Record ``lesson`` as done; True when this completes the whole course for the first time."""
    LessonProgress.insert(
        enrolment=enrolment, lesson=lesson, completed_at=now
    ).on_conflict_ignore().execute()
    if enrolment.completed_at is not None:
        return False
    total = Lesson.select().where(Lesson.course == enrolment.course_id).count()
    done = (
        LessonProgress.select()
        .join(Lesson)
        .where((LessonProgress.enrolment == enrolment) & (Lesson.course == enrolment.course_id))
        .count()
    )
    if done < total:
        return False
    return bool(
        Enrolment.update(completed_at=now, active_at=now)
        .where((Enrolment.id == enrolment.id) & Enrolment.completed_at.is_null())
        .execute()
    )


def learners(course: Course) -> list[dict[str, Any]]:
    """Each learner of ``course`` with their status, progress and last activity."""
    total = Lesson.select().where(Lesson.course == course).count()
    progress = {
        row.enrolment_id: (row.done, row.last)
        for row in LessonProgress.select(
            LessonProgress.enrolment,
            fn.COUNT(LessonProgress.id).alias("done"),
            fn.MAX(LessonProgress.completed_at).alias("last"),
        )
        .join(Enrolment)
        .where(Enrolment.course == course)
        .group_by(LessonProgress.enrolment)
    }
    rows = []
    for enrolment in Enrolment.select().where(Enrolment.course == course).order_by(Enrolment.id):
        done, last_done = progress.get(enrolment.id, (0, None))
        moments = [m for m in (enrolment.active_at, _instant(last_done)) if m is not None]
        rows.append(
            {
                "email": enrolment.email,
                "status": enrolment.status.lower(),
                "source": enrolment.source,
                "granted_at": _stamp(enrolment.granted_at),
                "completed_at": _stamp(enrolment.completed_at),
                "lessons_done": done,
                "lessons": total,
                "percent": round(100 * done / total) if total else 0,
                "last_active_at": _stamp(max(moments)) if moments else None,
            }
        )
    return rows


def _instant(value: Any) -> datetime | None:
    """A MAX() over an instant column, which SQLite hands back as text."""
    return None if value is None else LessonProgress.completed_at.python_value(value)


def _stamp(value: datetime | None) -> str | None:
    return parse.format_instant(value) if value else None
