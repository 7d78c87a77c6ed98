"""Writes for the API itself: issuing and revoking tokens. Each is one transaction, audited."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from harbour.accounts import lockout
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .models import ApiToken, hash_key

# A recognisable prefix lets secret scanners spot a leaked token in code or logs.
TOKEN_PREFIX = "hbr_"


@transaction.atomic
def token_issue(*, caller: Caller) -> tuple[ApiToken, str]:
    """A new token for the caller, who has just proved their password. Returns the record and the
    token itself, which is not stored and cannot be shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=caller.user,
        key_hash=hash_key(raw),
        created_at=now,
        expires_at=now + timedelta(hours=settings.HARBOUR_API_TOKEN_HOURS),
    )
    # A correct password ends the run of failures, as a sign-in on the screens does.
    lockout.clear_failures(username=caller.user.get_username())
    audit_record(
        actor=caller.user,
        action=AuditAction.TOKEN,
        target=token,
        client_ip=caller.client_ip,
        details={"expires_at": token.expires_at},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, caller: Caller, token: ApiToken) -> ApiToken:
    """Revoke one of the caller's own tokens (signing out of the API)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=caller.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=caller.user, action=AuditAction.REVOKE, target=token, client_ip=caller.client_ip)
    return token
