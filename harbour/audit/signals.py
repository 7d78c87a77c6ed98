"""Sign-in, sign-out and failed sign-in go to the audit log; failures also count to lockout."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from harbour.accounts import lockout
from harbour.core.caller import client_ip

from .models import AuditAction
from .services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        lockout.clear_failures(username=user.get_username())
        audit_record(actor=user, action=AuditAction.LOGIN, client_ip=client_ip(request) if request else None)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, client_ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    ip = client_ip(request) if request is not None else None
    with transaction.atomic():
        lockout.record_failure(username=username, client_ip=ip)
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            details={"username": username},
            client_ip=ip,
            is_alert=lockout.is_locked_out(username),
        )
