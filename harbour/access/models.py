"""Grants of access to a record beyond its owning agency.

One table for every way a record reaches someone else, so the policy has one rule to read:
- allocation: the record is allocated to a user or team to work on (read and write);
- share: an explicit share with a user, team or agency, with why and until when (read);
- named: a restricted record is visible to these named users only;
- break_glass: a user opened a record they could not otherwise see, giving a reason (read, short-lived).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class GrantKind(models.TextChoices):
    ALLOCATION = "allocation", "Allocated"
    SHARE = "share", "Shared"
    NAMED = "named", "Named on a restricted record"
    BREAK_GLASS = "break_glass", "Break-glass access"


class AccessGrantQuerySet(models.QuerySet):
    def live(self, *, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=at))

    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


class AccessGrant(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=GrantKind.choices)
    grantee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="access_grants"
    )
    grantee_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="access_grants"
    )
    grantee_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="access_grants"
    )
    reason = models.TextField(blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"], name="grant_record_kind")]
        constraints = [
            models.CheckConstraint(
                name="grant_exactly_one_grantee",
                condition=(
                    Q(grantee_user__isnull=False, grantee_team__isnull=True, grantee_agency__isnull=True)
                    | Q(grantee_user__isnull=True, grantee_team__isnull=False, grantee_agency__isnull=True)
                    | Q(grantee_user__isnull=True, grantee_team__isnull=True, grantee_agency__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.grantee}"

    @property
    def grantee(self):
        return self.grantee_user or self.grantee_team or self.grantee_agency

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.valid_until is None or self.valid_until > now)

    def clean(self) -> None:
        if self.kind in (GrantKind.SHARE, GrantKind.BREAK_GLASS) and not self.reason.strip():
            raise ValidationError({"reason": "Give the reason for this access."})
        if self.kind in (GrantKind.NAMED, GrantKind.BREAK_GLASS) and not self.grantee_user_id:
            raise ValidationError({"grantee_user": "This kind of access is given to a named user only."})
