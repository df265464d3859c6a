"""The console's screens, in the order of their keys."""

from __future__ import annotations

from coachctl.tui.screens.agenda import Agenda
from coachctl.tui.screens.availability import Availability
from coachctl.tui.screens.catalog import Catalog
from coachctl.tui.screens.courses import Courses
from coachctl.tui.screens.orders import Orders
from coachctl.tui.screens.outbox import Outbox
from coachctl.tui.screens.reports import Reports

SECTIONS = (Agenda, Availability, Catalog, Orders, Courses, Reports, Outbox)
