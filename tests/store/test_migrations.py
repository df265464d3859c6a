"""Migrations are frozen history: a fresh build equals the models, and 0.1.0 upgrades losslessly."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachctl.cli.main import app
from coachctl.store.db import db, open_database, write_generation
from coachctl.store.migrations import migrate, steps
from coachctl.store.models import ALL_MODELS
from tests.conftest import POSTGRES

FIXTURE = Path(__file__).parent / "fixtures" / "coachctl-0.1.0.db.gz"
RELEASE_0_1_0 = 3  # the last migration release 0.1.0 shipped


@pytest.fixture
def scratch(tmp_path) -> Iterator[Callable[[], str]]:
    """Makes empty databases on the backend under test and drops them afterwards."""
    made: list[str] = []

    def make() -> str:
        name = f"coachctl_scratch_{uuid.uuid4().hex[:10]}"
        if not POSTGRES:
            return f"sqlite:///{tmp_path / name}.db"
        _admin(f'CREATE DATABASE "{name}"')
        made.append(name)
        return POSTGRES.rstrip("/") + f"/{name}"

    yield make
    db.close()
    for name in made:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(sql: str) -> None:
    import psycopg2

    admin = psycopg2.connect(POSTGRES.rstrip("/") + "/postgres")
    admin.autocommit = True
    admin.cursor().execute(sql)
    admin.close()


def schema(url: str) -> dict[str, object]:
    """Each table's columns (type, nullability, key), indexes (columns, unique) and foreign keys."""
    open_database(url)
    shape: dict[str, object] = {}
    for table in sorted(db.get_tables()):
        shape[table] = {
            "columns": sorted(
                (c.name, c.data_type.upper(), c.null, c.primary_key) for c in db.get_columns(table)
            ),
            "indexes": sorted(
                (i.name, tuple(i.columns), i.unique)
                for i in db.get_indexes(table)
                if not i.name.startswith(("sqlite_autoindex", f"{table}_pkey"))
            ),
            "foreign_keys": sorted(
                (f.column, f.dest_table, f.dest_column) for f in db.get_foreign_keys(table)
            ),
        }
    db.close()
    return shape


def migrated(url: str, upto: int | None = None) -> str:
    open_database(url)
    if upto is None:
        migrate()
    else:
        db.execute_sql(
            'CREATE TABLE "schema_version" ("version" INTEGER NOT NULL PRIMARY KEY,'
            ' "name" VARCHAR(255) NOT NULL, "applied_at" '
            + ("TIMESTAMP" if POSTGRES else "DATETIME")
            + " NOT NULL)"
        )
        for version, name, apply in steps():
            if version <= upto:
                apply()
                db.execute_sql(
                    'INSERT INTO "schema_version" VALUES (%s, %s, %s)'.replace(
                        "%s", "%s" if POSTGRES else "?"
                    ),
                    (version, name, "2027-03-01 09:00:00"),
                )
    db.close()
    return url


def from_models(url: str) -> str:
    open_database(url)
    db.create_tables(ALL_MODELS)
    db.close()
    return url


def test_migrations_build_exactly_what_the_models_declare(scratch):
    built, declared = schema(migrated(scratch())), schema(from_models(scratch()))
    assert built.keys() == declared.keys()
    for table in declared:
        assert built[table] == declared[table], table


def test_every_migration_step_holds_its_own_ddl():
    for path in Path(steps.__code__.co_filename).parent.glob("m[0-9]*.py"):
        source = path.read_text()
        assert "create_tables" not in source, path.name
        assert "coachctl.store.models" not in source, path.name


def _fixture_rows() -> dict[str, list[tuple]]:
    with gzip.open(FIXTURE) as packed, sqlite3.connect(":memory:") as memory:
        disk = sqlite3.connect(":memory:")
        disk.deserialize(packed.read())
        disk.backup(memory)
        tables = [
            t for (t,) in memory.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        rows = {
            t: sorted(memory.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
            if t != "schema_version"
        }
        columns = {t: [c[1] for c in memory.execute(f'PRAGMA table_info("{t}")')] for t in rows}
    return {t: (columns[t], rows[t]) for t in rows}


def _load_0_1_0(url: str, tmp_path: Path) -> str:
    """A database as 0.1.0 left it: its own file on SQLite, its rows copied on PostgreSQL."""
    if not POSTGRES:
        path = tmp_path / "coachctl-0.1.0.db"
        with gzip.open(FIXTURE) as packed, path.open("wb") as out:
            shutil.copyfileobj(packed, out)
        return f"sqlite:///{path}"
    migrated(url, upto=RELEASE_0_1_0)
    open_database(url)
    order = [m._meta.table_name for m in ALL_MODELS]
    for table, (columns, rows) in sorted(_fixture_rows().items(), key=lambda t: order.index(t[0])):
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        flags = {c.name for c in db.get_columns(table) if c.data_type == "boolean"}
        for row in rows:
            values = [bool(v) if c in flags else v for c, v in zip(columns, row, strict=True)]
            db.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
        if rows:
            db.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT MAX("id") FROM "{table}"))'
            )
    db.close()
    return url


def _counts(url: str) -> dict[str, int]:
    open_database(url)
    counts = {
        t: db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in db.get_tables()
    }
    db.close()
    return counts


def test_a_0_1_0_database_upgrades_with_nothing_lost(scratch, tmp_path, monkeypatch):
    url = _load_0_1_0(scratch(), tmp_path)
    before = _counts(url)
    assert before["booking"] == 3 and before["order"] == 4 and before["outbox"] == 10

    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "applied" in result.output

    after = _counts(url)
    assert {t: n for t, n in after.items() if t in before and t != "schema_version"} == {
        t: n for t, n in before.items() if t != "schema_version"
    }
    assert schema(url) == schema(migrated(scratch()))

    from coachctl.store.models import Booking, Coach, Order

    open_database(url)
    jane = Coach.get(Coach.slug == "jane")
    assert (jane.name, jane.timezone, jane.headline) == (
        "Jane Doe",
        "Europe/London",
        "Leadership coach",
    )
    assert sorted(b.status for b in Booking.select()) == ["CANCELLED", "CONFIRMED", "CONFIRMED"]
    assert sorted(o.status for o in Order.select()) == ["PAID", "PAID", "PENDING", "REFUNDED"]
    assert Booking.get(Booking.customer_email == "ann@example.com").notes == "First time"
    db.close()


def test_init_on_an_up_to_date_database_changes_nothing(scratch, monkeypatch):
    url = migrated(scratch())
    monkeypatch.setenv("DATABASE_URL", url)
    open_database(url)
    generation = write_generation()
    assert migrate() == []
    assert write_generation() == generation
    db.close()

    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    assert write_generation() == generation


def test_a_database_newer_than_the_code_is_refused_and_left_alone(scratch, monkeypatch):
    url = migrated(scratch())
    open_database(url)
    db.execute_sql(
        "INSERT INTO \"schema_version\" VALUES (9999, 'from_the_future', '2030-01-01 00:00:00')"
    )
    db.close()
    before = _counts(url)
    monkeypatch.setenv("DATABASE_URL", url)
    for command in (["init"], ["serve", "--port", "1"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "newer than this coachctl" in lines[0], result.output
    assert _counts(url) == before


def test_an_unsupported_database_url_is_refused_in_one_line(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@127.0.0.1/coachctl")
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: unsupported database URL scheme 'mysql' in DATABASE_URL;"
        " use sqlite:///path.db or postgresql://user@host/db"
    ]


def test_an_unreachable_database_is_one_line_without_its_password(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://coach:s3cret@127.0.0.1:1/coachctl")
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "cannot reach the database at postgresql://coach:***@127.0.0.1:1/coachctl" in lines[0]
    assert "s3cret" not in result.output
