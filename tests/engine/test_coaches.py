"""Coach profiles, slugs and public page facts."""

import pytest

from coachctl.engine import coaches, storefront
from coachctl.engine.errors import Conflict, Invalid, NotFound
from coachctl.engine.markup import render_markdown
from coachctl.store.models import BookingType, Coach


def test_new_coach_gets_a_default_60_minute_session_type(coach):
    session = BookingType.get(coach=coach, slug="session")
    assert (session.duration, session.interval, session.buffer_before, session.buffer_after) == (
        60,
        60,
        0,
        0,
    )
    assert not session.requires_payment


@pytest.mark.parametrize(
    "slug", ["", "Jane", "jane_doe", "-jane", "jane-", "a" * 41, "api", "book", "c", "static"]
)
def test_bad_or_reserved_slugs_are_refused_and_nothing_is_written(store, slug):
    with pytest.raises(Invalid):
        coaches.create_coach(slug, "Jane")
    assert Coach.select().count() == 0


def test_duplicate_slug_is_a_conflict(coach):
    with pytest.raises(Conflict):
        coaches.create_coach("jane", "Other Jane")


def test_unknown_timezone_is_refused(store):
    with pytest.raises(Invalid, match="timezone"):
        coaches.create_coach("bob", "Bob", "Mars/Olympus")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://x.test", "notaurl"]
)
def test_links_and_avatars_must_be_web_urls(coach, url):
    with pytest.raises(Invalid):
        coaches.edit_coach(coach, links=[{"label": "x", "url": url}])
    with pytest.raises(Invalid):
        coaches.edit_coach(coach, avatar_url=url)


def test_resolve_coach_needs_a_slug_only_when_several_exist(coach):
    assert coaches.resolve_coach(None) == coach
    coaches.create_coach("bob", "Bob")
    with pytest.raises(Invalid):
        coaches.resolve_coach(None)
    assert coaches.resolve_coach("bob").slug == "bob"
    with pytest.raises(NotFound):
        coaches.resolve_coach("nobody")


def test_markdown_is_rendered_and_sanitized():
    html = render_markdown(
        "**hi** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://ok.test)"
        '\n\n<img src=x onerror="alert(1)">'
    )
    assert "<strong>hi</strong>" in html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html and "&lt;script&gt;" in html
    assert 'href="https://ok.test"' in html


def test_book_cta_needs_booking_enabled_and_a_free_slot(coach):
    from coachctl.engine.scheduling import schedule

    assert storefront.public_page(coach)["ctas"]["book"] is False
    for day in range(7):
        schedule.add_window(coach, day, "09:00", "17:00")
    assert storefront.public_page(coach)["ctas"]["book"] is True
    coaches.edit_coach(coach, booking_enabled=False)
    assert storefront.public_page(coach)["ctas"]["book"] is False
