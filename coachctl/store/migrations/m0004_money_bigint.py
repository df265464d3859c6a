"""Money columns hold 64-bit minor units: prices past 2^31 cents no longer overflow PostgreSQL.

SQLite's INTEGER is already 64-bit, so there this step changes nothing.
"""

from coachctl.store.db import db, is_postgres

MONEY_COLUMNS = (
    ("booking_type", "price_minor"),
    ("product", "price_minor"),
    ("order", "amount_minor"),
    ("analytics_event", "amount_minor"),
)


def apply() -> None:
    if not is_postgres():
        return
    for table, column in MONEY_COLUMNS:
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE BIGINT')
