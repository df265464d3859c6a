"""Load an example coach from a TOML document, once: a coach that exists is left as it is."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from coachctl.engine import coaches, intake
from coachctl.engine.commerce import catalog, coupons
from coachctl.engine.commerce.money import parse_money
from coachctl.engine.learning.courses import get_course, set_published
from coachctl.engine.learning.importer import import_course
from coachctl.engine.scheduling import booking_types, schedule
from coachctl.store.db import db
from coachctl.store.models import Coach


def demo_document() -> dict[str, Any]:
    """The demo coach shipped in ``examples/demo-coach.toml``."""
    text = resources.files("coachctl.examples").joinpath("demo-coach.toml").read_text("utf-8")
    return tomllib.loads(text)


def example_path(relative: str) -> Path:
    """A folder shipped under ``examples/`` (a course), as a path on disk."""
    return Path(str(resources.files("coachctl.examples").joinpath(relative)))


def load_example(document: dict[str, Any]) -> tuple[Coach, bool]:
    """Create the coach the document describes unless it exists; return it and whether it is new."""
    profile = dict(document["coach"])
    existing = Coach.get_or_none(Coach.slug == profile["slug"])
    if existing is not None:
        return existing, False
    with db.atomic():
        coach = coaches.create_coach(profile.pop("slug"), profile.pop("name"), **profile)
        for group in document.get("windows", []):
            for day in group["days"]:
                for span in group["ranges"]:
                    start, end = span.split("-")
                    schedule.add_window(coach, day, start, end)
        for spec in document.get("types", []):
            spec = dict(spec)
            slug, name = spec.pop("slug"), spec.pop("name")
            questions = spec.pop("questions", [])
            if "price" in spec:
                price = parse_money(spec.pop("price"))
                spec.update(
                    price_minor=price.amount, currency=price.currency, requires_payment=True
                )
            if slug == "session":
                kind = booking_types.edit_booking_type(
                    booking_types.get_booking_type(coach, "session"), name=name, **spec
                )
            else:
                kind = booking_types.create_booking_type(coach, slug, name, **spec)
            for question in questions:
                intake.add_question(
                    kind,
                    question["label"],
                    question.get("kind", "text"),
                    required=question.get("required", False),
                    options=question.get("options"),
                )
        for spec in document.get("products", []):
            catalog.create_product(
                coach, spec["title"], parse_money(spec["price"]), spec.get("description", "")
            )
        for spec in document.get("packages", []):
            catalog.create_package(
                coach,
                spec["title"],
                parse_money(spec["price"]),
                description=spec.get("description", ""),
                credits=spec.get("credits"),
                booking_type=booking_types.get_booking_type(coach, spec["type"])
                if spec.get("type")
                else None,
                valid_days=spec.get("valid_days"),
            )
        for spec in document.get("coupons", []):
            spec = dict(spec)
            coupons.create_coupon(coach, spec.pop("code"), **spec)
        for spec in document.get("courses", []):
            report = import_course(coach, example_path(spec["folder"]))
            if spec.get("publish"):
                set_published(get_course(coach, report.course), True)
    return coach, True
