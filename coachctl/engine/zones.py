"""Time zones a visitor picks from: each zone once (tzdata's ``zone.tab``, no deprecated
aliases), labelled with its UTC offset on the dates shown, and found from what a visitor typed."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time
from functools import lru_cache
from importlib import resources
from pathlib import Path

from coachctl.engine.parse import nearest_zone


@lru_cache(maxsize=1)
def _zone_tab() -> str:
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for folder in zoneinfo.TZPATH:
            path = Path(folder) / "zone.tab"
            if path.is_file():
                return path.read_text("utf-8")
    return ""


@lru_cache(maxsize=1)
def listed_zones() -> tuple[str, ...]:
    """Every zone a visitor may pick, once each, sorted; UTC included."""
    names = {
        line.split("\t")[2]
        for line in _zone_tab().splitlines()
        if line and not line.startswith("#") and line.count("\t") >= 2
    }
    known = zoneinfo.available_timezones()
    return tuple(sorted((names & known) | {"UTC"}))


def offset(zone: str, on: date) -> str:
    """The zone's offset from UTC at noon on ``on``: ``UTC+01:00``, ``UTC−05:00``, ``UTC``."""
    moment = datetime.combine(on, time(12), tzinfo=UTC).astimezone(zoneinfo.ZoneInfo(zone))
    delta = moment.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta else 0
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def label(zone: str, on: date) -> str:
    """How the picker shows a zone: ``America/New York (UTC−05:00)``."""
    return f"{zone.replace('_', ' ')} ({offset(zone, on)})"


@lru_cache(maxsize=32)
def choices(on: date) -> tuple[tuple[str, str], ...]:
    """(zone, label) for every listed zone, offsets as on ``on``."""
    return tuple((zone, label(zone, on)) for zone in listed_zones())


def find(asked: str) -> str | None:
    """The zone a visitor meant: an exact IANA name (aliases still work), a label from the
    picker, or the nearest name to what they typed (``new york``); None when nothing is close."""
    text = (asked or "").strip()
    if not text or len(text) > 80:
        return None
    name = text.split(" (UTC", 1)[0].strip()
    for candidate in (name, name.replace(" ", "_")):
        if candidate in zoneinfo.available_timezones():
            return candidate
    return nearest_zone(name)
