"""Running a frozen migration's DDL: one script per backend, split into statements."""

from coachctl.store.db import db, is_postgres


def run_ddl(*, sqlite: str, postgres: str) -> None:
    """Execute each ``;``-terminated statement of the script for the database in use."""
    script = postgres if is_postgres() else sqlite
    for statement in script.split(";"):
        if statement.strip():
            db.execute_sql(statement.strip())
