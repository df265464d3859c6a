"""The kinds of notice emails a coach has turned off."""

from coachctl.store.db import db


def apply() -> None:
    db.execute_sql('ALTER TABLE "coach" ADD COLUMN "notices_off" TEXT NOT NULL DEFAULT \'[]\'')
