"""API tokens. Only a SHA-256 hash of each token is stored, so a copy of the database does not
hand out working credentials; the token itself is shown once, when it is issued."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


def hash_key(raw: str) -> str:
    """The stored form of a token. Tokens are long and random, so a plain hash suffices (no salt
    or stretching needed), and it lets a request's token be found by an indexed lookup."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self, *, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        # Never the token or its hash: this text goes into the audit log.
        return f"API token {self.pk} for {self.user}"

    def is_live(self, *, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at
