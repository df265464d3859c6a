"""Analytics: where an event came from (source, UTM, country) and its product, daily rollups with
the days they cover, and the daily salts of visitor hashes."""

from coachctl.store.db import db, is_postgres


def apply() -> None:
    pg = is_postgres()
    key = "SERIAL NOT NULL PRIMARY KEY" if pg else "INTEGER NOT NULL PRIMARY KEY"
    stamp = "TIMESTAMP" if pg else "DATETIME"
    big = "BIGINT" if pg else "INTEGER"
    for column, kind in (
        ("source", "VARCHAR(200) NOT NULL DEFAULT ''"),
        ("utm_source", "VARCHAR(100) NOT NULL DEFAULT ''"),
        ("utm_medium", "VARCHAR(100) NOT NULL DEFAULT ''"),
        ("utm_campaign", "VARCHAR(100) NOT NULL DEFAULT ''"),
        ("country", "VARCHAR(2) NOT NULL DEFAULT ''"),
        ("product_id", 'INTEGER REFERENCES "product" ("id") ON DELETE SET NULL'),
    ):
        db.execute_sql(f'ALTER TABLE "analytics_event" ADD COLUMN "{column}" {kind}')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "analytics_event_product_id"'
        ' ON "analytics_event" ("product_id")'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "analytics_daily" ('
        f'"id" {key}, '
        '"coach_id" INTEGER NOT NULL REFERENCES "coach" ("id") ON DELETE CASCADE, '
        '"day" DATE NOT NULL, '
        '"dim" VARCHAR(8) NOT NULL, '
        '"key" VARCHAR(500) NOT NULL, '
        '"type" VARCHAR(24) NOT NULL, '
        '"currency" VARCHAR(3) NOT NULL, '
        '"events" INTEGER NOT NULL, '
        '"visitors" INTEGER NOT NULL, '
        f'"amount_minor" {big} NOT NULL)'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "analytics_daily_coach_id" ON "analytics_daily" ("coach_id")'
    )
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "analytics_daily_coach_id_day_dim_key_type_currency"'
        ' ON "analytics_daily" ("coach_id", "day", "dim", "key", "type", "currency")'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "analytics_day" ('
        f'"id" {key}, '
        '"coach_id" INTEGER NOT NULL REFERENCES "coach" ("id") ON DELETE CASCADE, '
        '"day" DATE NOT NULL, '
        f'"rolled_at" {stamp} NOT NULL)'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "analytics_day_coach_id" ON "analytics_day" ("coach_id")'
    )
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "analytics_day_coach_id_day"'
        ' ON "analytics_day" ("coach_id", "day")'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "analytics_salt" ('
        f'"id" {key}, '
        '"day" DATE NOT NULL, '
        '"salt" VARCHAR(64) NOT NULL)'
    )
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "analytics_salt_day" ON "analytics_salt" ("day")'
    )
