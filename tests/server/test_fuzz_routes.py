"""Property: whatever anyone sends to any route, no answer is a 5xx and no 4xx writes anything.

Routes are enumerated from the app itself, so a new route is fuzzed without touching this file.
Run it longer with ``COACHCTL_FUZZ_EXAMPLES=5000 pytest tests/server/test_fuzz_routes.py -s``.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from urllib.parse import quote, unquote_to_bytes, urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachctl.engine.commerce import catalog
from coachctl.engine.commerce.money import Money
from coachctl.engine.scheduling import schedule
from coachctl.server.app import create_app, wsgi
from coachctl.store.db import db
from coachctl.store.models import ALL_MODELS

EXAMPLES = int(os.environ.get("COACHCTL_FUZZ_EXAMPLES", "600"))
COUNTERS = {"rate_limit"}  # counts attempts by design, including refused ones
KEYS = [
    "coach", "type", "start", "end", "date", "until", "days", "tz", "timezone", "name", "email",
    "notes", "pass", "title", "price", "currency", "description", "kind", "credits", "items",
    "valid_days", "active", "product", "booking", "weekday", "windows", "reason", "from", "to",
    "status", "slot", "order", "month", "csrf", "request_key", "action", "id", "type_slug",
]  # fmt: skip

hostile_text = st.one_of(
    st.sampled_from(
        [
            "", "jane", "session", "\x00", "\ud800", "A" * 300, "0001-01-01", "9999-12-31",
            "2027-03-01", "2027-03-01T10:00:00Z", "0001-01-01T00:00:00Z", "Europe/London",
            "../../etc/passwd", "a:b@example.com", "ann@example.com", "49.00 EUR", "10 XYZ",
            "-1", "99999999999999999999", "NaN", "true", "null", "<script>", "%00", "€",
            "mon", "09:00", "25:99", "PACKAGE", "PAID",
        ]
    ),
    st.text(max_size=40),
)  # fmt: skip
json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True),
        hostile_text,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)
segment = st.one_of(
    st.sampled_from(["jane", "session", "1", "2", "0", "99999999999999999999", "%00", "%ED%A0%80"]),
    hostile_text.map(lambda s: quote(s.encode("utf-8", "surrogatepass"), safe="")),
)


@st.composite
def requests(draw, routes):
    method, rule = draw(st.sampled_from(routes))
    path = re.sub(r"<[^>]+>", lambda _: draw(segment) or "x", rule)
    query = draw(st.dictionaries(st.sampled_from(KEYS), hostile_text, max_size=4))
    if query:
        path += "?" + urlencode(query, errors="surrogatepass")
    body_kind = draw(st.sampled_from(["json", "form", "raw", "none"]))
    headers = {}
    if draw(st.booleans()):
        headers["Authorization"] = "Bearer {token}"
    if draw(st.booleans()):
        key = draw(hostile_text).encode("utf-8", "replace").decode("latin-1")
        headers["Idempotency-Key"] = re.sub(r"[\x00-\x1f\x7f]", "", key)
    body = b""
    if method != "GET" and body_kind == "json":
        data = draw(st.dictionaries(st.sampled_from(KEYS), json_value, max_size=6))
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    elif method != "GET" and body_kind == "form":
        form = draw(st.dictionaries(st.sampled_from(KEYS), hostile_text, max_size=6))
        body = urlencode(form, errors="surrogatepass").encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif method != "GET" and body_kind == "raw":
        body = draw(st.sampled_from([b"[" * 3000, b"\xff\xfe", b'{"a":', b"[]", b"\x00"]))
        headers["Content-Type"] = "application/json"
    return method, path, headers, body


def _call(app, method: str, target: str, headers: dict, body: bytes) -> tuple[int, str]:
    """Send raw bytes to the WSGI app as a server would, with no client-side parsing."""
    path, _, query = target.partition("?")
    environ: dict = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": headers.pop("Content-Type", ""),
        "wsgi.input": io.BytesIO(body),
        "REMOTE_ADDR": "192.0.2.1",
    }
    setup_testing_defaults(environ)
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    seen: list[str] = []
    chunks = app(environ, lambda status, _headers, _exc=None: seen.append(status))
    text = b"".join(chunks).decode("utf-8", "replace")
    return int(seen[0].split()[0]), text


def _rows() -> dict[str, int]:
    return {
        m._meta.table_name: m.select().count()
        for m in ALL_MODELS
        if m._meta.table_name not in COUNTERS
    }


@pytest.fixture
def world(coach, settings_fixture):
    for day in range(7):
        schedule.add_window(coach, day, "09:00", "17:00")
    catalog.create_product(coach, "Workbook", Money(2900, "EUR"))
    from coachctl.engine.tokens import create_token

    token = create_token(coach, "fuzz")[1]
    app = create_app(settings_fixture)
    routes = [
        (route.method, route.rule) for route in app.routes if not route.rule.startswith("/static")
    ]
    db.close()
    return wsgi(settings_fixture), routes, token


@pytest.fixture
def settings_fixture(settings):
    return settings


def test_no_route_answers_5xx_and_no_4xx_writes(world):
    app, routes, token = world
    seen = {"requests": 0, "statuses": {}}
    started = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=True,
    )
    @given(requests(routes))
    def probe(request):
        method, path, headers, body = request
        headers = {k: v.replace("{token}", token) for k, v in headers.items()}
        before = _rows()
        db.close()
        status, text = _call(app, method, path, headers, body)
        seen["requests"] += 1
        seen["statuses"][status] = seen["statuses"].get(status, 0) + 1
        assert status < 500, (method, path, body[:200], text[:500])
        if 400 <= status < 500:
            assert _rows() == before, (method, path, body[:200], status)
        db.close()

    probe()
    print(
        f"\nfuzzed {seen['requests']} requests over {len(routes)} routes in "
        f"{time.monotonic() - started:.1f} s: {dict(sorted(seen['statuses'].items()))}"
    )
