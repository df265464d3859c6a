"""Reports: the funnel as bars, daily views as a sparkline, revenue per currency, and how sessions
went, for the last 7, 30 or 90 days or a range the coach types."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, Sparkline, Static

from coachctl.store.models import Coach
from coachctl.tui.forms import Field, Form, Values
from coachctl.tui.section import Section

FUNNEL = (
    ("views", "Page views"),
    ("cta_clicks", "Book or Buy clicks"),
    ("checkouts", "Checkouts started"),
    ("purchases", "Purchases"),
    ("bookings", "Bookings"),
)
BAR = 30  # the widest funnel bar, in cells


def funnel_text(figures: dict[str, Any]) -> Text:
    """The funnel as one bar per step, with each step's share of the one before (bookings: of
    the views)."""
    top = max([figures[name] for name, _ in FUNNEL] + [1])
    text = Text()
    for index, (name, label) in enumerate(FUNNEL):
        count = figures[name]
        base = figures["views"] if name == "bookings" else figures[FUNNEL[index - 1][0]]
        share = f" {count / base:.0%}" if index and base else ""
        text.append(f"{label:<19}{count:>6} ")
        text.append("█" * round(BAR * count / top), style="cyan")
        text.append(f"{share}\n", style="dim")
    return text


class Reports(Section):
    """The analytics report of a range of the coach's local days."""

    NAME = "reports"
    KEY = "6"
    TITLE = "Reports"
    HELP = "Funnel, daily views, revenue; last 7/30/90 days or a custom range"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("w", "last(7)", "7 days"),
        ("m", "last(30)", "30 days"),
        ("g", "last(90)", "90 days"),
        ("c", "custom", "Custom"),
    ]
    days = 30
    start: date | None = None
    end: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(can_focus=False):
            yield Label("Report", classes="pane-title", id="report-title")
            yield Static(id="funnel")
            yield Label("Daily views", classes="pane-title")
            yield Sparkline([], id="views")
            yield Static(id="money")
        yield Footer()

    def read(self, coach: Coach, now: datetime) -> dict[str, Any]:
        from coachctl.engine.insights import report

        if self.start and self.end:
            return report.summary(coach, self.start, self.end, now=now)
        end = report.default_range(coach, now)[1]
        return report.summary(coach, end - timedelta(days=self.days - 1), end, now=now)

    def show(self, data: dict[str, Any]) -> None:
        from coachctl.engine.commerce.money import Money

        self.query_one("#report-title", Label).update(
            f"{data['from']} to {data['to']} ({data['timezone']}) · {data['visitors']} visitors"
        )
        self.query_one("#funnel", Static).update(funnel_text(data))
        self.query_one("#views", Sparkline).data = [day["views"] for day in data["days"]]
        revenue = ", ".join(Money(v, c).display() for c, v in data["revenue"].items()) or "none"
        self.query_one("#money", Static).update(
            f"Revenue (net of refunds): {revenue}\n"
            f"Refunds {data['refunds']} · cancellations {data['cancellations']} · "
            f"sessions held {data['completed']} · no-shows {data['no_shows']} · "
            f"enrolments {data['enrolments']}"
        )

    def action_last(self, days: int) -> None:
        self.days, self.start, self.end = days, None, None
        self.reload()

    def action_custom(self) -> None:
        from coachctl.engine.insights.report import range_problems

        fields = [
            Field("start", "From (YYYY-MM-DD)", str(self.start) if self.start else ""),
            Field("end", "To (YYYY-MM-DD)", str(self.end) if self.end else ""),
        ]

        def chosen(values: Values | None) -> None:
            if values is not None:
                self.start = date.fromisoformat(values["start"])
                self.end = date.fromisoformat(values["end"])
                self.reload()

        self.app.push_screen(Form("Report for the days", fields, range_problems), chosen)
