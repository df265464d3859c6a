"""Who a visit is without cookies or storage: a daily salted hash, bots, and where it came from.

The visitor id is Plausible's method (plausible.io/data-policy): a keyed hash of a random salt,
the coach, the visitor's IP address and user agent. Each UTC day has its own salt, kept in its
own table (never with the events) and deleted once the next day's is made, so an id cannot be
traced back to an address nor followed from one day to the next. The address is never stored.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
from collections.abc import Mapping
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect

from coachctl.store.db import connection, db
from coachctl.store.models import AnalyticsSalt

PREFETCH_HEADERS = ("HTTP_PURPOSE", "HTTP_SEC_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


def daily_salt(day: date) -> str:
    """The salt of the UTC ``day``, made on first use; salts of earlier days are deleted."""
    with db.atomic():
        AnalyticsSalt.insert(day=day, salt=secrets.token_hex(32)).on_conflict_ignore().execute()
        AnalyticsSalt.delete().where(AnalyticsSalt.day < day).execute()
    return AnalyticsSalt.get(AnalyticsSalt.day == day).salt


class Salts:
    """Today's salt, read from the database once per day per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._day: date | None = None
        self._salt = ""

    def for_day(self, day: date) -> str:
        """The salt of UTC ``day``."""
        with self._lock:
            if day != self._day:
                with connection():
                    self._salt, self._day = daily_salt(day), day
            return self._salt


def visitor_id(salt: str, coach_id: int, address: str, user_agent: str) -> str:
    """The day's anonymous id of one visitor of one coach."""
    key = bytes.fromhex(salt)[:64]
    data = f"{coach_id}\n{address}\n{user_agent}".encode("utf-8", "replace")
    return hashlib.blake2b(data, key=key, digest_size=16).hexdigest()


_detector = CrawlerDetect()
_detector_lock = threading.Lock()


@functools.lru_cache(maxsize=4096)
def _is_crawler(user_agent: str) -> bool:
    with _detector_lock:
        return bool(_detector.isCrawler(user_agent))


def is_bot(user_agent: str, headers: Mapping[str, str] | None = None) -> bool:
    """True for a visit not to count: no user agent, a known crawler (the maintained
    ``crawlerdetect`` list), or a prefetch or preview the visitor may never see."""
    if not user_agent.strip():
        return True
    if headers and any(
        "prefetch" in (value := headers.get(name, "").lower()) or "preview" in value
        for name in PREFETCH_HEADERS
    ):
        return True
    return _is_crawler(user_agent[:1000])


def referrer_host(referrer: str, own_host: str = "") -> str:
    """The host of a referring URL, or "" for none, a malformed one, or our own pages."""
    try:
        host = (urlsplit(referrer.strip()).hostname or "").lower()
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    own = own_host.split(":", 1)[0].lower().removeprefix("www.")
    return "" if host == own else host[:200]


def salt_day(now: datetime) -> date:
    """The UTC day whose salt hashes visits at ``now``."""
    return now.astimezone(UTC).date()
