"""Money rules: a type's late-cancellation refund, refunds recorded one by one against their
order, and coupons with the redemptions fulfilled orders made."""

from coachctl.store.db import db, is_postgres


def apply() -> None:
    pg = is_postgres()
    key = "SERIAL NOT NULL PRIMARY KEY" if pg else "INTEGER NOT NULL PRIMARY KEY"
    stamp = "TIMESTAMP" if pg else "DATETIME"
    flag = "BOOLEAN" if pg else "INTEGER"
    big = "BIGINT" if pg else "INTEGER"
    db.execute_sql(
        'ALTER TABLE "booking_type" ADD COLUMN "late_refund_percent" INTEGER NOT NULL DEFAULT 0'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "coupon" ('
        f'"id" {key}, '
        '"coach_id" INTEGER NOT NULL REFERENCES "coach" ("id") ON DELETE CASCADE, '
        '"code" VARCHAR(40) NOT NULL, '
        '"percent_off" INTEGER, '
        f'"amount_off" {big}, '
        '"currency" VARCHAR(3), '
        '"products" TEXT NOT NULL, '
        '"booking_types" TEXT NOT NULL, '
        f'"expires_at" {stamp}, '
        '"max_redemptions" INTEGER, '
        f'"once_per_customer" {flag} NOT NULL, '
        f'"active" {flag} NOT NULL, '
        '"stripe_coupon_id" VARCHAR(64), '
        f'"created_at" {stamp} NOT NULL)'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "coupon_coach_id" ON "coupon" ("coach_id")')
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "coupon_coach_id_code" ON "coupon" ("coach_id", "code")'
    )
    for column, kind in (
        ("refunded_minor", f"{big} NOT NULL DEFAULT 0"),
        ("discount_minor", f"{big} NOT NULL DEFAULT 0"),
        ("coupon_id", 'INTEGER REFERENCES "coupon" ("id") ON DELETE SET NULL'),
    ):
        db.execute_sql(f'ALTER TABLE "order" ADD COLUMN "{column}" {kind}')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "order_coupon_id" ON "order" ("coupon_id")')
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "coupon_redemption" ('
        f'"id" {key}, '
        '"coupon_id" INTEGER NOT NULL REFERENCES "coupon" ("id") ON DELETE CASCADE, '
        '"order_id" INTEGER NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE, '
        '"customer_email" VARCHAR(254) NOT NULL, '
        f'"discount_minor" {big} NOT NULL, '
        f'"created_at" {stamp} NOT NULL)'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "coupon_redemption_coupon_id"'
        ' ON "coupon_redemption" ("coupon_id")'
    )
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "coupon_redemption_order_id"'
        ' ON "coupon_redemption" ("order_id")'
    )
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "refund" ('
        f'"id" {key}, '
        '"order_id" INTEGER NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE, '
        f'"amount_minor" {big} NOT NULL, '
        '"reason" VARCHAR(20) NOT NULL, '
        '"request_key" VARCHAR(64) NOT NULL, '
        '"status" VARCHAR(10) NOT NULL, '
        '"provider_refund_id" VARCHAR(255), '
        '"last_error" TEXT NOT NULL, '
        f'"created_at" {stamp} NOT NULL, '
        f'"confirmed_at" {stamp})'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "refund_order_id" ON "refund" ("order_id")')
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "refund_request_key" ON "refund" ("request_key")'
    )
