"""Courses and their lessons: find them, publish them, remove them, and show them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from peewee import JOIN

from coachctl.engine.commerce.catalog import price_of
from coachctl.engine.errors import NotFound
from coachctl.engine.parse import format_instant
from coachctl.store.db import db
from coachctl.store.models import Coach, Course, Lesson, Product, utcnow

FREE, EMAIL, PAID = "FREE", "EMAIL", "PAID"
ACCESS = (FREE, EMAIL, PAID)


def get_course(coach: Coach | None, slug: str, *, public: bool = False) -> Course:
    """A course by slug (of ``coach`` when given); with ``public`` it must be published."""
    query = Course.select(Course, Coach).join(Coach).where(Course.slug == str(slug).lower())
    if coach is not None:
        query = query.where(Course.coach == coach)
    if public:
        query = query.where(Course.published & Coach.active)
    course = query.first()
    if course is None:
        raise NotFound("this course does not exist" if public else f"no course {slug!r}")
    return course


def list_courses(coach: Coach, *, published_only: bool = False) -> list[Course]:
    """The coach's courses in the order they were made, each with its product."""
    query = (
        Course.select(Course, Product)
        .join(Product, JOIN.LEFT_OUTER, on=(Course.product == Product.id))
        .where(Course.coach == coach)
    )
    if published_only:
        query = query.where(Course.published == True)  # noqa: E712
    return list(query.order_by(Course.id))


def lessons_of(course: Course) -> list[Lesson]:
    """The course's lessons in order."""
    return list(Lesson.select().where(Lesson.course == course).order_by(Lesson.position))


def set_published(course: Course, published: bool) -> Course:
    """Publish or unpublish ``course``; the product that sells it goes on or off sale with it."""
    with db.atomic():
        course.published = published
        course.updated_at = utcnow()
        course.save()
        if course.product_id:
            Product.update(active=published).where(Product.id == course.product_id).execute()
    return course


def remove_course(course: Course) -> None:
    """Delete a course with its lessons and enrolments; its product is taken off sale."""
    with db.atomic():
        if course.product_id:
            Product.update(active=False).where(Product.id == course.product_id).execute()
        course.delete_instance()


def opens_at(lesson: Lesson, granted_at: datetime | None) -> datetime | None:
    """When a lesson opens for a learner granted access at ``granted_at`` (None: not yet)."""
    return granted_at + timedelta(days=lesson.drip_days) if granted_at else None


def price_display(course: Course) -> str | None:
    """What a paid course costs, as shown to a visitor; None for a free one."""
    if course.access != PAID or not course.product_id:
        return None
    return price_of(course.product).display()


def course_to_dict(course: Course, lessons: list[Lesson] | None = None) -> dict[str, Any]:
    """The JSON shape of a course, with its lessons when given."""
    data: dict[str, Any] = {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "cover_url": course.cover_url or None,
        "access": course.access.lower(),
        "product": course.product_id,
        "price": price_display(course),
        "published": course.published,
        "updated_at": format_instant(course.updated_at),
    }
    if lessons is not None:
        data["lessons"] = [lesson_to_dict(lesson) for lesson in lessons]
    return data


def lesson_to_dict(lesson: Lesson) -> dict[str, Any]:
    """The JSON shape of a lesson, without its body."""
    return {
        "position": lesson.position,
        "slug": lesson.slug,
        "title": lesson.title,
        "drip_days": lesson.drip_days,
        "video_url": lesson.video_url or None,
    }


def course_cards(coach: Coach) -> list[dict[str, Any]]:
    """The published courses a coach's public page shows as cards."""
    return [
        {
            "slug": course.slug,
            "title": course.title,
            "summary": course.summary,
            "cover_url": course.cover_url or None,
            "price": price_display(course) or "Free",
            "product": course.product_id,
            "url": f"/c/{course.slug}",
        }
        for course in list_courses(coach, published_only=True)
    ]
