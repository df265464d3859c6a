"""Files a coach uploads (downloads, images), kept once each under their SHA-256 in the data
directory: ``<home>/files/ab/abcdef…``."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coachctl.config import home_dir
from coachctl.store.db import StoreError

MAX_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its hash, size, and the name it was given."""

    sha256: str
    size: int
    name: str


def _root() -> Path:
    return home_dir() / "files"


def path_of(sha256: str) -> Path:
    """Where the file with ``sha256`` is kept."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise StoreError(f"not a SHA-256: {sha256!r}")
    return _root() / sha256[:2] / sha256


def put(source: Path) -> StoredFile:
    """Copy ``source`` into the store (once per content) and describe it."""
    if not source.is_file():
        raise StoreError(f"{source} is not a file")
    if source.stat().st_size > MAX_BYTES:
        raise StoreError(f"{source} is larger than {MAX_BYTES // 2**20} MB")
    _root().mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source.open("rb") as reader, tempfile.NamedTemporaryFile(dir=_root(), delete=False) as out:
        while chunk := reader.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    target = path_of(digest.hexdigest())
    target.parent.mkdir(exist_ok=True)
    if target.exists():
        os.unlink(out.name)
    else:
        shutil.move(out.name, target)
        target.chmod(0o644)
    return StoredFile(digest.hexdigest(), target.stat().st_size, source.name)
