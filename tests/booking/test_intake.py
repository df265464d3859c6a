"""Intake questions: asked on the form and the API, checked on the server, shown to the coach."""

from __future__ import annotations

import pytest

from coachctl.engine import intake
from coachctl.engine.errors import Invalid
from coachctl.engine.scheduling.booking_types import get_booking_type
from coachctl.store.models import Booking, Outbox
from tests.booking.test_booking_pages import _fill, _slot_page
from tests.support import run_cli


@pytest.fixture
def asking(open_coach):
    run_cli("types", "question", "add", "session", "What would you like to work on?", "--required")
    run_cli("types", "question", "add", "session", "Tell me more", "--kind", "long")
    run_cli(
        "types", "question", "add", "session", "Have you had coaching before?",
        "--kind", "choice", "--option", "Yes", "--option", "No", "--required",
    )  # fmt: skip
    run_cli("types", "question", "add", "session", "I accept the terms", "--kind", "checkbox",
            "--required")  # fmt: skip
    return open_coach


def test_answers_round_trip_from_the_form_to_the_coach(client, asking):
    form_page, _ = _slot_page(client)
    form = _fill(form_page.forms["confirm"])
    form["answer-q1"] = "Delegation"
    form["answer-q2"] = "Line one\nLine two"
    form["answer-q3"] = "No"
    form["answer-q4"] = True
    form.submit().follow()
    booking = Booking.get()
    assert booking.answers == {
        "q1": "Delegation",
        "q2": "Line one\nLine two",
        "q3": "No",
        "q4": True,
    }
    notice = Outbox.get(Outbox.kind == "coach_booking")
    assert "What would you like to work on?: Delegation" in notice.body_text
    assert "I accept the terms: yes" in notice.body_text
    shown = run_cli("bookings", "show", str(booking.id)).stdout
    assert "Have you had coaching before?: No" in shown
    listed = run_cli("bookings", "show", str(booking.id), "--json").stdout
    assert '"question": "Tell me more"' in listed


def test_a_missing_required_answer_keeps_what_the_visitor_typed(client, asking):
    form_page, _ = _slot_page(client)
    form = _fill(form_page.forms["confirm"])
    form["answer-q2"] = "Some context"
    form["answer-q3"] = "Yes"
    form["answer-q4"] = True
    refused = form.submit(status=422)
    assert "please answer" in refused.html.select_one("#book-error").text.lower()
    assert refused.html.select_one("#answer-q1")["aria-invalid"] == "true"
    kept = refused.forms["confirm"]
    assert kept["name"].value == "Ann Client" and kept["email"].value == "ann@example.com"
    assert kept["answer-q2"].value == "Some context"
    assert kept["answer-q3"].value == "Yes" and kept["answer-q4"].checked
    assert Booking.select().count() == 0
    kept["answer-q1"] = "Focus"
    kept.submit().follow()
    assert Booking.get().answers["q1"] == "Focus"


def test_the_api_checks_answers_and_names_the_question(client, asking):
    _, slot = _slot_page(client)
    body = {"coach": "jane", "name": "Ann", "email": "ann@example.com", "start": slot}
    good = {"q1": "Focus", "q3": "Yes", "q4": True}
    for answers, message in [
        ({**good, "q3": "Maybe"}, "takes one of: Yes, No"),
        ({**good, "q4": "yes"}, "yes/no question"),
        ({**good, "q1": ["x"]}, "must be text"),
        ({**good, "q9": "x"}, "unknown question"),
        ({"q3": "Yes", "q4": True}, "please answer"),
    ]:
        refused = client.post_json("/api/bookings", {**body, "answers": answers}, status=422)
        assert message in refused.json["error"]["message"]
    client.post_json("/api/bookings", {**body, "answers": "q1"}, status=422)
    assert Booking.select().count() == 0
    made = client.post_json("/api/bookings", {**body, "answers": good}, status=201)
    assert made.json["booking"]["answers"][0] == {
        "question": "What would you like to work on?",
        "answer": "Focus",
    }


def test_a_type_asks_at_most_five_questions_and_choices_need_options(asking):
    kind = get_booking_type(asking)
    intake.add_question(kind, "Fifth?")
    with pytest.raises(Invalid, match="at most 5"):
        intake.add_question(kind, "Sixth?")
    removed = run_cli("types", "question", "rm", "session", "5").stdout
    assert "Fifth?" in removed
    refused = run_cli("types", "question", "add", "session", "Pick", "--kind", "choice", code=2)
    assert "at least two options" in refused.stderr
    listed = run_cli("types", "question", "list", "session").stdout
    assert "long text" in listed and "Yes, No" in listed
