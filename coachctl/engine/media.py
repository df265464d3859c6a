"""Public images a coach uploads (their photo, product images): kept by content hash and served
with long caching, but only while a coach or product uses them."""

from __future__ import annotations

import re
from pathlib import Path

from coachctl.engine.errors import Invalid, NotFound
from coachctl.engine.parse import web_url
from coachctl.store import files
from coachctl.store.models import Coach, Product

TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
MAX_BYTES = 5 * 1024 * 1024
_NAME = re.compile(r"^([0-9a-f]{64})\.(png|jpe?g|webp)$")


def image(value: str) -> str:
    """What to store for an image the coach gave: an https URL as is, or a local file copied
    into the data directory and named ``/media/<sha256>.<ext>``; ``""`` clears it."""
    text = (value or "").strip()
    if not text or text.startswith(("http://", "https://")):
        return web_url(text) if text else ""
    source = Path(text).expanduser()
    extension = source.suffix.lower().lstrip(".")
    if extension not in TYPES:
        raise Invalid(f"{source.name} is not a PNG, JPEG or WebP image")
    if not source.is_file():
        raise Invalid(f"{source} is not a file that can be read")
    if source.stat().st_size > MAX_BYTES:
        raise Invalid(f"{source.name} is larger than {MAX_BYTES // 2**20} MB")
    return f"/media/{files.put(source).sha256}.{extension}"


def open_media(name: str) -> tuple[Path, str]:
    """The stored file and content type behind ``/media/<name>``, if a coach or product uses it."""
    match = _NAME.match(name)
    reference = f"/media/{name}"
    if (
        match is None
        or not (
            Coach.select().where(Coach.avatar_url == reference).exists()
            or Product.select().where(Product.image == reference).exists()
        )
        or not files.path_of(match[1]).is_file()
    ):
        raise NotFound("this image is not here")
    return files.path_of(match[1]), TYPES[match[2]]
