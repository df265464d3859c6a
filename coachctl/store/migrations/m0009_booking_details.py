"""Where a session happens and what the client is asked: a type's location and intake questions,
and a booking's own location, phone number and answers."""

from coachctl.store.db import db

COLUMNS = (
    ("booking_type", "location", "VARCHAR(500) NOT NULL DEFAULT ''"),
    ("booking_type", "questions", "TEXT NOT NULL DEFAULT '[]'"),
    ("booking", "location", "VARCHAR(500) NOT NULL DEFAULT ''"),
    ("booking", "customer_phone", "VARCHAR(40) NOT NULL DEFAULT ''"),
    ("booking", "answers", "TEXT NOT NULL DEFAULT '{}'"),
)


def apply() -> None:
    for table, column, kind in COLUMNS:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind}')
