"""One application error, mapped to HTTP in one place for screens and API alike."""

from django.core.exceptions import ValidationError  # noqa: F401  (re-exported for services)


class ApplicationError(Exception):
    """A rule of the service was broken; the message is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class NotFound(ApplicationError):
    """The record does not exist or the caller may not know it exists: always answered 404."""

    def __init__(self, message: str = "Not found"):
        super().__init__(message)
