"""Settings from environment variables first, then an optional ``coachctl.toml``."""

from __future__ import annotations

import json
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_KEYS = (
    "DATABASE_URL",
    "COACHCTL_BASE_URL",
    "COACHCTL_SECRET",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
    "SMTP_URL",
    "SMTP_FROM",
    "COACHCTL_PAGE_CACHE_SECONDS",
    "COACHCTL_CALENDAR_POLL_MINUTES",
    "COACHCTL_LIMIT_PER_CLIENT",
    "COACHCTL_LIMIT_PER_EMAIL",
    "COACHCTL_TRUSTED_PROXIES",
    "COACHCTL_DOWNLOAD_DAYS",
    "COACHCTL_CREDIT_REMINDER_DAYS",
    "COACHCTL_ANALYTICS_RETENTION_DAYS",
    "COACHCTL_ANALYTICS_FLUSH_SECONDS",
)


def home_dir() -> Path:
    """The folder for the default database and config: ``COACHCTL_HOME`` or the user data dir."""
    configured = os.environ.get("COACHCTL_HOME")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("coachctl", appauthor=False))


def config_path() -> Path:
    """Where ``coachctl.toml`` is read from: ``COACHCTL_CONFIG`` or ``<home>/coachctl.toml``."""
    configured = os.environ.get("COACHCTL_CONFIG")
    return Path(configured).expanduser() if configured else home_dir() / "coachctl.toml"


@dataclass(frozen=True)
class Settings:
    """One frozen view of the configuration."""

    database_url: str
    base_url: str
    secret: str
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None
    smtp_url: str | None = None
    smtp_from: str = "coachctl <no-reply@localhost>"
    page_cache_seconds: float = 2.0
    calendar_poll_minutes: float = 10.0
    # public writes (bookings, checkouts): per client address, and per email address named
    limit_per_client: str = "10/minute;60/hour"
    limit_per_email: str = "5/hour;20/day"
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For is believed
    download_days: float = 7.0  # how long a download link works after it was written
    credit_reminder_days: float = 14.0  # how long before unused credits expire the client hears
    analytics_retention_days: float = 90.0  # raw events kept; daily rollups are kept for good
    # page views wait at most this long in memory before a batch write (a crash loses them)
    analytics_flush_seconds: float = 2.0

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))


def _read_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {key.upper(): str(value) for key, value in data.items()}


def load_settings() -> Settings:
    """Read the settings; the secret is empty until ``ensure_secret`` has run."""
    from_file = _read_file(config_path())
    values = {key: os.environ.get(key) or from_file.get(key) for key in _KEYS}
    database_url = values["DATABASE_URL"] or f"sqlite:///{home_dir() / 'coachctl.db'}"
    return Settings(
        database_url=database_url,
        base_url=(values["COACHCTL_BASE_URL"] or announced_base_url() or DEFAULT_BASE_URL).rstrip(
            "/"
        ),
        secret=values["COACHCTL_SECRET"] or "",
        stripe_secret_key=values["STRIPE_SECRET_KEY"],
        stripe_webhook_secret=values["STRIPE_WEBHOOK_SECRET"],
        stripe_api_base=values["STRIPE_API_BASE"],
        smtp_url=values["SMTP_URL"],
        smtp_from=values["SMTP_FROM"] or Settings.smtp_from,
        page_cache_seconds=_seconds(
            values["COACHCTL_PAGE_CACHE_SECONDS"], Settings.page_cache_seconds
        ),
        calendar_poll_minutes=_seconds(
            values["COACHCTL_CALENDAR_POLL_MINUTES"], Settings.calendar_poll_minutes
        ),
        limit_per_client=values["COACHCTL_LIMIT_PER_CLIENT"] or Settings.limit_per_client,
        limit_per_email=values["COACHCTL_LIMIT_PER_EMAIL"] or Settings.limit_per_email,
        download_days=_seconds(values["COACHCTL_DOWNLOAD_DAYS"], Settings.download_days),
        credit_reminder_days=_seconds(
            values["COACHCTL_CREDIT_REMINDER_DAYS"], Settings.credit_reminder_days
        ),
        analytics_retention_days=_seconds(
            values["COACHCTL_ANALYTICS_RETENTION_DAYS"], Settings.analytics_retention_days
        ),
        analytics_flush_seconds=_seconds(
            values["COACHCTL_ANALYTICS_FLUSH_SECONDS"], Settings.analytics_flush_seconds
        ),
        trusted_proxies=tuple(
            part.strip()
            for part in (values["COACHCTL_TRUSTED_PROXIES"] or "").split(",")
            if part.strip()
        ),
    )


def base_url_configured() -> bool:
    """Whether ``COACHCTL_BASE_URL`` is set, in the environment or the config file."""
    return bool(
        os.environ.get("COACHCTL_BASE_URL") or _read_file(config_path()).get("COACHCTL_BASE_URL")
    )


def _announce_path() -> Path:
    return home_dir() / "server.json"


def announce_base_url(url: str) -> None:
    """Record the address ``serve`` answers on, so links written elsewhere (the CLI, the TUI,
    the email worker) point at the running server when ``COACHCTL_BASE_URL`` is not set."""
    path = _announce_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"base_url": url}) + "\n")


def announced_base_url() -> str | None:
    """The address ``serve`` last announced, if any."""
    try:
        url = json.loads(_announce_path().read_text()).get("base_url")
    except (OSError, ValueError, AttributeError):
        return None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def _seconds(text: str | None, default: float) -> float:
    if not text:
        return default
    try:
        return max(0.0, float(text))
    except ValueError:
        raise ValueError(f"expected a number, not {text!r}") from None


def ensure_secret() -> Settings:
    """Load the settings, generating and storing a signing secret in the config file if absent."""
    settings = load_settings()
    if settings.secret:
        return settings
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    existing = path.read_text() if path.is_file() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    path.write_text(f'{existing}{separator}coachctl_secret = "{secret}"\n')
    path.chmod(0o600)
    return load_settings()
