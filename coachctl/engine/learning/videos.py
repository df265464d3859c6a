"""Lesson videos: links from known hosts become privacy-minded embeds, or direct video files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from coachctl.engine.errors import Invalid

_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
_FILES = (".mp4", ".webm", ".ogv", ".ogg", ".mov", ".m4v")
HOSTS = "YouTube, Vimeo, Loom, or a direct .mp4/.webm file"


@dataclass(frozen=True)
class Video:
    """How a page shows a video: an ``iframe`` or a ``file``, its ``src``, and the ``origin`` the
    page's content security policy must allow for it."""

    kind: str
    src: str
    origin: str


def _frame(origin: str, path: str) -> Video:
    return Video("iframe", origin + path, origin)


def video_for(url: str) -> Video:
    """The embed for a video ``url``; anything but a known host or a direct file is refused."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme != "https" or not host:
        raise Invalid(f"video {url!r} must be an https link to {HOSTS}")
    found = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if segments[:1] == ["watch"]:
            found = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
            found = segments[1]
        if found and _ID.match(found):
            return _frame("https://www.youtube-nocookie.com", f"/embed/{found}")
    elif host == "youtu.be" and len(segments) == 1 and _ID.match(segments[0]):
        return _frame("https://www.youtube-nocookie.com", f"/embed/{segments[0]}")
    elif host in ("vimeo.com", "player.vimeo.com"):
        found = segments[-1] if segments else ""
        if found.isdigit():
            return _frame("https://player.vimeo.com", f"/video/{found}?dnt=1")
    elif host == "loom.com" and len(segments) == 2 and segments[0] in ("share", "embed"):
        if re.fullmatch(r"[0-9a-f]{32}", segments[1]):
            return _frame("https://www.loom.com", f"/embed/{segments[1]}")
    elif parts.path.lower().endswith(_FILES) and not parts.username and not parts.password:
        origin = f"https://{parts.netloc.lower()}"
        return Video("file", parts.geturl(), origin)
    raise Invalid(f"video {url!r} is not from {HOSTS}")
