"""What every route shares: templates, JSON bodies, errors, auth, a connection per request."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bottle
from jinja2 import Environment, PackageLoader, select_autoescape

from coachctl.config import Settings
from coachctl.engine import coaches, storefront, tokens
from coachctl.engine.errors import DomainError, Invalid, NotFound, Throttled
from coachctl.engine.insights import analytics
from coachctl.engine.insights.analytics import Visit
from coachctl.engine.insights.buffer import EventBuffer
from coachctl.engine.insights.visitors import PREFETCH_HEADERS, Salts
from coachctl.server.throttle import Throttle
from coachctl.store.db import connection, write_generation
from coachctl.store.models import utcnow

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger("coachctl.http")

CSP = (
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self' https://checkout.stripe.com"
)


def csp_allowing(directive: str, origin: str) -> str:
    """The policy with one more source for ``directive``: a lesson's video host, nothing else."""
    return f"{CSP}; {directive} {origin}"


SECURITY_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
]


def _asset_versions() -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in STATIC_DIR.iterdir()
        if path.is_file()
    }


def _sentence(text: str) -> str:
    """A message as a sentence on a page: a capital first letter and a closing full stop."""
    text = str(text).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


class Web:
    """Per-app helpers bound to one ``Settings``: rendering, JSON and auth."""

    def __init__(self, settings: Settings, events: EventBuffer | None = None) -> None:
        self.settings = settings
        self.events = events or EventBuffer(settings.analytics_flush_seconds)
        self.salts = Salts()
        versions = _asset_versions()
        self.templates = Environment(
            loader=PackageLoader("coachctl.server", "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals["static"] = lambda name: (
            f"/static/{name}?v={versions.get(name, '0')}"
        )
        self.templates.globals["base_url"] = settings.base_url
        self.templates.filters["sentence"] = _sentence
        self.pages = PageCache(settings.page_cache_seconds)
        self.throttle = Throttle(settings)

    def limit(self, action: str, email: str | None = None) -> None:
        """Count a public write of ``action`` (for ``email``); 429 when over a limit."""
        self.throttle.check(action, bottle.request.environ, email)

    def public_page(self, slug: str) -> dict[str, Any]:
        """The public page facts of the coach ``slug``, from the page cache when fresh."""
        return self.pages.get(
            slug, lambda: storefront.public_page(coaches.get_coach(slug, public=True))
        )

    def coach_id(self, slug: str) -> int | None:
        """The id of the active coach ``slug`` (None if there is none), from the page cache."""

        def find() -> int | None:
            with connection():
                try:
                    return coaches.get_coach(slug, public=True).id
                except NotFound:
                    return None

        return self.pages.get(f"id:{slug}", find)

    def count_view(self, coach_id: int) -> None:
        """Count the public page this request is served, bots aside; the view is buffered, so
        serving it writes nothing."""
        row = analytics.page_view(
            coach_id, bottle.request.path, bottle.request.query, self.visit(), self.salts, utcnow()
        )
        if row is not None:
            self.events.add([row])

    def visit(self) -> Visit:
        """What the request tells analytics about its sender (the address only to be hashed)."""
        environ = bottle.request.environ
        return Visit(
            address=self.throttle.client_address(environ),
            user_agent=environ.get("HTTP_USER_AGENT", ""),
            referrer=environ.get("HTTP_REFERER", ""),
            own_host=environ.get("HTTP_HOST", ""),
            country=environ.get("HTTP_CF_IPCOUNTRY")
            or environ.get("HTTP_CLOUDFRONT_VIEWER_COUNTRY", ""),
            headers={name: environ[name] for name in PREFETCH_HEADERS if name in environ},
        )

    def render(self, template: str, http_status: int = 200, **context: Any) -> str:
        """Render an HTML template with the response's status set."""
        bottle.response.status = http_status
        bottle.response.content_type = "text/html; charset=utf-8"
        return self.templates.get_template(template).render(path=bottle.request.path, **context)

    @staticmethod
    def json(data: Any, status: int = 200) -> str:
        """A JSON response body with ``status``."""
        bottle.response.status = status
        bottle.response.content_type = "application/json"
        return json.dumps(data, ensure_ascii=False)

    @staticmethod
    def body() -> Body:
        """The request's JSON object body, every string in it checked; anything else is a 422."""
        raw = bottle.request.body.read(MAX_BODY)
        try:
            data = json.loads(raw or b"{}")
        except (ValueError, RecursionError):
            raise Invalid("the request body is not valid JSON", code="bad_json") from None
        if not isinstance(data, dict):
            raise Invalid("the request body must be a JSON object", code="bad_json")
        _check_json(data, MAX_DEPTH)
        return Body(data)

    @staticmethod
    def bearer() -> str | None:
        """The bearer token of the request, if any."""
        header = bottle.request.get_header("Authorization", "")
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" else None

    def failure(self) -> str:
        """An unexpected failure: logged with its traceback, answered with a plain 500."""
        log.exception("%s %s failed", bottle.request.method, bottle.request.path)
        message = "Something went wrong on our side; please try again."
        if is_api(bottle.request.path):
            return self.json({"error": {"code": "internal", "message": message}}, 500)
        return self.render("error.html", 500, message=message, status=500)

    def token_coach(self):
        """The coach the request's bearer token acts for; 401 without a valid token."""
        return tokens.authenticate(self.bearer())

    def error(self, error: DomainError) -> str:
        """Map a domain error to a JSON body under /api and /webhooks, an HTML page elsewhere."""
        if isinstance(error, Throttled):
            bottle.response.set_header("Retry-After", str(error.retry_after))
        if is_api(bottle.request.path):
            body: dict[str, Any] = {"code": error.code, "message": error.message}
            if error.hint:
                body["hint"] = error.hint
            return self.json({"error": body}, error.status)
        return self.render("error.html", error.status, message=error.message, status=error.status)


MAX_BODY = 1_000_000
MAX_DEPTH = 8
MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL
# control characters other than tab, newline and carriage return, which notes may hold
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def checked_text(value: str, where: str, *, multiline: bool = True) -> str:
    """``value`` if it is valid Unicode without control characters (bar tab and newlines)."""
    if (_CONTROL if multiline else _ANY_CONTROL).search(value):
        raise Invalid(f"{where} may not contain control characters", code="bad_text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(f"{where} is not valid Unicode text", code="bad_text") from None
    return value


def _check_json(value: Any, depth: int) -> None:
    if depth < 0:
        raise Invalid("the request body is nested too deeply", code="bad_json")
    if isinstance(value, str):
        checked_text(value, "a text value")
    elif isinstance(value, dict):
        for key, item in value.items():
            checked_text(key, "a field name")
            _check_json(item, depth - 1)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, depth - 1)


class Body(dict):
    """A JSON object body with typed reads: a value of the wrong type is refused, never coerced."""

    def text(self, key: str, default: str | None = "", *, required: bool = False) -> str | None:
        """The string at ``key``; ``default`` when absent or null."""
        value = self.get(key)
        if value is None or (required and value == ""):
            if required:
                raise Invalid(f"{key} is required")
            return default
        if not isinstance(value, str):
            raise Invalid(f"{key} must be a string", code="bad_type")
        return value

    def integer(
        self, key: str, *, required: bool = False, low: int = 0, high: int = 2**53
    ) -> int | None:
        """The whole number at ``key`` within ``[low, high]``; None when absent and optional."""
        value = self.get(key)
        if value is None:
            if required:
                raise Invalid(f"{key} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"{key} must be a whole number", code="bad_type")
        if not low <= value <= high:
            raise Invalid(f"{key} must be between {low} and {high}", code="bad_type")
        return value

    def flag(self, key: str) -> bool | None:
        """The boolean at ``key``; None when absent."""
        value = self.get(key)
        if value is not None and not isinstance(value, bool):
            raise Invalid(f"{key} must be true or false", code="bad_type")
        return value

    def array(self, key: str) -> list:
        """The list at ``key``; empty when absent."""
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise Invalid(f"{key} must be a list", code="bad_type")
        return value

    def mapping(self, key: str) -> dict:
        """The object at ``key``; empty when absent."""
        value = self.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise Invalid(f"{key} must be an object", code="bad_type")
        return value


def check_request_text() -> None:
    """Refuse a request whose path, query or form fields hold control or broken characters."""
    request = bottle.request
    checked_text(request.path, "the address", multiline=False)
    for key, value in request.query.allitems():
        checked_text(key + value, "the query string", multiline=False)
    if request.method == "POST" and request.content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        for key, value in request.forms.allitems():
            checked_text(key, "a form field")
            checked_text(value, "a form field")


class PageCache:
    """Public page facts kept briefly per process: dropped on any local write, else after a TTL.

    Writes by other processes (another worker, the CLI) show within ``ttl`` seconds.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[int, float, Any]] = {}

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        """The cached value for ``key``, or ``compute()`` stored for next time."""
        if self.ttl <= 0:
            return compute()
        now = time.monotonic()
        generation = write_generation()
        entry = self._entries.get(key)
        if entry is not None and entry[0] == generation and entry[1] > now:
            return entry[2]
        value = compute()
        if len(self._entries) > 1000:
            self._entries.clear()
        self._entries[key] = (write_generation(), now + self.ttl, value)
        return value


def is_api(path: str) -> bool:
    """True for machine paths that answer in JSON."""
    return path.startswith(("/api/", "/webhooks/")) or path == "/api"


class connected:
    """A bottle plugin: each request gets its own connection; domain errors are mapped once.

    A route declared with ``connection="lazy"`` opens its connection itself when it needs one
    (a page served from the cache needs none).
    """

    api = 2
    name = "connected"

    def __init__(self, web: Web) -> None:
        self.web = web

    def apply(self, callback: Callable, route: bottle.Route) -> Callable:
        web = self.web
        lazy = route.config.get("connection") == "lazy"

        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with contextlib.nullcontext() if lazy else connection():
                try:
                    check_request_text()
                    return callback(*args, **kwargs)
                except DomainError as error:
                    return web.error(error)
                except bottle.HTTPResponse:
                    raise
                except Exception:
                    return web.failure()

        return wrapper


def middleware(app: Callable) -> Callable:
    """WSGI wrapper adding security headers to every response and logging each request."""

    def wrapped(environ: dict, start_response: Callable) -> Any:
        started = time.perf_counter()
        status_seen: list[str] = []

        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            status_seen.append(status)
            names = {name.lower() for name, _ in headers}
            headers.extend(h for h in SECURITY_HEADERS if h[0].lower() not in names)
            return start_response(status, headers, exc_info)

        result = app(environ, start)
        if log.isEnabledFor(logging.INFO):
            log.info(
                "%s %s %s %.1fms",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                (status_seen or ["-"])[0].split(" ", 1)[0],
                (time.perf_counter() - started) * 1000,
            )
        return result

    return wrapped
