"""Course fixtures: a folder of lessons, the course imported and published, signed-in learners."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachctl.store.models import Outbox
from tests.commerce.conftest import stripe_double, stripe_server, stripe_settings  # noqa: F401

LINK = re.compile(r"http://coach\.test(/c/[a-z0-9-]+/in/\S+)")

COURSE_TOML = """slug = "calm-lead"
title = "Calm leadership"
summary = "Three lessons."
access = "{access}"
{price}
"""

LESSONS = {
    "01-welcome.md": '+++\ntitle = "Welcome"\n+++\nHello **there**.\n',
    "02-listen.md": "---\ntitle: Listening\n---\nListen for longer.\n",
    "03-plan.md": '+++\ntitle = "Your plan"\ndrip_days = 3\n+++\nSECRET PLAN BODY\n',
}


def write_course(folder: Path, access: str = "free", price: str = "", **lessons: str) -> Path:
    """Write a course folder: the default lessons, replaced or added to by ``lessons``."""
    folder.mkdir(parents=True, exist_ok=True)
    line = f'price = "{price}"' if price else ""
    (folder / "course.toml").write_text(COURSE_TOML.format(access=access, price=line))
    for name, text in {**LESSONS, **lessons}.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def course_dir(tmp_path) -> Path:
    return write_course(tmp_path / "calm-lead")


@pytest.fixture
def course(coach, course_dir):
    """The course imported and published for the coach ``jane``."""
    from coachctl.engine.learning.courses import get_course, set_published
    from coachctl.engine.learning.importer import import_course

    import_course(coach, course_dir)
    return set_published(get_course(coach, "calm-lead"), True)


def last_link(to: str) -> str:
    """The path of the newest sign-in link emailed to ``to``."""
    row = (
        Outbox.select()
        .where((Outbox.recipient == to) & Outbox.body_text.contains("/in/"))
        .order_by(Outbox.id.desc())
        .first()
    )
    assert row is not None, f"no sign-in email to {to}"
    return LINK.search(row.body_text).group(1)


def open_link(client, path: str):
    """Open an emailed sign-in link as a learner does: the page, then its one button."""
    return client.get(path).forms[0].submit(status=303)


def granted_session(client, course, settings, email: str):
    """Grant ``email`` the course and sign in through the emailed link; returns the link."""
    from coachctl.engine.learning.learners import grant

    grant(course, email, settings)
    link = last_link(email)
    open_link(client, link)
    return link
