"""What a product delivers: a stored file (by content hash) or a link, and its image."""

from coachctl.store.db import db, is_postgres

COLUMNS = (
    ("file_sha256", "VARCHAR(64) NOT NULL DEFAULT ''"),
    ("file_name", "VARCHAR(200) NOT NULL DEFAULT ''"),
    ("file_type", "VARCHAR(100) NOT NULL DEFAULT ''"),
    ("file_size", "{big} NOT NULL DEFAULT 0"),
    ("delivery_url", "VARCHAR(500) NOT NULL DEFAULT ''"),
    ("image", "VARCHAR(500) NOT NULL DEFAULT ''"),
)


def apply() -> None:
    big = "BIGINT" if is_postgres() else "INTEGER"
    for column, kind in COLUMNS:
        db.execute_sql(f'ALTER TABLE "product" ADD COLUMN "{column}" {kind.format(big=big)}')
