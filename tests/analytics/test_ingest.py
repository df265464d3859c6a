"""Ingest: what a browser may send, what is refused or dropped, and what is never stored."""

from __future__ import annotations

import json
from datetime import date

import pytest

from coachctl.engine.insights.visitors import daily_salt, visitor_id
from coachctl.engine.tracking import TRUSTED
from coachctl.store.models import ALL_MODELS, AnalyticsEvent, AnalyticsSalt
from tests.analytics.conftest import BROWSER

URL = "/api/analytics/events"


def stored(events) -> list[AnalyticsEvent]:
    events.flush()
    return list(AnalyticsEvent.select().order_by(AnalyticsEvent.id))


def test_one_event_sent_as_a_beacon_is_accepted_and_written_on_flush(web, events):
    body = {
        "coach": "jane",
        "type": "cta_click",
        "path": "/jane",
        "referrer": "https://www.x.com/a",
    }
    answer = web.post(URL, json.dumps(body), content_type="text/plain;charset=UTF-8", status=202)
    assert answer.json == {"accepted": 1}
    assert events.pending() == 1 and AnalyticsEvent.select().count() == 0
    [event] = stored(events)
    assert (event.type, event.path, event.referrer, event.source) == (
        "cta_click",
        "/jane",
        "x.com",
        "x.com",
    )
    assert len(event.visitor) == 32


def test_a_batch_of_100_is_accepted_and_101_refused(web, events):
    event = {"coach": "jane", "type": "outbound", "path": "/jane"}
    web.post_json(URL, {"events": [event] * 100}, status=202)
    answer = web.post_json(URL, {"events": [event] * 101}, status=413)
    assert answer.json["error"]["code"] == "too_large"
    assert len(stored(events)) == 100


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("not json", 422, "bad_json"),
        ([1, 2], 422, "bad_json"),
        ({"coach": "jane", "type": "hover", "path": "/jane"}, 422, "type"),
        ({"coach": "nobody", "type": "page_view", "path": "/x"}, 422, "coach"),
        ({"coach": "jane", "type": "page_view", "path": "jane"}, 422, "path"),
        ({"coach": "jane", "type": "page_view", "path": "/jane", "utm_source": 3}, 422, "bad_type"),
        ({"coach": "jane", "type": "cta_click", "path": "/jane", "product": "7"}, 422, "product"),
        ({"events": []}, 422, "bad_event"),
        ({"events": [{"coach": "jane", "type": "page_view", "path": "/j"}, 5]}, 422, "bad_event"),
    ],
)
def test_malformed_events_are_refused_and_nothing_is_written(web, events, body, status, code):
    raw = body if isinstance(body, str) else json.dumps(body)
    answer = web.post(URL, raw, content_type="application/json", status=status)
    assert answer.json["error"]["code"] == code
    assert stored(events) == []


@pytest.mark.parametrize("kind", TRUSTED)
def test_trusted_types_cannot_be_forged(web, events, kind):
    good = {"coach": "jane", "type": "page_view", "path": "/jane"}
    forged = {"coach": "jane", "type": kind, "path": "/jane"}
    assert web.post_json(URL, forged, status=403).json["error"]["code"] == "trusted_type"
    web.post_json(URL, {"events": [good, forged]}, status=403)
    assert stored(events) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"User-Agent": "python-requests/2.31"},
        {"User-Agent": ""},
        {"User-Agent": BROWSER, "Sec-Purpose": "prefetch"},
    ],
)
def test_bots_and_prefetches_are_dropped_silently(web, events, headers):
    body = {"coach": "jane", "type": "cta_click", "path": "/jane"}
    assert web.post_json(URL, body, headers=headers, status=202).json == {"accepted": 0}
    web.get("/jane", headers=headers)
    assert stored(events) == []


def test_the_server_counts_a_page_view_with_its_source_and_tags(web, events):
    web.get(
        "/jane?utm_source=Newsletter&utm_medium=email&utm_campaign=spring",
        headers={"Referer": "https://mail.example.org/inbox?id=secret", "CF-IPCountry": "se"},
    )
    [view] = stored(events)
    assert (view.type, view.path, view.referrer, view.source, view.country) == (
        "page_view",
        "/jane",
        "mail.example.org",
        "newsletter",
        "SE",
    )
    assert (view.utm_medium, view.utm_campaign) == ("email", "spring")


def test_a_revalidated_page_is_a_304_and_still_a_view(web, events):
    first = web.get("/jane")
    again = web.get("/jane", headers={"If-None-Match": first.headers["ETag"]}, status=304)
    assert again.body == b""
    views = stored(events)
    assert len(views) == 2 and views[0].visitor == views[1].visitor


def test_visitor_ids_differ_across_days_and_coaches(store):
    monday, tuesday = daily_salt(date(2027, 3, 1)), daily_salt(date(2027, 3, 2))
    assert AnalyticsSalt.select().count() == 1, "yesterday's salt is deleted"
    same = ("203.0.113.77", BROWSER)
    assert visitor_id(monday, 1, *same) != visitor_id(tuesday, 1, *same)
    assert visitor_id(tuesday, 1, *same) != visitor_id(tuesday, 2, *same)
    assert visitor_id(tuesday, 1, *same) == visitor_id(tuesday, 1, *same)


def test_no_ip_address_is_stored_anywhere(web, events):
    web.get("/jane", headers={"X-Forwarded-For": "198.51.100.9"})
    web.post_json(URL, {"coach": "jane", "type": "cta_click", "path": "/jane"})
    assert len(stored(events)) == 2
    for model in ALL_MODELS:
        for row in model.select().tuples():
            text = " ".join(map(str, row))
            assert "203.0.113.77" not in text and "198.51.100.9" not in text, model


def test_closing_the_buffer_writes_what_is_left(web, events):
    web.get("/jane")
    assert events.close() == 1
    assert AnalyticsEvent.select().count() == 1
