"""Public analytics events: what a visitor's browser (or the server, for a page view) may report.

Only ``page_view``, ``cta_click`` and ``outbound`` come from outside; the trusted types (see
``engine.tracking``) are written by the engine and refused here. A visit from a bot is dropped
silently, before anything is hashed or kept. Nothing here writes: rows go to an ``EventBuffer``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coachctl.engine.errors import Forbidden, Invalid, TooLarge
from coachctl.engine.insights.visitors import Salts, is_bot, referrer_host, salt_day, visitor_id
from coachctl.engine.tracking import TRUSTED

PUBLIC = ("page_view", "cta_click", "outbound")
TYPES = PUBLIC + TRUSTED
MAX_BATCH = 100
UTM = ("utm_source", "utm_medium", "utm_campaign")


@dataclass(frozen=True)
class Visit:
    """What a request tells about its sender; the address is only ever hashed."""

    address: str
    user_agent: str
    referrer: str = ""  # the Referer header: for a page view, where the visitor came from
    own_host: str = ""
    country: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_bot(self) -> bool:
        return is_bot(self.user_agent, self.headers)


def _row(
    coach_id: int,
    kind: str,
    path: str,
    visit: Visit,
    salts: Salts,
    now: datetime,
    referrer: str,
    utm: Mapping[str, Any],
    product: int | None = None,
) -> dict[str, Any]:
    """One event row, ready for ``AnalyticsEvent.insert_many``."""
    host = referrer_host(referrer, visit.own_host)
    tags = {key: str(utm.get(key) or "")[:100] for key in UTM}
    country = visit.country.strip().upper()
    return {
        "coach": coach_id,
        "type": kind,
        "path": path[:500],
        "referrer": host,
        "source": (tags["utm_source"].lower() or host)[:200],
        **tags,
        "country": country if len(country) == 2 and country.isalpha() else "",
        "visitor": visitor_id(
            salts.for_day(salt_day(now)), coach_id, visit.address, visit.user_agent
        ),
        "product": product,
        "occurred_at": now,
    }


def page_view(
    coach_id: int, path: str, query: Mapping[str, str], visit: Visit, salts: Salts, now: datetime
) -> dict[str, Any] | None:
    """The page view of a page the server served (None for a bot); UTM tags from ``query``."""
    if visit.is_bot:
        return None
    return _row(coach_id, "page_view", path, visit, salts, now, visit.referrer, query)


def _event(
    data: Any, coach_id_of: Callable[[str], int | None], visit: Visit, salts: Salts, now: datetime
) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Invalid("each event must be a JSON object", code="bad_event")
    kind = data.get("type")
    if kind in TRUSTED:
        raise Forbidden(f"{kind} events are recorded by the server only", code="trusted_type")
    if kind not in PUBLIC:
        raise Invalid(f"unknown event type {kind!r}; use one of {', '.join(PUBLIC)}", code="type")
    slug, path = data.get("coach"), data.get("path")
    coach_id = coach_id_of(slug) if isinstance(slug, str) else None
    if coach_id is None:
        raise Invalid("coach must be the slug of a coach with a public page", code="coach")
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 500:
        raise Invalid("path must be the page's path, starting with /", code="path")
    product = data.get("product")
    if product is not None and (
        isinstance(product, bool) or not isinstance(product, int) or not 0 < product < 2**31
    ):
        raise Invalid("product must be a product id", code="product")
    texts = {key: data.get(key) for key in ("referrer", *UTM)}
    if any(value is not None and not isinstance(value, str) for value in texts.values()):
        raise Invalid("referrer and utm_* must be strings", code="bad_type")
    return _row(coach_id, kind, path, visit, salts, now, texts["referrer"] or "", texts, product)


def parse_events(
    body: Mapping[str, Any],
    coach_id_of: Callable[[str], int | None],
    visit: Visit,
    salts: Salts,
    now: datetime,
) -> list[dict[str, Any]]:
    """The rows of one event or a batch (``{"events": [...]}``) sent by a browser.

    All or nothing: one bad event refuses the batch (Invalid; Forbidden for a trusted type;
    TooLarge past ``MAX_BATCH``). A bot's request is dropped unread: the list is empty.
    """
    if visit.is_bot:
        return []
    if "events" in body:
        batch = body["events"]
        if not isinstance(batch, list) or not batch:
            raise Invalid("events must be a non-empty list", code="bad_event")
        if len(batch) > MAX_BATCH:
            raise TooLarge(f"a batch holds at most {MAX_BATCH} events, not {len(batch)}")
    else:
        batch = [body]
    return [_event(data, coach_id_of, visit, salts, now) for data in batch]
