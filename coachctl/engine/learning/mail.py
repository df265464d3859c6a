"""The emails a course sends: the welcome with its sign-in link, a fresh link, "lesson N is
open" when a dripped lesson's day comes (the lesson itself for an email course), completion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coachctl.config import Settings
from coachctl.engine.learning.courses import EMAIL, lessons_of, opens_at
from coachctl.engine.learning.enrolments import ACTIVE
from coachctl.engine.learning.signin import issue_link
from coachctl.engine.markup import render_markdown
from coachctl.engine.messaging import notify
from coachctl.store.models import Coach, Course, Enrolment, Lesson, Outbox

BATCH = 500


def _send(name: str, enrolment: Enrolment, key: str, context: dict[str, Any], **extra) -> bool:
    course = enrolment.course
    coach = Coach.get_by_id(course.coach_id)
    return notify.queue_template(
        name,
        {"course": course, "coach": coach, "enrolment": enrolment, **context},
        to=enrolment.email,
        dedupe_key=key,
        coach=coach,
        **extra,
    )


def _course_url(settings: Settings, course: Course) -> str:
    return f"{settings.base_url}/c/{course.slug}"


def send_welcome(enrolment: Enrolment, settings: Settings, now: datetime, *, confirm: bool) -> None:
    """Queue the welcome email with a sign-in link; ``confirm`` words it as the email check of a
    free course's double opt-in."""
    link = issue_link(enrolment, settings, now)
    context = {
        "link": link,
        "confirm": confirm,
        "course_url": _course_url(settings, enrolment.course),
    }
    _send("course_welcome", enrolment, f"course-welcome:{link.rsplit('/', 1)[1][:150]}", context)


def send_link(enrolment: Enrolment, settings: Settings, now: datetime) -> None:
    """Queue an email with a fresh sign-in link."""
    link = issue_link(enrolment, settings, now)
    _send("course_link", enrolment, f"course-link:{link.rsplit('/', 1)[1][:150]}", {"link": link})


def send_completion(enrolment: Enrolment, settings: Settings) -> None:
    """Queue the congratulations once the learner has completed every lesson."""
    _send(
        "course_completed",
        enrolment,
        f"course-completed:{enrolment.id}",
        {"course_url": _course_url(settings, enrolment.course)},
    )


def emails_lesson(course: Course, lesson: Lesson) -> bool:
    """Whether a lesson gets its own email: every lesson of an email course, else dripped ones."""
    return course.access == EMAIL or lesson.drip_days > 0


def queue_open_lessons(settings: Settings, now: datetime) -> int:
    """Queue "lesson N is open" for every active learner whose lesson's day has come; each
    enrolment and lesson has one dedupe key, so none is ever sent twice. Returns how many."""
    queued = 0
    courses = Course.select().where(Course.published == True)  # noqa: E712
    for course in courses:
        lessons = [lesson for lesson in lessons_of(course) if emails_lesson(course, lesson)]
        if not lessons:
            continue
        enrolments = Enrolment.select().where(
            (Enrolment.course == course) & (Enrolment.status == ACTIVE)
        )
        due = [
            (enrolment, lesson, f"course-lesson:{enrolment.id}:{lesson.id}")
            for enrolment in enrolments
            for lesson in lessons
            if opens_at(lesson, enrolment.granted_at) <= now
        ]
        for start in range(0, len(due), BATCH):
            chunk = due[start : start + BATCH]
            keys = [key for _, _, key in chunk]
            sent = {
                row.dedupe_key
                for row in Outbox.select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(keys))
            }
            for enrolment, lesson, key in chunk:
                if key not in sent:
                    enrolment.course = course
                    queued += _send_lesson(enrolment, lesson, key, settings)
    return queued


def _send_lesson(enrolment: Enrolment, lesson: Lesson, key: str, settings: Settings) -> bool:
    course = enrolment.course
    context = {
        "lesson": lesson,
        "lesson_url": f"{_course_url(settings, course)}/learn/{lesson.slug}",
        "course_url": _course_url(settings, course),
        "body_html": render_markdown(lesson.body) if course.access == EMAIL else "",
        "body_text": lesson.body if course.access == EMAIL else "",
    }
    return _send("course_lesson", enrolment, key, context)
