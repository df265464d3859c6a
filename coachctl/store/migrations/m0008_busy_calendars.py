"""The coach's own calendars (ICS feeds and CalDAV) and the busy intervals synced from them."""

from coachctl.store.db import db, is_postgres


def apply() -> None:
    key = "SERIAL NOT NULL PRIMARY KEY" if is_postgres() else "INTEGER NOT NULL PRIMARY KEY"
    stamp = "TIMESTAMP" if is_postgres() else "DATETIME"
    flag = "BOOLEAN" if is_postgres() else "INTEGER"
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "busy_calendar" ('
        f'"id" {key}, '
        '"coach_id" INTEGER NOT NULL REFERENCES "coach" ("id") ON DELETE CASCADE, '
        '"name" VARCHAR(120) NOT NULL, '
        '"kind" VARCHAR(8) NOT NULL, '
        '"url" TEXT NOT NULL, '
        '"username" VARCHAR(254) NOT NULL, '
        f'"all_day_busy" {flag} NOT NULL, '
        '"etag" VARCHAR(255) NOT NULL, '
        '"last_modified" VARCHAR(64) NOT NULL, '
        f'"synced_at" {stamp}, '
        f'"fetched_at" {stamp}, '
        '"last_error" TEXT NOT NULL, '
        f'"created_at" {stamp} NOT NULL)'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "busy_calendar_coach_id" ON "busy_calendar" ("coach_id")'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "busy_interval" ('
        f'"id" {key}, '
        '"calendar_id" INTEGER NOT NULL REFERENCES "busy_calendar" ("id") ON DELETE CASCADE, '
        '"coach_id" INTEGER NOT NULL REFERENCES "coach" ("id") ON DELETE CASCADE, '
        f'"start" {stamp} NOT NULL, '
        f'"end" {stamp} NOT NULL, '
        f'"all_day" {flag} NOT NULL)'
    )
    for name, columns in (
        ("busy_interval_calendar_id", '"calendar_id"'),
        ("busy_interval_coach_id", '"coach_id"'),
        ("busy_interval_coach_id_start", '"coach_id", "start"'),
    ):
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "busy_interval" ({columns})')
