"""Intake questions: up to five things a booking type asks, and the checking of the answers.

A question is stored on its booking type as ``{"id", "label", "kind", "required", "options"}``;
answers are stored on the booking keyed by question id.
"""

from __future__ import annotations

from typing import Any

from coachctl.engine.errors import Invalid
from coachctl.engine.plain_text import lines, one_line
from coachctl.store.db import write_transaction
from coachctl.store.models import BookingType

MAX_QUESTIONS = 5
KINDS = {"text": 200, "long": 2000, "choice": 200, "checkbox": 0}
KIND_LABELS = {
    "text": "short text",
    "long": "long text",
    "choice": "choice",
    "checkbox": "checkbox",
}


class InvalidAnswer(Invalid):
    """An answer that breaks its question's rule; ``question`` names the form field."""

    def __init__(self, message: str, question: str) -> None:
        super().__init__(message, code="invalid_answer")
        self.question = question


def add_question(
    kind: BookingType,
    label: str,
    answer_kind: str = "text",
    *,
    required: bool = False,
    options: list[str] | None = None,
) -> dict[str, Any]:
    """Append a question to a booking type (at most five); return it."""
    text = one_line(" ".join((label or "").split()))
    if not text or len(text) > 200:
        raise Invalid("a question needs a text of at most 200 characters")
    if answer_kind not in KINDS:
        raise Invalid(f"a question's kind is one of: {', '.join(KINDS)}")
    choices = [one_line(o.strip()) for o in options or [] if o.strip()]
    if answer_kind == "choice" and len(choices) < 2:
        raise Invalid("a choice question needs at least two options (--option A --option B)")
    if answer_kind != "choice" and choices:
        raise Invalid("only a choice question takes options")
    if len(set(choices)) != len(choices) or any(len(c) > 200 for c in choices):
        raise Invalid("options must differ and be at most 200 characters each")
    with write_transaction(lock_key=kind.coach_id):
        current = BookingType.get_by_id(kind.id)
        if len(current.questions) >= MAX_QUESTIONS:
            raise Invalid(f"a booking type asks at most {MAX_QUESTIONS} questions")
        used = {q["id"] for q in current.questions}
        number = next(n for n in range(1, MAX_QUESTIONS + 2) if f"q{n}" not in used)
        question = {
            "id": f"q{number}",
            "label": text,
            "kind": answer_kind,
            "required": required,
            "options": choices,
        }
        current.questions = [*current.questions, question]
        current.save()
    kind.questions = current.questions
    return question


def remove_question(kind: BookingType, position: int) -> dict[str, Any]:
    """Remove the question at 1-based ``position``; answers already given stay on their bookings."""
    with write_transaction(lock_key=kind.coach_id):
        current = BookingType.get_by_id(kind.id)
        if not 1 <= position <= len(current.questions):
            raise Invalid(f"{kind.slug} has no question {position}")
        removed = current.questions[position - 1]
        current.questions = [q for q in current.questions if q is not removed]
        current.save()
    kind.questions = current.questions
    return removed


def check_answers(questions: list[dict[str, Any]], given: dict[str, Any]) -> dict[str, Any]:
    """The answers to keep, keyed by question id; raises InvalidAnswer for the first bad one.

    Text answers are strings within their length, a choice is one of its options, a checkbox is
    true or false. A required question needs an answer (a required checkbox must be ticked).
    """
    if not isinstance(given, dict):
        raise Invalid("answers must be an object keyed by question id")
    known = {q["id"] for q in questions}
    unknown = sorted(set(given) - known)
    if unknown:
        raise Invalid(f"unknown question {unknown[0]!r}; this booking type asks {sorted(known)}")
    kept: dict[str, Any] = {}
    for question in questions:
        value = given.get(question["id"])
        label = question["label"]
        if question["kind"] == "checkbox":
            if value in (None, ""):
                value = False
            if not isinstance(value, bool):
                raise InvalidAnswer(f"“{label}” is a yes/no question", question["id"])
            if question["required"] and not value:
                raise InvalidAnswer(f"please tick “{label}”", question["id"])
            kept[question["id"]] = value
            continue
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise InvalidAnswer(f"the answer to “{label}” must be text", question["id"])
        value = value.strip()
        if not value:
            if question["required"]:
                raise InvalidAnswer(f"please answer “{label}”", question["id"])
            continue
        if len(value) > KINDS[question["kind"]]:
            raise InvalidAnswer(
                f"the answer to “{label}” is longer than {KINDS[question['kind']]} characters",
                question["id"],
            )
        if question["kind"] == "choice" and value not in question["options"]:
            raise InvalidAnswer(
                f"“{label}” takes one of: {', '.join(question['options'])}", question["id"]
            )
        kept[question["id"]] = lines(value) if question["kind"] == "long" else one_line(value)
    return kept


def answered(questions: list[dict[str, Any]], answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(question, answer) pairs for the coach to read, in the type's order; yes/no for ticks.

    Answers to questions removed since are kept under their id.
    """
    labels = {q["id"]: q["label"] for q in questions}
    order = {q["id"]: n for n, q in enumerate(questions)}
    return [
        (labels.get(key, key), ("yes" if value else "no") if isinstance(value, bool) else value)
        for key, value in sorted(
            answers.items(), key=lambda item: order.get(item[0], MAX_QUESTIONS)
        )
    ]
