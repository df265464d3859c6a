"""What learners and coaches do with a course: enrol by email, buy, get a link, read, complete,
and be granted or lose access. Each use case is one transaction."""

from __future__ import annotations

from datetime import datetime

from coachctl.config import Settings
from coachctl.engine.errors import Invalid, NotFound
from coachctl.engine.learning import mail
from coachctl.engine.learning.courses import PAID
from coachctl.engine.learning.enrolments import (
    ACTIVE,
    PENDING,
    REVOKED,
    activate,
    enrolment_for,
    find_enrolment,
    mark_complete,
    move_enrolment,
    touch,
)
from coachctl.engine.learning.signin import use_link
from coachctl.store.db import write_transaction
from coachctl.store.models import Course, Enrolment, Lesson, Order, PackageItem, utcnow


def request_enrolment(course: Course, email: str, settings: Settings, now: datetime | None = None):
    """A visitor asks to join a free or email course: a new or unconfirmed address gets the
    welcome email whose link confirms it, an enrolled one a sign-in link, a revoked one nothing.
    The answer is the same in every case, so it never tells whether an address is enrolled."""
    now = now or utcnow()
    if course.access == PAID:
        raise Invalid("this course is sold; buy it to enrol")
    with write_transaction(lock_key=course.coach_id):
        enrolment = enrolment_for(course, email, course.access.lower())
        if enrolment.status == PENDING:
            mail.send_welcome(enrolment, settings, now, confirm=True)
        elif enrolment.status == ACTIVE:
            mail.send_link(enrolment, settings, now)


def request_link(course: Course, email: str, settings: Settings, now: datetime | None = None):
    """ "Email me a new link": sent only to an enrolled address, answered the same either way."""
    now = now or utcnow()
    with write_transaction(lock_key=course.coach_id):
        enrolment = find_enrolment(course, email)
        if enrolment is not None and enrolment.status == ACTIVE:
            mail.send_link(enrolment, settings, now)


def grant(course: Course, email: str, settings: Settings, now: datetime | None = None) -> Enrolment:
    """Give ``email`` access (comp), and send the welcome email with its sign-in link."""
    now = now or utcnow()
    with write_transaction(lock_key=course.coach_id):
        enrolment = enrolment_for(course, email, "grant")
        activate(enrolment, now, source="grant" if enrolment.status != ACTIVE else None)
        mail.send_welcome(enrolment, settings, now, confirm=False)
    return enrolment


def revoke(course: Course, email: str, now: datetime | None = None) -> Enrolment:
    """End the access of ``email`` at once, open sessions included; progress is kept."""
    now = now or utcnow()
    with write_transaction(lock_key=course.coach_id):
        enrolment = find_enrolment(course, email)
        if enrolment is None:
            raise NotFound(f"{email} is not enrolled in {course.slug}")
        move_enrolment(enrolment, REVOKED, now)
    return enrolment


def courses_sold_by(order: Order) -> list[Course]:
    """The courses an order's product sells, directly or as an item of its package."""
    if not order.product_id:
        return []
    items = PackageItem.select(PackageItem.item).where(PackageItem.package == order.product_id)
    return list(
        Course.select().where((Course.product == order.product_id) | Course.product.in_(items))
    )


def enrol_for_order(order: Order, settings: Settings, now: datetime) -> int:
    """A paid order grants the courses it sold, in the caller's transaction; returns how many."""
    granted = 0
    for course in courses_sold_by(order):
        enrolment = enrolment_for(course, order.customer_email, "order")
        activate(enrolment, now, source="order", order=order)
        mail.send_welcome(enrolment, settings, now, confirm=False)
        granted += 1
    return granted


def revoke_for_order(order: Order, now: datetime) -> int:
    """A refunded order takes back the access it gave, in the caller's transaction."""
    revoked = 0
    for enrolment in Enrolment.select().where(Enrolment.order == order):
        revoked += move_enrolment(enrolment, REVOKED, now)
    return revoked


def complete_lesson(
    enrolment: Enrolment, lesson: Lesson, settings: Settings, now: datetime | None = None
) -> bool:
    """Mark ``lesson`` done; the last one sends the completion email. True when completed."""
    now = now or utcnow()
    with write_transaction(lock_key=enrolment.course.coach_id):
        finished = mark_complete(enrolment, lesson, now)
        if finished:
            mail.send_completion(enrolment, settings)
        touch(enrolment, now)
    return finished


def sign_in(course: Course, signed: str, settings: Settings, now: datetime | None = None):
    """Spend a sign-in link for ``course``: the learner's enrolment, now confirmed."""
    with write_transaction(lock_key=course.coach_id):
        enrolment = use_link(course, signed, settings, now or utcnow())
        touch(enrolment, now or utcnow())
    return enrolment
