"""A ``limits`` storage kept in the database, so rate limits hold across server processes."""

from __future__ import annotations

import time
from typing import ClassVar

from limits.storage import Storage
from peewee import DatabaseError

from coachctl.store.db import db

_INCREMENT = (
    'INSERT INTO "rate_limit" ("key", "count", "expires_at") VALUES ({p}, {p}, {p}) '
    'ON CONFLICT ("key") DO UPDATE SET '
    '"count" = CASE WHEN "rate_limit"."expires_at" <= {p} THEN excluded."count" '
    'ELSE "rate_limit"."count" + excluded."count" END, '
    '"expires_at" = CASE WHEN "rate_limit"."expires_at" <= {p} THEN excluded."expires_at" '
    'ELSE "rate_limit"."expires_at" END '
    'RETURNING "count"'
)


class DatabaseStorage(Storage):
    """Fixed-window counters in the ``rate_limit`` table; one atomic upsert per hit."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["coachctl"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return DatabaseError

    def incr(self, key: str, expiry: int, amount: int = 1, **_: object) -> int:
        """Add ``amount`` to ``key``'s window (a new one if it has run out); the new count."""
        now = time.time()
        sql = _INCREMENT.format(p=db.param)
        with db.atomic():
            row = db.execute_sql(sql, (key, amount, now + expiry, now, now)).fetchone()
        return int(row[0])

    def get(self, key: str) -> int:
        """The count in ``key``'s current window (0 when none is open)."""
        sql = 'SELECT "count" FROM "rate_limit" WHERE "key" = {p} AND "expires_at" > {p}'
        row = db.execute_sql(sql.format(p=db.param), (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """When ``key``'s window ends (epoch seconds; now when none is open)."""
        row = db.execute_sql(
            f'SELECT "expires_at" FROM "rate_limit" WHERE "key" = {db.param}', (key,)
        ).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            db.execute_sql("SELECT 1")
        except DatabaseError:
            return False
        return True

    def reset(self) -> int:
        """Forget every counter; how many there were."""
        return db.execute_sql('DELETE FROM "rate_limit"').rowcount

    def clear(self, key: str) -> None:
        """Forget ``key``'s counter."""
        db.execute_sql(f'DELETE FROM "rate_limit" WHERE "key" = {db.param}', (key,))


def prune_expired() -> int:
    """Delete counters whose window has ended; how many."""
    return db.execute_sql(
        f'DELETE FROM "rate_limit" WHERE "expires_at" <= {db.param}', (time.time(),)
    ).rowcount
