"""What a coach's public page shows: the profile, a Book call to action, Buy calls to action,
and course cards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coachctl.engine.coaches import coach_to_dict
from coachctl.engine.commerce.catalog import list_products, product_to_dict
from coachctl.engine.learning.courses import course_cards
from coachctl.engine.markup import plain_excerpt, render_markdown
from coachctl.engine.scheduling.booking_types import booking_type_to_dict, list_booking_types
from coachctl.engine.scheduling.schedule import has_free_slot
from coachctl.store.models import Coach


def public_page(coach: Coach, now: datetime | None = None) -> dict[str, Any]:
    """The facts of the public page, as the HTML page and ``/api/coaches/{slug}`` share them."""
    kinds = list_booking_types(coach) if coach.booking_enabled else []
    book = bool(kinds) and has_free_slot(coach, kinds, now)
    courses = course_cards(coach)
    sold = {course["product"] for course in courses}
    products = list_products(coach) if coach.products_enabled else []
    products = [p for p in products if p.id not in sold]
    sessions = kinds if book else []
    return {
        "coach": {
            **coach_to_dict(coach),
            "bio_html": render_markdown(coach.bio),
            "summary": coach.headline or plain_excerpt(coach.bio, 160),
        },
        "ctas": {
            "book": book,
            "book_url": f"/book/{coach.slug}" if book else None,
            "sessions": [
                {**booking_type_to_dict(t, public=True), "url": f"/book/{coach.slug}/{t.slug}"}
                for t in sessions
            ],
            "buy": [
                {
                    **product_to_dict(p),
                    "url": f"/checkout/{p.id}",
                    "summary": plain_excerpt(p.description, 140),
                }
                for p in products
            ],
            "courses": courses,
        },
    }
