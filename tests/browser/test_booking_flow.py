"""A visitor books through the real pages with JavaScript on, in their own zone."""

import os
import re

import pytest

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _shot(page, tmp_path, name):
    folder = os.environ.get("COACHCTL_SCREENSHOTS") or str(tmp_path)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_visitor_books_a_free_call_and_sees_their_own_time(
    browser, demo_server, tmp_path, viewport
):
    context = browser.new_context(viewport=VIEWPORTS[viewport], timezone_id="America/New_York")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(demo_server + "/maya-lindqvist")
    page.get_by_role("link", name="Book a session").click()
    page.get_by_role("link", name="Choose").nth(1).click()  # the free intro call
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))  # the page picked up the visitor's zone
    assert page.locator("#tz").input_value().startswith("America/New York (UTC")
    _shot(page, tmp_path, f"book-1-month-{viewport}")

    days = page.locator("a[data-day]")
    if days.count() < 2:  # near a month's end: the next month has more days to choose from
        page.get_by_role("link", name="Next month").click()
        page.wait_for_url(re.compile(r"month="))
    days.nth(1).click()  # another day: loaded without a reload
    page.wait_for_function("document.querySelector('a[data-day][aria-current]') !== null")
    assert "slot" not in page.url
    first = page.locator("#day .slot").first
    first.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('slot')")
    page.keyboard.press("ArrowRight")
    label = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"slot="))
    _shot(page, tmp_path, f"book-2-form-{viewport}")
    assert label in page.locator(".summary").inner_text()
    page.fill("#name", "Nora Visitor")
    page.fill("#email", "nora@example.com")
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url(re.compile(r"/booking/"))
    assert page.get_by_role("heading", level=1).inner_text() == "You're booked"
    when = page.locator("time[data-local-time]").inner_text()
    assert label in when and "America/New York" in when
    _shot(page, tmp_path, f"book-3-confirmed-{viewport}")
    assert errors == []
    context.close()
