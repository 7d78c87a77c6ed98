"""Bearer-token authentication for the API: `Authorization: Bearer <token>`."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken, hash_key

# Recording every use would write on every request; once a minute is enough to see dormant tokens.
LAST_USED_RESOLUTION = timedelta(minutes=1)
KEYWORD = "Bearer"


class BearerTokenAuthentication(BaseAuthentication):
    """A live token of an active user. No header: not this scheme (session auth may apply).
    A header with a bad, expired or revoked token: 401, never a fall-through to another scheme."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Invalid Authorization header: send 'Bearer <token>'.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid or expired token.") from None
        token = (
            ApiToken.objects.select_related("user", "user__agency", "user__team").filter(key_hash=hash_key(raw)).first()
        )
        now = timezone.now()
        if token is None or not token.is_live(at=now):
            raise AuthenticationFailed("Invalid or expired token.")
        if not token.user.is_active:
            raise AuthenticationFailed("This account is not active.")
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        # Present, so DRF answers 401 (with this challenge) rather than 403 when unauthenticated.
        return f'{KEYWORD} realm="api"'
