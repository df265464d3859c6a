"""A locked lesson is never served: no session, another learner's session, an expired or reused
link, a revoked enrolment, a refunded order, a future drip date, an unpublished course."""

from __future__ import annotations

from datetime import timedelta

from webtest import TestApp

from coachctl.engine.learning.courses import set_published
from coachctl.engine.learning.learners import grant, revoke
from coachctl.server.app import wsgi
from coachctl.store.models import Enrolment, MagicLink, Outbox
from tests.courses.conftest import granted_session, last_link, open_link

LESSON = "/c/calm-lead/learn/welcome"
BODY = "Hello <strong>there</strong>"


def _refused(response) -> None:
    assert BODY not in response.text
    assert "SECRET PLAN BODY" not in response.text


def test_the_landing_page_shows_the_syllabus_and_the_email_form(client, course):
    page = client.get("/c/calm-lead")
    assert "Calm leadership" in page.text
    assert "Welcome" in page.text and "Listening" in page.text and "Your plan" in page.text
    assert "Day 3" in page.text
    assert 'action="/c/calm-lead/enrol"' in page.text
    _refused(page)


def test_a_lesson_without_a_session_redirects_to_the_landing_page(client, course):
    response = client.get(LESSON, status=303)
    assert response.headers["Location"].endswith("/c/calm-lead?signin=1")
    _refused(response)
    assert "no-store" in response.headers["Cache-Control"]


def test_an_enrolled_learner_reads_an_open_lesson(client, course, settings):
    granted_session(client, course, settings, "ana@example.com")
    page = client.get(LESSON)
    assert BODY in page.text
    assert "private, no-store" in page.headers["Cache-Control"]
    cookie = next(c for c in client.cookiejar if c.name == "coachctl_learner")
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.path == "/c/"
    raw = page.request.headers.get("Cookie", "")
    assert "coachctl_learner" in raw


def test_the_session_cookie_is_httponly_and_samesite_lax(client, course, settings):
    grant(course, "ana@example.com", settings)
    response = open_link(client, last_link("ana@example.com"))
    header = next(h for n, h in response.headerlist if h.startswith("coachctl_learner="))
    assert "HttpOnly" in header and "SameSite=lax" in header.replace("Lax", "lax")


def test_a_future_drip_date_is_refused(client, course, settings):
    granted_session(client, course, settings, "ana@example.com")
    response = client.get("/c/calm-lead/learn/plan", status=403)
    assert "opens on" in response.text
    _refused(response)


def test_a_dripped_lesson_opens_when_its_day_comes(client, course, settings):
    granted_session(client, course, settings, "ana@example.com")
    enrolment = Enrolment.get(Enrolment.email == "ana@example.com")
    Enrolment.update(granted_at=enrolment.granted_at - timedelta(days=3)).execute()
    assert "SECRET PLAN BODY" in client.get("/c/calm-lead/learn/plan").text


def _second_course(coach, tmp_path, slug: str):
    from coachctl.engine.learning.courses import get_course
    from coachctl.engine.learning.importer import import_course
    from tests.courses.conftest import write_course

    folder = write_course(tmp_path / slug)
    (folder / "course.toml").write_text(f'slug = "{slug}"\ntitle = "Other"\naccess = "free"\n')
    import_course(coach, folder)
    return set_published(get_course(coach, slug), True)


def test_another_learners_session_does_not_open_the_course(
    client, course, settings, coach, tmp_path
):
    other = _second_course(coach, tmp_path, "other")
    granted_session(client, other, settings, "bob@example.com")  # bob is in "other" only
    assert BODY in client.get("/c/other/learn/welcome").text
    _refused(client.get(LESSON, status=303))


def test_a_reused_link_is_refused(client, course, settings):
    link = granted_session(client, course, settings, "ana@example.com")
    fresh = TestApp(wsgi(settings))
    response = fresh.get(link, status=410)
    assert "already used" in response.text
    _refused(fresh.get(LESSON, status=303))


def test_an_expired_link_is_refused(client, course, settings):
    grant(course, "ana@example.com", settings)
    link = MagicLink.get()
    MagicLink.update(created_at=link.created_at - timedelta(hours=25)).execute()
    response = client.get(last_link("ana@example.com"), status=410)
    assert "expired" in response.text
    _refused(client.get(LESSON, status=303))


def test_a_tampered_link_is_refused(client, course, settings):
    grant(course, "ana@example.com", settings)
    link = last_link("ana@example.com")
    client.get(link[:-3] + "AAA", status=404)
    _refused(client.get(LESSON, status=303))


def test_a_link_for_another_course_is_refused(client, course, settings, coach, tmp_path):
    grant(_second_course(coach, tmp_path, "second"), "ana@example.com", settings)
    link = last_link("ana@example.com").replace("/c/second/", "/c/calm-lead/")
    client.get(link, status=404)
    _refused(client.get(LESSON, status=303))


def test_revoking_ends_an_open_session_at_once(client, course, settings):
    granted_session(client, course, settings, "ana@example.com")
    assert BODY in client.get(LESSON).text
    revoke(course, "ana@example.com")
    response = client.get(LESSON, status=403)
    assert "ended" in response.text
    _refused(response)


def test_an_unpublished_course_serves_nothing(client, course, settings):
    granted_session(client, course, settings, "ana@example.com")
    set_published(course, False)
    _refused(client.get(LESSON, status=404))
    client.get("/c/calm-lead", status=404)


def test_a_forged_cookie_is_ignored(client, course, settings):
    client.set_cookie("coachctl_learner", "ana@example.com")
    _refused(client.get(LESSON, status=303))


def test_a_free_course_enrols_on_a_confirmed_email(client, course):
    page = client.get("/c/calm-lead")
    form = page.forms[0]
    form["email"] = "new@example.com"
    client_page = form.submit().follow()
    assert "Check your inbox" in client_page.text
    assert Enrolment.get(Enrolment.email == "new@example.com").status == "PENDING"
    _refused(client.get(LESSON, status=303))
    open_link(client, last_link("new@example.com"))
    assert Enrolment.get(Enrolment.email == "new@example.com").status == "ACTIVE"
    assert BODY in client.get(LESSON).text


def test_email_me_a_new_link_never_tells_whether_an_address_is_enrolled(client, course, settings):
    grant(course, "ana@example.com", settings)
    before = Outbox.select().count()
    answers = []
    for email in ("ana@example.com", "nobody@example.com"):
        form = client.get("/c/calm-lead").forms[1]
        form["email"] = email
        answers.append(form.submit(status=303).follow().text.replace(email, "EMAIL"))
    assert "Check your inbox" in answers[0]
    assert answers[0] == answers[1]
    assert Outbox.select().count() == before + 1  # only the enrolled address got a link


def test_marking_complete_moves_on_and_shows_progress(client, course, settings):
    granted_session(client, course, settings, "ana@example.com")
    page = client.get(LESSON)
    response = page.forms[0].submit(status=303)
    assert response.headers["Location"].endswith("/c/calm-lead/learn/listen")
    landing = client.get("/c/calm-lead")
    assert "1 of 3 lessons completed" in landing.text
    assert 'value="33"' in landing.text


def test_completing_without_a_session_is_refused(client, course, settings):
    granted_session(client, course, settings, "ana@example.com")
    form = client.get(LESSON).forms[0]
    revoke(course, "ana@example.com")
    form.submit(status=403)
    assert Enrolment.get().progress.count() == 0


def test_a_video_lesson_allows_only_its_host_in_the_csp(client, coach, tmp_path, settings):
    from coachctl.engine.learning.courses import get_course
    from coachctl.engine.learning.importer import import_course
    from tests.courses.conftest import write_course

    folder = write_course(
        tmp_path / "v",
        **{
            "01-welcome.md": '+++\ntitle = "Welcome"\nvideo = "https://youtu.be/dQw4w9WgXcQ"\n'
            "+++\nHello **there**.\n"
        },
    )
    import_course(coach, folder)
    course = set_published(get_course(coach, "calm-lead"), True)
    granted_session(client, course, settings, "ana@example.com")
    page = client.get(LESSON)
    policy = page.headers["Content-Security-Policy"]
    assert policy.endswith("; frame-src https://www.youtube-nocookie.com")
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page.text
    plain = client.get("/c/calm-lead/learn/listen")
    assert "frame-src" not in plain.headers["Content-Security-Policy"]


def test_lesson_markdown_is_sanitised(client, coach, tmp_path, settings):
    from coachctl.engine.learning.courses import get_course
    from coachctl.engine.learning.importer import import_course
    from tests.courses.conftest import write_course

    hostile = '+++\ntitle = "Welcome"\n+++\n<script>alert(1)</script>\n[x](javascript:alert(1))\n'
    import_course(coach, write_course(tmp_path / "h", **{"01-welcome.md": hostile}))
    course = set_published(get_course(coach, "calm-lead"), True)
    granted_session(client, course, settings, "ana@example.com")
    page = client.get(LESSON)
    assert "<script>alert" not in page.text and 'href="javascript' not in page.text
    assert "&lt;script&gt;" in page.text


def test_opening_a_link_without_its_click_spends_nothing(client, course, settings):
    grant(course, "ana@example.com", settings)
    link = last_link("ana@example.com")
    scanner = TestApp(wsgi(settings))
    assert "Open the course" in scanner.get(link).text  # a mail scanner following the link
    _refused(scanner.get(LESSON, status=303))
    assert MagicLink.get().used_at is None
    open_link(client, link)
    assert BODY in client.get(LESSON).text
    scanner.post(link, {"csrf": "forged"}, status=403)
