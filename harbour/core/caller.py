"""Who is asking, from where: passed from views and API endpoints into services and selectors."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Caller:
    user: "settings.AUTH_USER_MODEL"
    client_ip: str | None = None

    @classmethod
    def from_request(cls, request) -> "Caller":
        return cls(user=request.user, client_ip=client_ip(request))


def client_ip(request) -> str | None:
    """The client address. Behind a trusted proxy, set HARBOUR_TRUSTED_PROXY_HEADER."""
    header = getattr(settings, "HARBOUR_TRUSTED_PROXY_HEADER", None)
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
