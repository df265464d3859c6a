"""The report against a hand-counted fixture: refunds, cancellations, two currencies, and a zone
(New York, UTC-5 in January) whose day boundary is not UTC's."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from coachctl.cli.main import app
from coachctl.engine import tracking
from coachctl.engine.coaches import create_coach
from coachctl.engine.commerce.catalog import create_product
from coachctl.engine.commerce.money import Money
from coachctl.engine.insights import report, rollups
from coachctl.engine.tokens import create_token
from coachctl.store.models import AnalyticsDay, AnalyticsEvent
from tests.conftest import utc

LATER = utc(2026, 2, 1)


@pytest.fixture
def ny(store):
    coach = create_coach("nyc", "Nia York", "America/New_York")
    product = create_product(coach, "Workbook", Money(4900, "EUR"))

    def event(at, kind, visitor="", path="", source="", amount=None, currency=None, product=None):
        AnalyticsEvent.create(
            coach=coach,
            type=kind,
            occurred_at=at,
            visitor=visitor,
            path=path,
            source=source,
            amount_minor=amount,
            currency=currency,
            product=product,
        )

    event(utc(2026, 1, 10, 4, 0), "page_view", "z", "/nyc")  # local Jan 9: outside
    event(utc(2026, 1, 10, 23, 30), "page_view", "a", "/nyc", "x.com")
    event(utc(2026, 1, 11, 3, 0), "page_view", "a", "/nyc")  # UTC Jan 11, local Jan 10
    event(utc(2026, 1, 11, 4, 59), "page_view", "b", "/nyc/about", "x.com")
    event(utc(2026, 1, 11, 5, 0), "page_view", "a", "/nyc", "newsletter")  # local Jan 11
    event(utc(2026, 1, 11, 6, 0), "cta_click", "a", "/nyc")
    event(utc(2026, 1, 11, 6, 1), "checkout_started", amount=4900, currency="EUR", product=product)
    event(utc(2026, 1, 11, 6, 2), "purchase", amount=4900, currency="EUR", product=product)
    event(utc(2026, 1, 10, 15, 0), "checkout_started", amount=10000, currency="USD")
    event(utc(2026, 1, 10, 15, 5), "purchase", amount=10000, currency="USD")
    event(utc(2026, 1, 11, 4, 0), "refund", amount=2500, currency="USD")  # local Jan 10
    event(utc(2026, 1, 10, 12, 0), "booking_created")
    event(utc(2026, 1, 11, 12, 0), "booking_created")
    event(utc(2026, 1, 11, 13, 0), "booking_cancelled")
    event(utc(2026, 1, 12, 5, 30), "page_view", "c", "/nyc")  # local Jan 12: outside
    return coach, product


def test_figures_match_the_hand_count(ny):
    coach, product = ny
    data = report.summary(coach, date(2026, 1, 10), date(2026, 1, 11), now=LATER)
    assert {k: data[k] for k in ("views", "visitors", "cta_clicks", "checkouts", "purchases")} == {
        "views": 4,
        "visitors": 3,
        "cta_clicks": 1,
        "checkouts": 2,
        "purchases": 2,
    }
    assert (data["bookings"], data["cancellations"], data["refunds"]) == (2, 1, 1)
    assert data["revenue"] == {"EUR": 4900, "USD": 7500}
    assert data["gross"] == {"EUR": 4900, "USD": 10000} and data["refunded"] == {"USD": 2500}
    assert data["conversion"] == {
        "view_to_checkout": 0.5,
        "checkout_to_purchase": 1.0,
        "view_to_purchase": 0.5,
        "view_to_booking": 0.5,
    }
    days = {d["day"]: (d["views"], d["visitors"], d["revenue"]) for d in data["days"]}
    assert days == {"2026-01-10": (3, 2, {"USD": 7500}), "2026-01-11": (1, 1, {"EUR": 4900})}
    pages = {p["path"]: (p["views"], p["visitors"]) for p in data["pages"]}
    assert pages == {"/nyc": (3, 2), "/nyc/about": (1, 1)}
    sources = {s["source"]: s["views"] for s in data["sources"]}
    assert sources == {"x.com": 2, "newsletter": 1}
    [sold] = data["products"]
    assert (sold["product"], sold["title"], sold["purchases"], sold["revenue"]) == (
        product.id,
        "Workbook",
        1,
        {"EUR": 4900},
    )


def test_open_days_counted_raw_equal_the_rollups(ny):
    coach, _ = ny
    raw = report.summary(coach, date(2026, 1, 10), date(2026, 1, 11), now=utc(2026, 1, 12, 5, 30))
    assert AnalyticsDay.select().count() == 1, "Jan 11 ended 30 minutes ago: still open"
    rolled = report.summary(coach, date(2026, 1, 10), date(2026, 1, 11), now=LATER)
    assert AnalyticsDay.select().count() == 2
    assert raw == rolled


def test_prune_keeps_the_counts_and_rebuild_changes_nothing(ny, settings):
    coach, _ = ny
    before = report.summary(coach, date(2026, 1, 1), date(2026, 1, 31), now=LATER)
    assert rollups.prune(settings, now=utc(2026, 6, 1)) == 15
    assert AnalyticsEvent.select().count() == 0
    assert rollups.rebuild(coach, now=utc(2026, 6, 1)) == 0
    assert report.summary(coach, date(2026, 1, 1), date(2026, 1, 31), now=LATER) == before


def test_the_api_and_the_cli_give_identical_figures(ny, client):
    coach, _ = ny
    token = create_token(coach, "report")[1]
    api = client.get(
        "/api/analytics/summary?from=2026-01-10&to=2026-01-11",
        headers={"Authorization": f"Bearer {token}"},
    ).json
    result = CliRunner().invoke(
        app, ["report", "--coach", "nyc", "--from", "2026-01-10", "--to", "2026-01-11", "--json"]
    )
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert cli == api
    assert {"views", "visitors", "cta_clicks", "checkouts", "purchases", "bookings"} <= set(cli)
    assert cli["revenue"] == {"EUR": 4900, "USD": 7500}


def test_the_summary_needs_a_token(ny, client):
    assert client.get("/api/analytics/summary", status=401).json["error"]["code"]


def test_the_terminal_report_and_csv(ny):
    runner = CliRunner()
    args = ["report", "--coach", "nyc", "--from", "2026-01-10", "--to", "2026-01-11"]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0 and "Page views" in shown.output and "Purchases" in shown.output
    rows = runner.invoke(app, [*args, "--csv", "--by", "source"]).output.splitlines()
    assert rows[0].startswith("source,views,visitors") and rows[1].startswith("x.com,2,")
    bad = runner.invoke(app, [*args, "--by", "week"])
    assert bad.exit_code == 2


def test_the_engine_counts_a_booking_and_its_cancellation(coach, settings):
    from coachctl.engine.scheduling import bookings
    from tests.support import days_ahead_at, open_every_day

    kind = open_every_day(coach)
    customer = bookings.Customer("Ann Client", "ann@example.com")
    booking = bookings.create_booking(
        coach, kind, days_ahead_at(2, 10), customer, settings=settings
    )
    bookings.cancel_booking(booking, settings=settings)
    kinds = [e.type for e in AnalyticsEvent.select().order_by(AnalyticsEvent.id)]
    assert kinds == ["booking_created", "booking_cancelled"]
    with pytest.raises(ValueError):
        tracking.record(coach, "page_view")


def test_the_worker_prunes_past_the_retention_and_the_figures_stay(ny, settings):
    from coachctl.engine.housekeeping import run_housekeeping

    coach, _ = ny
    before = report.summary(coach, date(2026, 1, 1), date(2026, 1, 31), now=LATER)
    assert run_housekeeping(settings, now=utc(2026, 6, 1)).events_pruned == 15
    assert run_housekeeping(settings, now=utc(2026, 6, 1)).events_pruned == 0
    assert report.summary(coach, date(2026, 1, 1), date(2026, 1, 31), now=LATER) == before
