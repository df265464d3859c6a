"""Date overrides: a coach's windows for one local date, in place of that weekday's pattern."""

from coachctl.store.db import db, is_postgres


def apply() -> None:
    key = "SERIAL NOT NULL PRIMARY KEY" if is_postgres() else "INTEGER NOT NULL PRIMARY KEY"
    db.execute_sql(
        'CREATE TABLE "availability_override" ('
        f'"id" {key}, '
        '"coach_id" INTEGER NOT NULL, '
        '"day" DATE NOT NULL, '
        '"start" VARCHAR(5) NOT NULL, '
        '"end" VARCHAR(5) NOT NULL, '
        'FOREIGN KEY ("coach_id") REFERENCES "coach" ("id") ON DELETE CASCADE)'
    )
    db.execute_sql(
        'CREATE INDEX "availability_override_coach_id_day" '
        'ON "availability_override" ("coach_id", "day")'
    )
