"""The coach's report for a range of local days: the funnel from page view to purchase or
booking, revenue per currency, and the same figures per day, page, source and product.

Closed days are read from the daily rollups (made on first use); the days still open (today,
and yesterday for an hour) are counted from the raw events. Visitors are distinct per day (the
visitor id changes daily, see ``visitors``), so a range's visitors are the sum of its days'.
Revenue is net: purchases less the refunds made in the range, each in its own currency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from peewee import fn

from coachctl.engine import parse
from coachctl.engine.errors import Invalid, problems
from coachctl.engine.insights import rollups
from coachctl.store.models import AnalyticsDaily, Booking, Coach, Product, utcnow

COUNTS = {
    "views": "page_view",
    "cta_clicks": "cta_click",
    "outbound": "outbound",
    "checkouts": "checkout_started",
    "purchases": "purchase",
    "bookings": "booking_created",
    "cancellations": "booking_cancelled",
    "refunds": "refund",
    "enrolments": "enrolment",
}
MAX_DAYS = 3660
BREAKDOWNS = ("day", "page", "source", "product")


class Tally:
    """Events counted by type, page-view visitors, and amounts by type and currency."""

    def __init__(self) -> None:
        self.events: dict[str, int] = defaultdict(int)
        self.visitors = 0
        self.amounts: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, kind: str, currency: str, events: int, visitors: int, amount: int) -> None:
        self.events[kind] += int(events)
        if kind == "page_view":
            self.visitors += int(visitors)
        if currency:
            self.amounts[(kind, currency)] += int(amount)

    def _money(self, kind: str) -> dict[str, int]:
        return {cur: amount for (k, cur), amount in sorted(self.amounts.items()) if k == kind}

    def figures(self) -> dict[str, Any]:
        """The counts, visitors and money of this tally."""
        gross, refunded = self._money("purchase"), self._money("refund")
        revenue = {
            cur: gross.get(cur, 0) - refunded.get(cur, 0) for cur in sorted({*gross, *refunded})
        }
        data: dict[str, Any] = {name: self.events[kind] for name, kind in COUNTS.items()}
        data["visitors"] = self.visitors
        data.update(revenue=revenue, gross=gross, refunded=refunded)
        return data


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def conversion(figures: dict[str, Any]) -> dict[str, float | None]:
    """The funnel's step-to-step rates: view → checkout → purchase, and view → booking."""
    views, checkouts = figures["views"], figures["checkouts"]
    return {
        "view_to_checkout": _rate(checkouts, views),
        "checkout_to_purchase": _rate(figures["purchases"], checkouts),
        "view_to_purchase": _rate(figures["purchases"], views),
        "view_to_booking": _rate(figures["bookings"], views),
    }


def default_range(coach: Coach, now: datetime | None = None) -> tuple[date, date]:
    """The last 30 local days of ``coach``, today included."""
    today = (now or utcnow()).astimezone(ZoneInfo(coach.timezone)).date()
    return today - timedelta(days=29), today


def summary(
    coach: Coach, start: date | None = None, end: date | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Every figure of the report for the local days ``start`` to ``end`` (both included)."""
    now = now or utcnow()
    end = end or default_range(coach, now)[1]
    start = start or end - timedelta(days=29)
    problem = _range_problem(start, end)
    if problem:
        raise Invalid(problem, code="range")
    rolled = rollups.ensure(coach, start, end, now)
    total = Tally()
    days: dict[date, Tally] = defaultdict(Tally)
    groups: dict[tuple[str, str], Tally] = defaultdict(Tally)
    in_range = (AnalyticsDaily.coach == coach) & AnalyticsDaily.day.between(start, end)
    sums = (
        fn.SUM(AnalyticsDaily.events),
        fn.SUM(AnalyticsDaily.visitors),
        fn.SUM(AnalyticsDaily.amount_minor),
    )
    for day, kind, currency, *values in (
        AnalyticsDaily.select(
            AnalyticsDaily.day, AnalyticsDaily.type, AnalyticsDaily.currency, *sums
        )
        .where(in_range & (AnalyticsDaily.dim == "all"))
        .group_by(AnalyticsDaily.day, AnalyticsDaily.type, AnalyticsDaily.currency)
        .tuples()
    ):
        day = day if isinstance(day, date) else date.fromisoformat(day)
        days[day].add(kind, currency, *values)
        total.add(kind, currency, *values)
    for dim, key, kind, currency, *values in (
        AnalyticsDaily.select(
            AnalyticsDaily.dim,
            AnalyticsDaily.key,
            AnalyticsDaily.type,
            AnalyticsDaily.currency,
            *sums,
        )
        .where(in_range & (AnalyticsDaily.dim != "all"))
        .group_by(
            AnalyticsDaily.dim, AnalyticsDaily.key, AnalyticsDaily.type, AnalyticsDaily.currency
        )
        .tuples()
    ):
        groups[(dim, key)].add(kind, currency, *values)
    first = rollups.first_event_day(coach)
    today = now.astimezone(ZoneInfo(coach.timezone)).date()
    day = max(start, first) if first else end + timedelta(days=1)
    while day <= min(end, today):
        if day not in rolled:
            for row in rollups.count_day(coach, day):
                values = (row["events"], row["visitors"], row["amount_minor"])
                if row["dim"] == "all":
                    days[day].add(row["type"], row["currency"], *values)
                    total.add(row["type"], row["currency"], *values)
                else:
                    groups[(row["dim"], row["key"])].add(row["type"], row["currency"], *values)
        day += timedelta(days=1)
    figures = total.figures()
    return {
        "coach": coach.slug,
        "timezone": coach.timezone,
        "from": start.isoformat(),
        "to": end.isoformat(),
        **figures,
        "conversion": conversion(figures),
        **outcomes(coach, start, end),
        "days": [
            {
                "day": (start + timedelta(days=n)).isoformat(),
                **days[start + timedelta(days=n)].figures(),
            }
            for n in range((end - start).days + 1)
        ],
        "pages": _ranked(groups, "page", "path", "views"),
        "sources": _ranked(groups, "source", "source", "views"),
        "products": _products(groups),
    }


def _range_problem(start: date, end: date) -> str | None:
    if start > end:
        return "the report's start date is after its end date"
    if (end - start).days >= MAX_DAYS:
        return f"a report covers at most {MAX_DAYS} days"
    return None


def range_problems(values: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with a typed range of days (``start``, ``end``), field by field, in the
    words ``summary`` would refuse it with; empty when it can be reported."""
    found = problems({key: partial(parse.day, values.get(key, "")) for key in ("start", "end")})
    if not found:
        problem = _range_problem(parse.day(values["start"]), parse.day(values["end"]))
        if problem:
            found["end"] = problem
    return found


def outcomes(coach: Coach, start: date, end: date) -> dict[str, int]:
    """How the sessions that started on the local days ``start`` to ``end`` went: held
    (``completed``) or missed (``no_shows``), as the coach or the worker recorded them."""
    zone = ZoneInfo(coach.timezone)
    begin = datetime.combine(start, time(), zone)
    finish = datetime.combine(end + timedelta(days=1), time(), zone)
    counted = dict(
        Booking.select(Booking.status, fn.COUNT(Booking.id))
        .where(
            (Booking.coach == coach)
            & (Booking.start >= begin)
            & (Booking.start < finish)
            & Booking.status.in_(("COMPLETED", "NO_SHOW"))
        )
        .group_by(Booking.status)
        .tuples()
    )
    return {"completed": counted.get("COMPLETED", 0), "no_shows": counted.get("NO_SHOW", 0)}


def _ranked(
    groups: dict[tuple[str, str], Tally], dim: str, label: str, by: str
) -> list[dict[str, Any]]:
    rows = [
        {label: key, **tally.figures()}
        for (found, key), tally in groups.items()
        if found == dim and key
    ]
    return sorted(rows, key=lambda row: (-row[by], row[label]))


def _products(groups: dict[tuple[str, str], Tally]) -> list[dict[str, Any]]:
    rows = _ranked(groups, "product", "product", "purchases")
    titles = (
        dict(
            Product.select(Product.id, Product.title)
            .where(Product.id.in_([int(row["product"]) for row in rows]))
            .tuples()
        )
        if rows
        else {}
    )
    for row in rows:
        row["product"] = int(row["product"])
        row["title"] = titles.get(row["product"], "")
    return rows
