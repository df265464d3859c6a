"""Course pages: the landing page with its syllabus and gate, sign-in links, and the lessons an
enrolled learner may read."""

from __future__ import annotations

import bottle

from coachctl.engine.errors import DomainError, Unauthorized
from coachctl.engine.learning import courses, enrolments, learners, signin
from coachctl.engine.learning.videos import video_for
from coachctl.engine.markup import render_markdown
from coachctl.server.csrf import check_csrf, csrf_token
from coachctl.server.web import Web, csp_allowing
from coachctl.store.models import Course, utcnow


def register(app: bottle.Bottle, web: Web) -> None:
    settings = web.settings

    def learner() -> str | None:
        return signin.session_email(settings, bottle.request.get_cookie(signin.COOKIE))

    def private() -> None:
        bottle.response.set_header("Cache-Control", "private, no-store")

    def landing(course: Course, error: str | None = None, status: int = 200) -> str:
        room = enrolments.classroom(course, learner())
        enrolled = room.enrolment is not None and room.enrolment.status == enrolments.ACTIVE
        private()
        return web.render(
            "course.html",
            status,
            course=course,
            coach=course.coach,
            room=room,
            enrolled=enrolled,
            rows=room.syllabus(utcnow()),
            price=courses.price_display(course),
            csrf=csrf_token(),
            error=error,
            sent=bottle.request.query.get("sent") == "1",
            signin=bottle.request.query.get("signin") == "1",
        )

    @app.get("/c/<slug>")
    def course_page(slug: str) -> str:
        course = courses.get_course(None, slug, public=True)
        web.count_view(course.coach_id)
        return landing(course)

    @app.post("/c/<slug>/<action:re:enrol|link>")
    def ask_for_link(slug: str, action: str):
        check_csrf()
        course = courses.get_course(None, slug, public=True)
        email = bottle.request.forms.getunicode("email") or ""
        web.limit("course_link", email)
        try:
            if action == "enrol":
                learners.request_enrolment(course, email, settings)
            else:
                learners.request_link(course, email, settings)
        except DomainError as error:
            return landing(course, error.message, error.status)
        return bottle.redirect(f"/c/{course.slug}?sent=1", 303)

    @app.get("/c/<slug>/in/<signed>")
    def sign_in_page(slug: str, signed: str) -> str:
        """The emailed link asks for one click, so that a mail scanner that opens links does not
        spend it before the learner does."""
        course = courses.get_course(None, slug, public=True)
        try:
            signin.check_link(course, signed, settings, utcnow())
        except DomainError as error:
            return landing(course, error.message, error.status)
        return web.render(
            "course_signin.html", course=course, coach=course.coach, csrf=csrf_token()
        )

    @app.post("/c/<slug>/in/<signed>")
    def sign_in(slug: str, signed: str):
        check_csrf()
        course = courses.get_course(None, slug, public=True)
        try:
            enrolment = learners.sign_in(course, signed, settings)
        except DomainError as error:
            return landing(course, error.message, error.status)
        bottle.response.set_cookie(
            signin.COOKIE,
            signin.session_value(settings, enrolment.email),
            path="/c/",
            httponly=True,
            samesite="lax",
            secure=bottle.request.urlparts.scheme == "https",
            max_age=int(signin.SESSION_LIFETIME.total_seconds()),
        )
        return bottle.redirect(f"/c/{slug}", 303)

    @app.post("/c/<slug>/signout")
    def sign_out(slug: str):
        check_csrf()
        bottle.response.delete_cookie(signin.COOKIE, path="/c/")
        return bottle.redirect(f"/c/{slug}", 303)

    def open_or_redirect(slug: str, lesson_slug: str):
        try:
            return enrolments.open_lesson(slug, lesson_slug, learner(), utcnow())
        except Unauthorized:
            headers = {"Location": f"/c/{slug}?signin=1", "Cache-Control": "private, no-store"}
            raise bottle.HTTPResponse(status=303, headers=headers) from None

    @app.get("/c/<slug>/learn/<lesson_slug>")
    def lesson_page(slug: str, lesson_slug: str) -> str:
        room, lesson = open_or_redirect(slug, lesson_slug)
        enrolments.touch(room.enrolment, utcnow())
        private()
        video = video_for(lesson.video_url) if lesson.video_url else None
        if video is not None:
            directive = "frame-src" if video.kind == "iframe" else "media-src"
            policy = csp_allowing(directive, video.origin)
            bottle.response.set_header("Content-Security-Policy", policy)
        index = room.lessons.index(lesson)
        rows = room.syllabus(utcnow())
        return web.render(
            "lesson.html",
            course=room.course,
            coach=room.course.coach,
            room=room,
            lesson=lesson,
            body_html=render_markdown(lesson.body),
            video=video,
            previous=rows[index - 1] if index > 0 else None,
            next=rows[index + 1] if index + 1 < len(rows) else None,
            done=lesson.id in room.done,
            csrf=csrf_token(),
        )

    @app.post("/c/<slug>/learn/<lesson_slug>/complete")
    def complete(slug: str, lesson_slug: str):
        check_csrf()
        room, lesson = open_or_redirect(slug, lesson_slug)
        learners.complete_lesson(room.enrolment, lesson, settings)
        index = room.lessons.index(lesson)
        following = room.lessons[index + 1] if index + 1 < len(room.lessons) else None
        if following is not None and room.is_open(following, utcnow()):
            return bottle.redirect(f"/c/{slug}/learn/{following.slug}", 303)
        return bottle.redirect(f"/c/{slug}", 303)
