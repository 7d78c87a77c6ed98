"""Account lockout after repeated failed sign-ins.

Counting is by username, so an attacker cannot dodge it by changing address, and a locked
account says so without revealing whether the password was right.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(minutes=settings.HARBOUR_LOCKOUT_WINDOW_MINUTES)


def is_locked_out(username: str) -> bool:
    if not username:
        return False
    recent = LoginFailure.objects.filter(username__iexact=username, occurred_at__gte=_window_start()).count()
    return recent >= settings.HARBOUR_LOCKOUT_FAILURES


def record_failure(*, username: str, client_ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], occurred_at=timezone.now(), client_ip=client_ip)


def clear_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
