"""Numbered schema steps; ``migrate()`` applies the ones the ``schema_version`` table lacks."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from coachctl.store.db import db, write_transaction
from coachctl.store.models import SchemaVersion

Step = tuple[int, str, Callable[[], None]]


def steps() -> list[Step]:
    """Every migration module ``mNNNN_name`` in this package, in order."""
    found: list[Step] = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("m"):
            continue
        number, _, name = info.name[1:].partition("_")
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append((int(number), name, module.apply))
    return sorted(found)


def applied_versions() -> set[int]:
    """The versions recorded in ``schema_version`` (empty on a new database)."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return set()
    return {row.version for row in SchemaVersion.select(SchemaVersion.version)}


def migrate() -> list[str]:
    """Apply the missing steps, each in its own transaction; return the names applied."""
    db.create_tables([SchemaVersion], safe=True)
    done: list[str] = []
    for version, name, apply in steps():
        with write_transaction(lock_key=0):
            if SchemaVersion.get_or_none(SchemaVersion.version == version):
                continue
            apply()
            SchemaVersion.create(version=version, name=name)
            done.append(f"{version:04d}_{name}")
    return done
