"""The public bio page and the public profile API."""

import pytest

from coachctl.engine import coaches
from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling import schedule

HOSTILE_BIO = (
    'Hi <script>alert("x")</script> [click](javascript:alert(1)) '
    '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">a</a>'
)


@pytest.fixture
def open_coach(coach):
    for day in range(7):
        schedule.add_window(coach, day, "00:00", "24:00")
    return coach


def test_bio_page_shows_profile_book_and_buy(client, open_coach):
    catalog.create_product(open_coach, "Workbook", Money(2900, "EUR"))
    page = client.get("/jane")
    assert page.status_int == 200
    assert page.content_type == "text/html"
    assert page.html.find("h1").text == "Jane Doe"
    assert page.html.select_one('[data-cta="book"]')["href"] == "/book/jane"
    buy = page.html.select('[data-cta="buy"]')
    assert len(buy) == 1 and "€29.00" in buy[0].text
    assert page.html.select_one('meta[property="og:title"]')["content"] == "Jane Doe"
    assert page.html.find("main") is not None and page.html.find("footer") is not None


def test_no_book_button_without_windows_or_when_disabled(client, coach):
    assert client.get("/jane").html.select('[data-cta="book"]') == []
    schedule.add_window(coach, 0, "09:00", "17:00")
    coaches.edit_coach(coach, booking_enabled=False)
    assert client.get("/jane").html.select('[data-cta="book"]') == []
    assert client.get("/api/coaches/jane").json["ctas"]["book"] is False


def test_no_buy_buttons_for_archived_products_or_when_products_are_off(client, coach):
    product = catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    catalog.archive_product(product)
    assert client.get("/jane").html.select('[data-cta="buy"]') == []
    catalog.create_product(coach, "Guide", Money(900, "EUR"))
    coaches.edit_coach(coach, products_enabled=False)
    assert client.get("/api/coaches/jane").json["ctas"]["buy"] == []


def test_hostile_bio_is_escaped(client, coach):
    coaches.edit_coach(coach, bio=HOSTILE_BIO, headline='<b onmouseover="x">bold</b>')
    page = client.get("/jane")
    scripts = [script["src"].split("?")[0] for script in page.html.find_all("script")]
    assert scripts == ["/static/beacon.js"] and page.html.find_all("img") == []
    for element in page.html.find_all(True):
        assert not any(name.startswith("on") for name in element.attrs), element
        assert not str(element.get("href", "")).lower().startswith("javascript"), element
    assert '<script>alert("x")</script>' in page.html.select_one(".bio").text
    assert page.html.select_one(".headline").text == '<b onmouseover="x">bold</b>'


def test_unknown_and_inactive_coaches_get_a_friendly_404(client, coach):
    missing = client.get("/nobody", status=404)
    assert "couldn’t find" in missing.text and missing.content_type == "text/html"
    coaches.edit_coach(coach, active=False)
    client.get("/jane", status=404)
    assert client.get("/api/coaches/jane", status=404).json["error"]["code"] == "not_found"


def test_security_headers_on_pages_and_errors(client, coach):
    for response in (client.get("/jane"), client.get("/nobody", status=404)):
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_static_css_is_small_and_cached(client, coach):
    href = client.get("/jane").html.select_one('link[rel="stylesheet"]')["href"]
    css = client.get(href)
    assert css.content_type == "text/css"
    assert "immutable" in css.headers["Cache-Control"]
    assert len(css.body) < 16_000


def test_profile_api_has_the_same_facts(client, open_coach):
    catalog.create_product(open_coach, "Workbook", Money(2900, "EUR"))
    data = client.get("/api/coaches/jane").json
    assert data["coach"]["slug"] == "jane" and data["coach"]["timezone"] == "Europe/London"
    assert data["ctas"]["book"] is True and data["ctas"]["book_url"] == "/book/jane"
    assert [(b["title"], b["price"], b["currency"]) for b in data["ctas"]["buy"]] == [
        ("Workbook", 2900, "EUR")
    ]


def test_unknown_api_path_is_json_404(client, store):
    response = client.get("/api/nothing/here", status=404)
    assert response.json == {"error": {"code": "not_found", "message": "no such endpoint"}}


def test_public_page_facts_take_a_fixed_number_of_queries(open_coach):
    from playhouse.test_utils import count_queries

    from coachctl.engine import storefront
    from coachctl.engine.scheduling.booking_types import get_booking_type

    kind = get_booking_type(open_coach)
    for n in range(3):
        catalog.create_product(open_coach, f"Guide {n}", Money(900, "EUR"))
        catalog.create_package(
            open_coach, f"Pack {n}", Money(9000, "EUR"), credits=3, booking_type=kind
        )
    with count_queries() as counter:
        page = storefront.public_page(open_coach)
    assert len(page["ctas"]["buy"]) == 6
    # +1 for the coach's own calendars, +1 for the courses (with their products)
    assert counter.count <= 9, "no query per product"
