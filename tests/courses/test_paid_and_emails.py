"""Paid courses open when their order is fulfilled (sandbox or webhook) and close on a refund;
the worker sends each dripped lesson's email once, an email course carries the lesson itself,
and the last lesson completed sends the completion email."""

from __future__ import annotations

from datetime import timedelta

from coachctl.engine import sales
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.housekeeping import run_housekeeping
from coachctl.engine.learning.courses import get_course, lessons_of, set_published
from coachctl.engine.learning.importer import import_course
from coachctl.engine.learning.learners import complete_lesson, grant
from coachctl.store.models import Enrolment, Order, Outbox, utcnow
from tests.commerce.conftest import completed_event, post_webhook
from tests.courses.conftest import last_link, open_link, write_course

LESSON = "/c/calm-lead/learn/welcome"


def _paid_course(coach, tmp_path):
    import_course(coach, write_course(tmp_path / "paid", access="paid", price="49.00 EUR"))
    return set_published(get_course(coach, "calm-lead"), True)


def _buy_in_sandbox(client, course, email="ann@example.com"):
    landing = client.get("/c/calm-lead")
    assert "Buy for €49.00" in landing.text
    form = client.get(f"/checkout/{course.product_id}").forms[0]
    form["email"], form["name"] = email, "Ann"
    sandbox = form.submit().follow()
    sandbox.forms[0].submit("action", value="pay")
    return Order.get()


def test_a_paid_course_opens_when_the_order_is_fulfilled_and_closes_on_refund(
    client, coach, tmp_path, settings
):
    course = _paid_course(coach, tmp_path)
    client.get(LESSON, status=303)
    order = _buy_in_sandbox(client, course)
    assert order.status == "PAID"
    enrolment = Enrolment.get()
    assert (enrolment.source, enrolment.status, enrolment.order_id) == ("order", "ACTIVE", order.id)
    open_link(client, last_link("ann@example.com"))
    assert "Hello <strong>there</strong>" in client.get(LESSON).text
    sales.refund_order(order, settings)
    assert Order.get().status == "REFUNDED"
    assert Enrolment.get().status == "REVOKED"
    response = client.get(LESSON, status=403)
    assert "Hello" not in response.text


def test_the_stripe_webhook_grants_the_course_once(coach, tmp_path, stripe_settings):
    from webtest import TestApp

    from coachctl.server.app import wsgi

    course = _paid_course(coach, tmp_path)
    product = catalog.get_product(coach, course.product_id)
    order = sales.start_product_checkout(product, "bo@example.com", stripe_settings)
    stripe_client = TestApp(wsgi(stripe_settings))
    post_webhook(stripe_client, completed_event(order))
    post_webhook(stripe_client, completed_event(order))  # a replay changes nothing
    assert Enrolment.get().status == "ACTIVE"
    assert Outbox.select().where(Outbox.kind == "course_welcome").count() == 1


def test_a_package_grants_the_course_and_session_credits_together(coach, tmp_path, settings):
    from coachctl.engine.commerce.credits import available_credits
    from coachctl.engine.scheduling.booking_types import get_booking_type

    course = _paid_course(coach, tmp_path)
    session = get_booking_type(coach)
    package = catalog.create_package(
        coach,
        "Course and two sessions",
        Money(19900, "EUR"),
        credits=2,
        booking_type=session,
        items=[course.product_id],
    )
    order = sales.start_checkout(settings, product_id=package.id, email="cy@example.com")
    sales.pay_sandbox(order, settings)
    assert Enrolment.get().email == "cy@example.com" and Enrolment.get().status == "ACTIVE"
    assert available_credits(coach, "cy@example.com", session) == 2


def test_each_dripped_lesson_is_emailed_once_when_its_day_comes(course, settings):
    enrolment = grant(course, "ana@example.com", settings)
    now = utcnow()
    run_housekeeping(settings, now)
    assert Outbox.select().where(Outbox.kind == "course_lesson").count() == 0
    later = now + timedelta(days=3, minutes=1)
    assert run_housekeeping(settings, later).lessons_opened == 1
    assert run_housekeeping(settings, later + timedelta(days=1)).lessons_opened == 0
    email = Outbox.get(Outbox.kind == "course_lesson")
    assert email.subject == "Lesson 3 of Calm leadership is open"
    assert "http://coach.test/c/calm-lead/learn/plan" in email.body_text
    assert "SECRET PLAN BODY" not in email.body_text
    assert email.dedupe_key == f"course-lesson:{enrolment.id}:{lessons_of(course)[2].id}"


def test_a_revoked_learner_gets_no_lesson_emails(course, settings):
    from coachctl.engine.learning.learners import revoke

    grant(course, "ana@example.com", settings)
    revoke(course, "ana@example.com")
    assert run_housekeeping(settings, utcnow() + timedelta(days=10)).lessons_opened == 0


def test_an_email_course_puts_each_lesson_in_the_email(coach, tmp_path, settings):
    import_course(coach, write_course(tmp_path / "mail", access="email"))
    course = set_published(get_course(coach, "calm-lead"), True)
    grant(course, "ana@example.com", settings)
    assert run_housekeeping(settings, utcnow()).lessons_opened == 2
    assert run_housekeeping(settings, utcnow() + timedelta(days=4)).lessons_opened == 1
    plan = Outbox.get(Outbox.subject.contains("Your plan"))
    assert "SECRET PLAN BODY" in plan.body_text and "SECRET PLAN BODY" in plan.body_html
    first = Outbox.get(Outbox.subject.contains("Lesson 1: Welcome"))
    assert "<strong>there</strong>" in first.body_html


def test_completing_the_last_lesson_sends_one_completion_email(course, settings):
    enrolment = grant(course, "ana@example.com", settings)
    lessons = lessons_of(course)
    assert not complete_lesson(enrolment, lessons[0], settings)
    assert not complete_lesson(enrolment, lessons[1], settings)
    assert complete_lesson(enrolment, lessons[2], settings)
    assert not complete_lesson(enrolment, lessons[2], settings)
    sent = Outbox.select().where(Outbox.kind == "course_completed")
    assert [e.subject for e in sent] == ["You completed Calm leadership"]
    assert Enrolment.get().completed_at is not None


def test_a_coach_restyles_a_course_email(course, settings, tmp_path):
    from coachctl.config import home_dir

    emails = home_dir() / "emails"
    emails.mkdir(parents=True)
    (emails / "course_welcome.subject.txt").write_text("Hej! {{ course.title }}")
    grant(course, "ana@example.com", settings)
    assert Outbox.get(Outbox.kind == "course_welcome").subject == "Hej! Calm leadership"


def test_the_bio_page_shows_course_cards_not_the_course_product(client, coach, tmp_path):
    _paid_course(coach, tmp_path)
    bio = client.get("/jane")
    cards = bio.html.select('[data-cta="course"]')
    assert [a["href"] for a in cards] == ["/c/calm-lead"]
    assert "Mini-course · €49.00" in bio.text
    assert not bio.html.select('[data-cta="buy"]')


def test_course_cards_take_one_query_however_many_courses(coach, tmp_path):
    from playhouse.test_utils import count_queries

    from coachctl.engine.learning.courses import course_cards

    for n in range(3):
        folder = write_course(tmp_path / f"c{n}", access="paid", price="49.00 EUR")
        (folder / "course.toml").write_text(
            f'slug = "c{n}"\ntitle = "C{n}"\naccess = "paid"\nprice = "49.00 EUR"\n'
        )
        import_course(coach, folder)
        set_published(get_course(coach, f"c{n}"), True)
    with count_queries() as counter:
        cards = course_cards(coach)
    assert [c["price"] for c in cards] == ["€49.00"] * 3
    assert counter.count == 1


def test_each_enrolment_counts_once_in_the_report(client, course, coach, settings):
    from coachctl.engine.insights.report import summary
    from coachctl.engine.learning.learners import request_enrolment

    request_enrolment(course, "ann@example.com", settings)
    assert summary(coach)["enrolments"] == 0  # not until the address is confirmed
    open_link(client, last_link("ann@example.com"))
    grant(course, "bo@example.com", settings)
    grant(course, "bo@example.com", settings)  # a second grant is no second enrolment
    assert summary(coach)["enrolments"] == 2
