"""The database proxy, its initialisation from a URL, and write transactions that serialise."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from peewee import (
    Database,
    DatabaseProxy,
    InterfaceError,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
)

db = DatabaseProxy()
SCHEMES = ("sqlite", "postgresql", "postgres")


class StoreError(Exception):
    """The database cannot be used as asked: unreachable, unsupported, or too new."""


_write_counter = itertools.count(1)
_generation = 0


def write_generation() -> int:
    """A number that changes whenever this process sends a statement that may write."""
    return _generation


class _CountsWrites:
    """Bumps the write generation on every statement that is not a plain read."""

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        if not sql.lstrip()[:6].upper().startswith(("SELECT", "PRAGMA")):
            global _generation
            _generation = next(_write_counter)
        return super().execute_sql(sql, params, *args, **kwargs)


class _Sqlite(_CountsWrites, SqliteDatabase):
    pass


class _Postgres(_CountsWrites, PostgresqlDatabase):
    pass


SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -16000,
}


def open_database(url: str) -> Database:
    """Point the proxy at the database named by ``url`` (``sqlite:///path`` or ``postgresql://…``)."""
    from playhouse.db_url import parse

    scheme = url.partition(":")[0].lower()
    if scheme not in SCHEMES:
        raise StoreError(
            f"unsupported database URL scheme {scheme!r} in DATABASE_URL;"
            " use sqlite:///path.db or postgresql://user@host/db"
        )
    if scheme == "sqlite":
        path = url.split(":///", 1)[1] if ":///" in url else ":memory:"
        if path not in (":memory:", ""):
            from pathlib import Path

            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        database: Database = _Sqlite(path, pragmas=SQLITE_PRAGMAS, timeout=30)
    else:
        database = _Postgres(**parse(url.replace("postgres://", "postgresql://", 1)))
    db.initialize(database)
    return database


def redacted(url: str) -> str:
    """``url`` with any password replaced by ``***``, fit to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check_connection(url: str) -> None:
    """Connect now, or raise StoreError naming ``url`` (without its password) and the reason."""
    try:
        db.connect(reuse_if_open=True)
    except (OperationalError, InterfaceError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise StoreError(f"cannot reach the database at {redacted(url)}: {reason}") from None


def is_postgres() -> bool:
    """True when the proxy points at PostgreSQL."""
    return isinstance(db.obj, PostgresqlDatabase)


def lock_coach(coach_id: int) -> None:
    """Inside a write transaction, serialise with every other writer for this coach.

    On PostgreSQL this takes a transaction-scoped advisory lock; SQLite's IMMEDIATE transactions
    already serialise all writers, so there it does nothing.
    """
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (7001, coach_id))


@contextlib.contextmanager
def write_transaction(lock_key: int | None = None) -> Iterator[Any]:
    """One transaction whose writers serialise: IMMEDIATE on SQLite, an advisory lock on PostgreSQL.

    ``lock_key`` names what the writers contend for (a coach id).
    """
    if is_postgres():
        with db.atomic() as txn:
            if lock_key is not None:
                lock_coach(lock_key)
            yield txn
    elif db.in_transaction():
        with db.atomic() as txn:
            yield txn
    else:
        with db.atomic("IMMEDIATE") as txn:
            yield txn


@contextlib.contextmanager
def connection() -> Iterator[None]:
    """Open a connection for the current thread if none is open, and close it afterwards."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened and not db.is_closed():
            db.close()
