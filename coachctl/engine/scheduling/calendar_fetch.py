"""Fetching a coach's calendars: an ICS feed over HTTP with conditional requests, or a CalDAV
calendar's events in a time range. Both stop at a timeout and a size cap."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A calendar source could not be read; the message is safe to show the coach."""


@dataclass(frozen=True)
class Fetched:
    """A feed answer: ``body`` is None when the server said 304 Not Modified."""

    body: bytes | None
    etag: str
    last_modified: str


def fetch_feed(
    url: str,
    etag: str = "",
    last_modified: str = "",
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """GET an ICS feed, conditional on ``etag``/``last_modified``; raises FetchError on failure."""
    request = urllib.request.Request(
        url, headers={"User-Agent": "coachctl", "Accept": "text/calendar"}
    )
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = _read_capped(response, max_bytes)
            answer = response.headers
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(None, etag, last_modified)
        raise FetchError(f"HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise FetchError(f"cannot fetch: {reason}") from None
    if not body.rstrip().endswith(b"END:VCALENDAR"):
        raise FetchError("the feed is not a complete iCalendar file (truncated?)")
    return Fetched(body, answer.get("ETag", ""), answer.get("Last-Modified", ""))


def _read_capped(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"the feed is larger than {max_bytes // (1024 * 1024)} MB")
    parts: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = response.read(_CHUNK)
        except http.client.IncompleteRead:
            raise FetchError("the feed was cut off before its end (truncated)") from None
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the feed is larger than {max_bytes // (1024 * 1024)} MB")
        parts.append(chunk)
    if declared and declared.isdigit() and size < int(declared):
        raise FetchError("the feed was cut off before its end (truncated)")
    return b"".join(parts)


def fetch_caldav(
    url: str,
    username: str,
    password: str,
    start: datetime,
    end: datetime,
    timeout: float = TIMEOUT_SECONDS,
) -> list[bytes]:
    """The iCalendar texts of a CalDAV calendar's events touching ``[start, end)``."""
    import caldav

    try:
        with caldav.DAVClient(
            url=url, username=username, password=password, timeout=timeout
        ) as client:
            calendar = client.calendar(url=url)
            found = calendar.search(start=start, end=end, event=True, expand=False)
            return [
                item.data.encode() if isinstance(item.data, str) else item.data for item in found
            ]
    except Exception as error:  # the client raises DAVError, requests' and niquests' errors alike
        raise FetchError(f"CalDAV: {type(error).__name__}: {error}"[:300]) from None
