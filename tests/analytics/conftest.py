"""Analytics fixtures: a web client whose event buffer the test flushes itself."""

from __future__ import annotations

import pytest

from coachctl.engine.insights.buffer import EventBuffer

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)


@pytest.fixture
def events() -> EventBuffer:
    """A buffer that only writes when the test flushes it."""
    return EventBuffer(3600)


@pytest.fixture
def web(store, settings, events, coach):
    """A WebTest client over the app, sending a browser's user agent from 203.0.113.77."""
    from webtest import TestApp

    from coachctl.server.app import wsgi

    return TestApp(
        wsgi(settings, events),
        extra_environ={"HTTP_USER_AGENT": BROWSER, "REMOTE_ADDR": "203.0.113.77"},
    )
