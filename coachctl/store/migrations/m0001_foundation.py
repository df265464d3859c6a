"""Coaches and API tokens."""

from coachctl.store.db import db
from coachctl.store.models import ApiToken, Coach


def apply() -> None:
    db.create_tables([Coach, ApiToken], safe=True)
