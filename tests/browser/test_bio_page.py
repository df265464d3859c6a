"""The demo page in a real browser: Book and Buy are there, readable on a phone and a desktop."""

import os

import pytest

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_demo_page_shows_book_and_buy(browser, demo_server, tmp_path, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(demo_server + "/maya-lindqvist")
    assert page.get_by_role("heading", level=1).inner_text() == "Maya Lindqvist"
    book = page.get_by_role("link", name="Book a session")
    assert book.is_visible() and book.get_attribute("href") == "/book/maya-lindqvist"
    buys = page.locator('[data-cta="buy"]')
    assert buys.count() == 2 and buys.first.is_visible()
    assert "€29.00" in buys.first.inner_text()
    book.focus()
    outline = book.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "keyboard focus is visible"
    assert errors == [], errors
    shots = os.environ.get("COACHCTL_SCREENSHOTS")
    page.screenshot(
        path=os.path.join(shots or str(tmp_path), f"bio-{viewport}.png"), full_page=True
    )
