"""Analytics in Chromium: a visit and a click on Buy count once each; without JavaScript only
the server's page view counts."""

from __future__ import annotations

import time

import pytest

from tests.analytics.conftest import BROWSER
from tests.analytics.test_served import counts


@pytest.fixture
def quick_flush(monkeypatch):
    monkeypatch.setenv("COACHCTL_ANALYTICS_FLUSH_SECONDS", "0.2")


def _settled(database_url: str, expected: dict[str, int]) -> dict[str, int]:
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        found = counts(database_url)
        if found == expected:
            return found
        time.sleep(0.2)
    time.sleep(1)  # nothing more arrives late
    return counts(database_url)


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
def test_a_visit_and_a_click_on_buy_count_once(
    quick_flush, browser, demo_server, database_url, javascript
):
    context = browser.new_context(user_agent=BROWSER, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(demo_server + "/maya-lindqvist")
    page.locator('[data-cta="buy"]').first.click()
    page.wait_for_load_state()
    expected = {"page_view": 1, "cta_click": 1 if javascript else 0}
    assert _settled(database_url, expected) == expected
    context.close()
