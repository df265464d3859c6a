"""A New York visitor (en-US) searches the zone picker, answers the intake questions, pays for a
session through the sandbox, and lands on a confirmation with the location and calendar links."""

import re

import pytest

from tests.browser.test_booking_flow import VIEWPORTS, _shot

pytestmark = pytest.mark.browser
TIME_12H = re.compile(r"^\d{1,2}:\d{2}\s?[AP]M$")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_new_york_visitor_pays_for_a_session_and_sees_where_it_happens(
    browser, demo_server, tmp_path, viewport
):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], timezone_id="America/New_York", locale="en-US"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(demo_server + "/book/maya-lindqvist/session")
    page.wait_for_url(re.compile(r"tz=America%2FNew_York"))
    assert "Video call: the link comes with your confirmation" in page.content()

    picker = page.locator("#tz")
    picker.focus()
    page.locator("#zones option").nth(300).wait_for(state="attached")  # the full list arrived
    picker.fill("chicago")
    picker.press("Enter")
    page.wait_for_url(re.compile(r"tz=chicago"))
    assert picker.input_value().startswith("America/Chicago (UTC")
    picker.fill("New York")
    picker.press("Enter")
    page.wait_for_url(re.compile(r"tz=New\+York"))
    assert page.locator(".booking").get_attribute("data-tz") == "America/New_York"

    page.locator("a[data-day]").first.click()
    first = page.locator("#day .slot").first
    first.wait_for()
    label = first.inner_text()
    assert TIME_12H.match(label), label
    first.click()
    page.wait_for_url(re.compile(r"slot="))
    assert label in page.locator(".summary").inner_text()
    page.fill("#name", "Nora Visitor")
    page.fill("#email", "nora@example.com")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"slot="))  # the required question sends the form back
    assert page.locator("#answer-q1").get_attribute("required") is not None
    page.fill("#answer-q1", "Leading my first team")
    page.select_option("#answer-q2", "No")
    _shot(page, tmp_path, f"paid-1-form-{viewport}")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url(re.compile(r"/checkout/sandbox/"))
    page.get_by_role("button", name=re.compile(r"^Pay .*120\.00")).click()
    page.wait_for_url(re.compile(r"/booking/.*done=paid"))
    assert "Payment received" in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "You're booked"
    where = page.get_by_role("link", name=re.compile("Video call"))
    assert where.get_attribute("href") == "https://meet.example.com/maya-lindqvist"
    assert page.get_by_role("link", name="Apple / Outlook (.ics)").is_visible()
    assert page.get_by_role("link", name="Google Calendar").is_visible()
    when = page.locator("time[data-local-time]").inner_text()
    assert label in when and "America/New York" in when
    _shot(page, tmp_path, f"paid-2-confirmed-{viewport}")
    assert errors == []
    context.close()
