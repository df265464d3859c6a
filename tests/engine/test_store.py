"""The store: migrations, pragmas and instants."""

from datetime import UTC, datetime

import pytest

from coachctl.store.db import db, is_postgres
from coachctl.store.migrations import applied_versions, migrate, steps
from coachctl.store.models import Coach


def test_migrations_apply_every_step_once_and_twice_is_harmless(store):
    assert applied_versions() == {number for number, _, _ in steps()}
    assert migrate() == []
    assert migrate() == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store):
    if is_postgres():
        pytest.skip("SQLite only")
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_instants_round_trip_as_aware_utc(coach):
    stamp = datetime(2027, 3, 15, 13, 0, 0, tzinfo=UTC)
    Coach.update(created_at=stamp).where(Coach.id == coach.id).execute()
    assert Coach.get_by_id(coach.id).created_at == stamp


def test_naive_datetimes_are_refused(coach):
    with pytest.raises(ValueError):
        Coach.update(created_at=datetime(2027, 1, 1)).where(Coach.id == coach.id).execute()
