"""Referrals, transfers and information-sharing decisions.

A *referral* asks another agency or team to work with a child (or with one record about them): if
they accept, they may see the record (a share grant to them, for the referral's reason). A *transfer*
asks them to take the record over: if they accept, they own it, and the agency that held it keeps
read access only if the referrer asked for that.

Every decision to share, or not to share, is recorded with its basis. Protecting a child comes
before privacy: consent is usually not the basis for sharing to protect a child and is not needed
where a child is at risk; where consent was not sought or was overridden, the record says why.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Agency, Team


class ReferralKind(models.TextChoices):
    REFERRAL = "referral", "Referral: they may see the record"
    TRANSFER = "transfer", "Transfer: they take the record over"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent (today)"
    IMMEDIATE = "immediate", "Immediate (a child is at risk now)"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SharingChoice(models.TextChoices):
    SHARE = "share", "Share"
    NOT_SHARE = "not_share", "Do not share"


class SharingBasis(models.TextChoices):
    CONSENT_NOT_SOUGHT = "consent_not_sought", "Shared without seeking consent"
    CONSENT_OBTAINED = "consent_obtained", "Consent obtained"
    CONSENT_OVERRIDDEN = "consent_overridden", "Consent refused or withdrawn: shared anyway (override)"


# Bases that need a reason of their own: why consent was not sought, or why it was overridden.
BASES_NEEDING_REASON = frozenset({SharingBasis.CONSENT_NOT_SOUGHT, SharingBasis.CONSENT_OVERRIDDEN})


class RecordReference(models.Model):
    """A reference to one record of any registered type, and the person it is about (if any)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # The child the record is about, for their timeline; deleting the person deletes these too.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True

    @property
    def record_type(self) -> str:
        return self.content_type.model_class()._meta.verbose_name if self.content_type.model_class() else "record"

    @property
    def record_label(self) -> str:
        return f"{self.record_type.capitalize()} {self.object_id}"

    @property
    def is_person_record(self) -> bool:
        return self.content_type.app_label == "people" and self.content_type.model == "person"

    def record(self):
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None

    @property
    def audit_person_id(self):
        return self.person_id


class InformationSharingDecision(RecordReference):
    decision = models.CharField(max_length=20, choices=SharingChoice.choices)
    to_protect_child = models.BooleanField(
        "To protect a child from harm",
        default=True,
        help_text="Protecting a child comes first: share what is needed, with those who need it.",
    )
    basis = models.CharField(max_length=30, choices=SharingBasis.choices, blank=True)
    basis_reason = models.TextField(blank=True)
    reason = models.TextField()
    shared_with = models.CharField(max_length=300, blank=True)
    what_shared = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="sharing_decision_record")]

    def __str__(self) -> str:
        return f"Information-sharing decision {self.pk}: {self.get_decision_display().lower()}"

    @property
    def audit_record_agency_id(self):
        return self.decided_agency_id

    def clean(self) -> None:
        errors = {}
        if not self.reason.strip():
            errors["reason"] = (
                "Say why: what the child is protected from and why this is needed."
                if self.decision == SharingChoice.SHARE
                else "Say why you decided not to share."
            )
        if self.decision == SharingChoice.SHARE:
            if not self.basis:
                errors["basis"] = "Choose the basis for sharing."
            elif self.basis in BASES_NEEDING_REASON and not self.basis_reason.strip():
                errors["basis_reason"] = (
                    "Say why consent was not sought."
                    if self.basis == SharingBasis.CONSENT_NOT_SOUGHT
                    else "Say why consent was overridden."
                )
            if not self.shared_with.strip():
                errors["shared_with"] = "Say who the information is shared with."
        elif self.decision == SharingChoice.NOT_SHARE and self.basis:
            errors["basis"] = "A decision not to share has no basis for sharing: leave it blank."
        if errors:
            raise ValidationError(errors)


class Referral(RecordReference):
    kind = models.CharField(max_length=20, choices=ReferralKind.choices)
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_made")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_received")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField()
    summary = models.TextField(help_text="What is shared with the receiver, in brief.")
    keep_previous_access = models.BooleanField(
        default=False, help_text="For a transfer: the agency that held the record may still see it."
    )
    sharing_decision = models.OneToOneField(
        InformationSharingDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="referral"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    grant = models.ForeignKey("access.AccessGrant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    previous_owner_grant = models.ForeignKey(
        "access.AccessGrant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status"], name="referral_inbox"),
            models.Index(fields=["content_type", "object_id"], name="referral_record"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(':')[0]} {self.pk} to {self.to_team or self.to_agency}"

    @property
    def reference(self) -> str:
        return f"REF-{self.pk}"

    @property
    def kind_name(self) -> str:
        return "transfer" if self.kind == ReferralKind.TRANSFER else "referral"

    @property
    def receiver(self):
        return self.to_team or self.to_agency

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.PENDING

    @property
    def audit_record_agency_id(self):
        return self.from_agency_id
