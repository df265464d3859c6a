"""The domain's exceptions; each adapter maps them once to a status, an exit code or a notice."""

from __future__ import annotations

from collections.abc import Callable


class DomainError(Exception):
    """A failure a coach or visitor can act on: a stable ``code`` and a readable message."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code:
            self.code = code


def problems(checks: dict[str, Callable[[], object]]) -> dict[str, str]:
    """Run each named check; the message of each one that raised Invalid, by name (a form's
    field-by-field problems)."""
    found = {}
    for name, check in checks.items():
        try:
            check()
        except Invalid as error:
            found[name] = error.message
    return found


class Invalid(DomainError):
    """The input is malformed or breaks a rule of its own."""

    code = "invalid"
    status = 422


class NotFound(DomainError):
    """What was asked for does not exist (or is not public)."""

    code = "not_found"
    status = 404


class Conflict(DomainError):
    """The input is fine but the current state refuses it (a taken slot, a duplicate slug)."""

    code = "conflict"
    status = 409


class Unauthorized(DomainError):
    """No valid credentials were given."""

    code = "unauthorized"
    status = 401


class Forbidden(DomainError):
    """The credentials are valid but do not allow this."""

    code = "forbidden"
    status = 403


class Gone(DomainError):
    """What was asked for existed but no longer can be had (an expired or revoked link)."""

    code = "gone"
    status = 410


class Unavailable(DomainError):
    """A service we depend on (the payment provider, the mail server) did not answer."""

    code = "unavailable"
    status = 503


class Malformed(DomainError):
    """A request whose shape is wrong before any rule applies (a malformed provider event)."""

    code = "malformed"
    status = 400


class Throttled(DomainError):
    """Too many requests from one client or for one address; try again after ``retry_after``."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooLarge(DomainError):
    """A request carrying more than one call may (a batch of too many events)."""

    code = "too_large"
    status = 413
