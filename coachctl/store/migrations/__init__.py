"""Numbered schema steps; ``migrate()`` applies the ones the ``schema_version`` table lacks.

Each step ``mNNNN_name`` is frozen history: it holds its own DDL and never reads the live models,
so a database built fresh and one upgraded from any release end up identical.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from coachctl.store.db import StoreError, db, is_postgres, write_transaction
from coachctl.store.models import SchemaVersion, utcnow

Step = tuple[int, str, Callable[[], None]]

SCHEMA_VERSION_DDL = (
    'CREATE TABLE IF NOT EXISTS "schema_version" ("version" INTEGER NOT NULL PRIMARY KEY,'
    ' "name" VARCHAR(255) NOT NULL, "applied_at" {instant} NOT NULL)'
)


class SchemaTooNew(StoreError):
    """The database was upgraded by a newer coachctl than this one."""


def steps() -> list[Step]:
    """Every migration module ``mNNNN_name`` in this package, in order."""
    found: list[Step] = []
    for info in pkgutil.iter_modules(__path__):
        if not (info.name.startswith("m") and info.name[1:5].isdigit()):
            continue
        number, _, name = info.name[1:].partition("_")
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append((int(number), name, module.apply))
    return sorted(found)


def applied_versions() -> set[int]:
    """The versions recorded in ``schema_version`` (empty on a new database)."""
    if not db.table_exists("schema_version"):
        return set()
    return {row.version for row in SchemaVersion.select(SchemaVersion.version)}


def pending_steps() -> list[Step]:
    """The steps this database still needs; refuses a database newer than this code."""
    applied = applied_versions()
    known = steps()
    unknown = sorted(applied - {version for version, _, _ in known})
    if unknown:
        raise SchemaTooNew(
            f"the database has schema version {unknown[-1]}, newer than this coachctl knows"
            f" ({known[-1][0]}); upgrade coachctl, it never downgrades a database"
        )
    return [step for step in known if step[0] not in applied]


def migrate() -> list[str]:
    """Apply the missing steps, each in its own transaction; return the names applied.

    On an up-to-date database this only reads.
    """
    todo = pending_steps()
    if not todo:
        return []
    db.execute_sql(SCHEMA_VERSION_DDL.format(instant="TIMESTAMP" if is_postgres() else "DATETIME"))
    done: list[str] = []
    for version, name, apply in todo:
        with write_transaction(lock_key=0):
            if SchemaVersion.get_or_none(SchemaVersion.version == version):
                continue
            apply()
            SchemaVersion.create(version=version, name=name, applied_at=utcnow())
            done.append(f"{version:04d}_{name}")
    return done
