"""A local feed server on 127.0.0.1 whose answers each test can script, and a coach to sync for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from coachctl.engine.scheduling import schedule
from coachctl.engine.scheduling.booking_types import edit_booking_type, get_booking_type

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    """The bytes of a fixture calendar."""
    return (FIXTURES / name).read_bytes()


@dataclass
class Route:
    """What the server answers on one path: a body, or a failure ``mode``."""

    body: bytes = b""
    mode: str = "ok"  # ok | error500 | truncated | huge
    etag: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)


class FeedServer:
    """A threaded HTTP server serving ``routes``; ``url(path)`` addresses one."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route.requests.append(dict(self.headers))
                if route.mode == "error500":
                    self.send_error(500)
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                if route.mode == "huge":
                    self._huge()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                cut = len(route.body) // 2 if route.mode == "truncated" else len(route.body)
                self.wfile.write(route.body[:cut])
                self.close_connection = True

            def _huge(self) -> None:
                # 20 MB without a Content-Length: only the reader's own cap can stop it.
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Connection", "close")
                self.end_headers()
                line = b"X-FILLER:" + b"x" * 1014 + b"\r\n"
                try:
                    self.wfile.write(b"BEGIN:VCALENDAR\r\n")
                    for _ in range(20 * 1024):
                        self.wfile.write(line)
                    self.wfile.write(b"END:VCALENDAR\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def serve(self, path: str, body: bytes, **kwargs) -> Route:
        route = Route(body=body, **kwargs)
        self.routes[path] = route
        return route

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.stop()


@pytest.fixture
def open_coach(coach):
    """Jane (Europe/London, jane@example.com), open 09:00–17:00 every day; hour-long sessions
    on the hour, no notice, a 60-day horizon."""
    from coachctl.engine.coaches import edit_coach

    edit_coach(coach, email="jane@example.com")
    for day in range(7):
        schedule.add_window(coach, day, "09:00", "17:00")
    edit_booking_type(get_booking_type(coach), duration=60, interval=60, notice=0, horizon_days=60)
    return coach
