"""Run the WSGI app under gunicorn (the production server), with migrations applied first."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from coachctl.config import Settings


def default_workers() -> int:
    """Two workers per core, at least two."""
    return max(2, (os.cpu_count() or 1) * 2)


class _Gunicorn(BaseApplication):
    def __init__(self, factory: Callable[[], Callable], options: dict[str, Any]) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable:
        return self._factory()


def serve(
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    on_start: Callable[[], None] | None = None,
    in_worker: Callable[[], None] | None = None,
) -> None:
    """Serve until interrupted; the app is built once before forking, with no connection open.

    Each worker writes its buffered analytics events in the background, and the rest when it
    exits (SIGTERM included: gunicorn's ``worker_exit`` runs in the worker after a clean stop).
    """
    from coachctl.engine.insights.buffer import EventBuffer

    events = EventBuffer(settings.analytics_flush_seconds)

    def factory() -> Callable:
        from coachctl.server.app import wsgi
        from coachctl.store.db import open_database

        open_database(settings.database_url)
        return wsgi(settings, events)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "preload_app": True,
        "worker_class": "gthread",
        "threads": 4,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "graceful_timeout": 5,
        "keepalive": 5,
        "worker_exit": lambda server, worker: events.close(),
    }
    if on_start is not None:
        options["when_ready"] = lambda server: on_start()
    if in_worker is not None:  # threads start after the fork, never in the forking master
        options["post_worker_init"] = lambda worker: in_worker()
    _Gunicorn(factory, options).run()
