"""A visitor enrols in the demo course by email, opens the magic link from the outbox, reads a
lesson, marks it complete, and sees their progress on the course page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.browser.test_booking_flow import VIEWPORTS, _shot

pytestmark = pytest.mark.browser


def _outbox_link(tmp_path, database_url: str, base: str, to: str) -> str:
    env = {**os.environ, "COACHCTL_HOME": str(tmp_path / "home"), "DATABASE_URL": database_url}
    run = [sys.executable, "-m", "coachctl.cli", "outbox"]
    rows = json.loads(subprocess.check_output([*run, "list", "--json"], env=env, text=True))
    email = next(r for r in rows if r["to"] == to and r["kind"] == "course_welcome")
    shown = subprocess.check_output([*run, "show", str(email["id"])], env=env, text=True)
    return re.search(re.escape(base) + r"/c/first-90-days/in/\S+", shown).group(0)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_visitor_enrols_reads_a_lesson_and_sees_progress(
    browser, demo_server, tmp_path, database_url, viewport
):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(demo_server + "/maya-lindqvist")
    page.get_by_role("link", name=re.compile("View.*first 90 days")).click()
    page.wait_for_url(re.compile(r"/c/first-90-days$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your first 90 days as a manager"
    assert "Day 2" in page.locator(".syllabus").inner_text()
    _shot(page, tmp_path, f"course-1-landing-{viewport}")

    page.get_by_label("Your email").fill("visitor@example.com")
    page.get_by_role("button", name="Send me the first lesson").click()
    assert "Check your inbox" in page.get_by_role("status").inner_text()
    page.goto(demo_server + "/c/first-90-days/learn/welcome")
    page.wait_for_url(re.compile(r"signin=1"))  # not confirmed yet: no lesson

    page.goto(_outbox_link(tmp_path, database_url, demo_server, "visitor@example.com"))
    page.get_by_role("button", name="Open the course").click()
    page.wait_for_url(re.compile(r"/c/first-90-days$"))
    assert "0 of 4 lessons completed" in page.locator(".progress-text").inner_text()
    page.get_by_role("link", name="Start: lesson 1").click()
    page.wait_for_url(re.compile(r"/learn/welcome$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert page.get_by_role("link", name=re.compile("One-on-ones")).get_attribute("rel") == "next"
    _shot(page, tmp_path, f"course-2-lesson-{viewport}")

    page.get_by_role("button", name=re.compile("^Mark complete")).click()
    page.wait_for_url(re.compile(r"/learn/one-on-ones$"))
    assert "25% completed" in page.locator(".lesson-progress").inner_text()
    page.get_by_role("link", name=re.compile("Your first 90 days as a manager")).click()
    assert "1 of 4 lessons completed · 25%" in page.locator(".progress-text").inner_text()
    assert "Completed" in page.locator(".syllabus-item").first.inner_text()
    assert "Opens" in page.locator(".syllabus-item").nth(2).inner_text()
    _shot(page, tmp_path, f"course-3-progress-{viewport}")
    assert errors == []
    context.close()
