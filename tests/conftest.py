"""Each test gets its own home, secret and database: a SQLite file, or a truncated PostgreSQL one.

Set COACHCTL_TEST_POSTGRES=postgresql://user@host:port/ to run the suite against PostgreSQL: a
throw-away database is created for the session and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from coachctl.config import load_settings
from coachctl.store.db import db, open_database
from coachctl.store.migrations import migrate
from coachctl.store.models import ALL_MODELS

POSTGRES = os.environ.get("COACHCTL_TEST_POSTGRES")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    if not POSTGRES:
        yield None
        return
    import psycopg2

    name = f"coachctl_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(POSTGRES.rstrip("/") + "/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rstrip("/") + f"/{name}"
    open_database(url)
    migrate()
    db.close()
    yield url
    db.close()
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def database_url(tmp_path, postgres_url) -> str:
    if postgres_url is None:
        return f"sqlite:///{tmp_path / 'coachctl.db'}"
    open_database(postgres_url)
    tables = ", ".join(
        f'"{m._meta.table_name}"' for m in ALL_MODELS if m._meta.table_name != "schema_version"
    )
    db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    db.close()
    return postgres_url


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch, database_url) -> None:
    for key in (
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_API_BASE",
        "SMTP_URL",
        "COACHCTL_CONFIG",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COACHCTL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COACHCTL_SECRET", "test-secret-not-for-production")
    monkeypatch.setenv("COACHCTL_BASE_URL", "http://coach.test")
    # tests that race or repeat requests are not about rate limits; the limit tests set their own
    monkeypatch.setenv("COACHCTL_LIMIT_PER_CLIENT", "100000/minute")
    monkeypatch.setenv("COACHCTL_LIMIT_PER_EMAIL", "100000/minute")


@pytest.fixture
def store(environment, database_url) -> Iterator[None]:
    """An open, migrated database for the test's thread."""
    open_database(database_url)
    migrate()
    yield
    db.close()


@pytest.fixture
def settings(environment):
    return load_settings()


@pytest.fixture
def coach(store):
    from coachctl.engine.coaches import create_coach

    return create_coach("jane", "Jane Doe", "Europe/London", headline="Leadership coach")


@pytest.fixture
def client(store, settings):
    """A WebTest client over the WSGI app (with its middleware)."""
    from webtest import TestApp

    from coachctl.server.app import wsgi

    return TestApp(wsgi(settings))


@pytest.fixture
def token(coach) -> str:
    from coachctl.engine.tokens import create_token

    return create_token(coach, "tests")[1]


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)
