"""Column types: UTC instants stored naive at second precision, JSON text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from peewee import DateTimeField, TextField


class UTCDateTimeField(DateTimeField):
    """An aware instant, stored as naive UTC to the second so text columns sort correctly."""

    def db_value(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC instant")
        # isoformat pads every year to four digits (strftime's %Y does not on every platform)
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")

    def python_value(self, value: Any) -> datetime | None:
        parsed = super().python_value(value)
        if parsed is None:
            return None
        if isinstance(parsed, str):
            parsed = datetime.fromisoformat(parsed)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class JSONField(TextField):
    """A JSON document kept as text on both backends."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, sort_keys=True)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)
