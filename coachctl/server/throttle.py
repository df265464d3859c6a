"""Rate limits on public writes, per client address and per email address, shared by processes.

The counting is the ``limits`` library's fixed windows over a database-backed storage, so the
limits hold across gunicorn workers. The client address comes from ``X-Forwarded-For`` only when
the direct peer is a trusted proxy (``COACHCTL_TRUSTED_PROXIES``).
"""

from __future__ import annotations

import math
import time
from ipaddress import ip_address, ip_network

from limits import parse_many
from limits.strategies import FixedWindowRateLimiter

from coachctl.config import Settings
from coachctl.engine.errors import Throttled
from coachctl.store.throttle_storage import DatabaseStorage


class Throttle:
    """The limits one app applies; ``check`` counts a request and refuses one over a limit."""

    def __init__(self, settings: Settings) -> None:
        self.limiter = FixedWindowRateLimiter(DatabaseStorage())
        self.per_client = parse_many(settings.limit_per_client)
        self.per_email = parse_many(settings.limit_per_email)
        self.trusted = [ip_network(entry, strict=False) for entry in settings.trusted_proxies]

    def client_address(self, environ: dict) -> str:
        """The address that sent the request: the peer, or the nearest untrusted forwarded one."""
        peer = environ.get("REMOTE_ADDR") or "unknown"
        if not self.trusted or not self._trusted(peer):
            return peer
        forwarded = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for address in reversed([a for a in forwarded if a]):
            if not self._trusted(address):
                return address
        return peer

    def _trusted(self, address: str) -> bool:
        try:
            ip = ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)

    def check(self, action: str, environ: dict, email: str | None = None) -> None:
        """Count one ``action`` for this client (and ``email``); Throttled when over a limit."""
        keys = [
            (item, (action, "client", self.client_address(environ))) for item in self.per_client
        ]
        if email:
            address = email.strip().lower()[:254]
            keys += [(item, (action, "email", address)) for item in self.per_email]
        for item, identifiers in keys:
            if not self.limiter.hit(item, *identifiers):
                reset = self.limiter.get_window_stats(item, *identifiers).reset_time
                raise Throttled(
                    "too many requests; please wait a little and try again",
                    retry_after=max(1, math.ceil(reset - time.time())),
                )
