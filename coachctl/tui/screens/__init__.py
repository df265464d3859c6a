"""The console's screens, in the order of their keys 1–7."""

from __future__ import annotations

from coachctl.tui.screens.agenda import Agenda
from coachctl.tui.screens.availability import Availability
from coachctl.tui.screens.catalog import Catalog

SECTIONS = (Agenda, Availability, Catalog)
