"""Learners sign in without passwords: a signed link by email that expires and works once, and
then a signed session cookie naming their address."""

from __future__ import annotations

from datetime import datetime, timedelta

from coachctl.config import Settings
from coachctl.engine.errors import DomainError, Forbidden, Gone, NotFound
from coachctl.engine.learning.enrolments import ACTIVE, PENDING, activate
from coachctl.engine.signing import new_token, sign_expiring, unsign_expiring
from coachctl.store.models import Course, Enrolment, MagicLink

LINK_LIFETIME = timedelta(hours=24)
SESSION_LIFETIME = timedelta(days=30)
COOKIE = "coachctl_learner"


def issue_link(enrolment: Enrolment, settings: Settings, now: datetime) -> str:
    """A fresh sign-in link for the learner of ``enrolment``, recorded so it works once."""
    link = MagicLink.create(enrolment=enrolment, nonce=new_token(), created_at=now)
    signed = sign_expiring(settings.secret, "course-link", link.nonce)
    return f"{settings.base_url}/c/{enrolment.course.slug}/in/{signed}"


def check_link(course: Course, signed: str, settings: Settings, now: datetime) -> MagicLink:
    """The unused, unexpired sign-in link ``signed`` for ``course``, without spending it; NotFound
    for a foreign or forged one, Gone for an expired or used one."""
    nonce = unsign_expiring(settings.secret, "course-link", signed, LINK_LIFETIME.total_seconds())
    link = (
        MagicLink.select(MagicLink, Enrolment)
        .join(Enrolment)
        .where((MagicLink.nonce == nonce) & (Enrolment.course == course))
        .first()
    )
    if link is None:
        raise NotFound("this sign-in link is not valid")
    if link.created_at + LINK_LIFETIME < now:
        raise Gone("this sign-in link has expired; ask for a new one below")
    if link.used_at is not None:
        raise Gone("this sign-in link was already used; ask for a new one below")
    return link


def use_link(course: Course, signed: str, settings: Settings, now: datetime) -> Enrolment:
    """Spend a sign-in link for ``course``: confirms a pending email, refuses a used, expired,
    foreign or revoked one. Call it in a write transaction."""
    link = check_link(course, signed, settings, now)
    spent = (
        MagicLink.update(used_at=now)
        .where((MagicLink.id == link.id) & MagicLink.used_at.is_null())
        .execute()
    )
    if not spent:
        raise Gone("this sign-in link was already used; ask for a new one below")
    enrolment = link.enrolment
    if enrolment.status == PENDING:
        activate(enrolment, now)  # the double opt-in: the address is confirmed
    if enrolment.status != ACTIVE:
        raise Forbidden("your access to this course has ended", code="revoked")
    return enrolment


def session_value(settings: Settings, email: str) -> str:
    """The session cookie's value for a signed-in learner."""
    return sign_expiring(settings.secret, "learner", email)


def session_email(settings: Settings, value: str | None) -> str | None:
    """The learner a session cookie names, or None when it is absent, forged or too old."""
    if not value:
        return None
    try:
        return unsign_expiring(settings.secret, "learner", value, SESSION_LIFETIME.total_seconds())
    except DomainError:
        return None
