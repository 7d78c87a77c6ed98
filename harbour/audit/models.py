"""The audit log: append-only and hash-chained.

Each row's hash covers its own content and the previous row's hash, so altering or deleting a
row in the database breaks the chain from that point (see `harbour audit-verify`). The app
refuses to update or delete rows, and a database trigger refuses updates too.
"""

import hashlib
import json

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    SHARE = "share", "Shared"
    REVOKE = "revoke", "Access revoked"
    RESTRICT = "restrict", "Restriction changed"
    BREAK_GLASS = "break_glass", "Break-glass access"
    DENIED = "denied", "Access refused"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    TOKEN = "token", "API token issued"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    # bulk_update would bypass save(); refuse it as well.
    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError("Audit events are append-only: they cannot be changed.")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    # The person the event concerns, whatever the record type, for "who looked at this person".
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The agency that owns the record, so its auditors see who touched it.
    record_agency_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    is_alert = models.BooleanField(default=False, db_index=True)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["person_id", "occurred_at"], name="audit_person_time"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    # The fields the hash covers, in a fixed order. Changing this list breaks verification of
    # existing chains: add a chain version first.
    HASHED_FIELDS = (
        "occurred_at",
        "actor_id",
        "actor_username",
        "actor_agency_id",
        "actor_agency_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "person_id",
        "record_agency_id",
        "changes",
        "details",
        "reason",
        "client_ip",
        "is_alert",
        "prev_hash",
    )

    def canonical(self) -> str:
        from datetime import UTC

        values = {}
        for name in self.HASHED_FIELDS:
            value = getattr(self, name)
            if name == "occurred_at":
                value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            values[name] = value
        return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """One row holding the newest hash; locking it serialises writers to the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Audit chain head after {self.length} event(s)"
