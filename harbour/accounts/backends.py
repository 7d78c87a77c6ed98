from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .lockout import is_locked_out


class LockoutModelBackend(ModelBackend):
    """Django's model backend (argon2 hashes) that refuses a locked-out account outright."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.get_user_model().USERNAME_FIELD)
        if is_locked_out(username or ""):
            # PermissionDenied stops Django trying further backends and fires user_login_failed.
            raise PermissionDenied("account locked")
        return super().authenticate(request, username=username, password=password, **kwargs)
