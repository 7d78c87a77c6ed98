"""Graded intelligence reports, the source details kept apart from them, and the sanitised
versions that are all a partner agency ever sees.

The handling code is enforced by the access policy (access_rules.py), not by the screens; and it
cannot be lowered silently: `save()` refuses a downgrade that the service has not given a reason for.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Agency, Team

from .grading import (
    HANDLING_RESTRICTION,
    LEGACY_RESTRICTED_HANDLING,
    GradingSystem,
    HandlingCode,
    IntelligenceAssessment,
    LegacyHandlingCode,
    LegacyIntelligenceEvaluation,
    LegacySourceEvaluation,
    SourceEvaluation,
    grading_text,
)


class SilentDowngradeError(ValidationError):
    """Raised when handling would become less restrictive without a recorded reason."""


class IntelligenceReport(models.Model):
    title = models.CharField("Summary", max_length=200)
    text = models.TextField("Intelligence")
    information_date = models.DateField("Date the information relates to", null=True, blank=True)
    grading_system = models.CharField(
        max_length=10, choices=GradingSystem.choices, default=GradingSystem.THREE_FIVE_TWO
    )
    # 3x5x2
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices, blank=True)
    intelligence_assessment = models.CharField(max_length=1, choices=IntelligenceAssessment.choices, blank=True)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, blank=True)
    handling_conditions = models.TextField(
        blank=True, help_text="Required for handling code C: who may receive it, and on what terms."
    )
    # 5x5x5, as originally graded (legacy records only).
    legacy_source_evaluation = models.CharField(max_length=1, choices=LegacySourceEvaluation.choices, blank=True)
    legacy_intelligence_evaluation = models.CharField(
        max_length=1, choices=LegacyIntelligenceEvaluation.choices, blank=True
    )
    legacy_handling_code = models.CharField(max_length=1, choices=LegacyHandlingCode.choices, blank=True)
    # True when the handling restricts who may receive the item (C, or legacy 5): the policy's switch.
    conditions_apply = models.BooleanField(default=False, editable=False)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owning_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "intelligence report"

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs):
        """Refuse a silent downgrade, whatever the caller: only report_change_handling sets the reason."""
        if self.pk:
            before = (
                IntelligenceReport.objects.filter(pk=self.pk)
                .values_list("grading_system", "handling_code", "legacy_handling_code")
                .first()
            )
            if before is not None:
                system, code, legacy = before
                was = HANDLING_RESTRICTION.get(
                    (system, legacy if system == GradingSystem.LEGACY_FIVE_FIVE_FIVE else code), 0
                )
                if self.restriction_level < was and not getattr(self, "_downgrade_reason", ""):
                    raise SilentDowngradeError(
                        {"handling_code": "Handling cannot be lowered without a reason: use the handling change."}
                    )
        self.conditions_apply = self.compute_conditions_apply()
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"IR-{self.pk:06d}" if self.pk else "IR-new"

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    @property
    def is_legacy(self) -> bool:
        return self.grading_system == GradingSystem.LEGACY_FIVE_FIVE_FIVE

    @property
    def current_handling(self) -> str:
        return self.legacy_handling_code if self.is_legacy else self.handling_code

    @property
    def restriction_level(self) -> int:
        return HANDLING_RESTRICTION.get((self.grading_system, self.current_handling), 0)

    @property
    def grading(self) -> str:
        if self.is_legacy:
            return grading_text(
                self.grading_system,
                self.legacy_source_evaluation,
                self.legacy_intelligence_evaluation,
                self.legacy_handling_code,
            )
        return grading_text(
            self.grading_system, self.source_evaluation, self.intelligence_assessment, self.handling_code
        )

    def compute_conditions_apply(self) -> bool:
        if self.is_legacy:
            return self.legacy_handling_code in LEGACY_RESTRICTED_HANDLING
        return self.handling_code == HandlingCode.CONDITIONS

    def clean(self) -> None:
        errors = {}
        if self.is_legacy:
            for name in ("legacy_source_evaluation", "legacy_intelligence_evaluation", "legacy_handling_code"):
                if not getattr(self, name):
                    errors[name] = "Enter the 5x5x5 grade as it was recorded."
            for name in ("source_evaluation", "intelligence_assessment", "handling_code"):
                if getattr(self, name):
                    errors[name] = "A 5x5x5-graded report keeps its original grade: leave the 3x5x2 grade blank."
        else:
            if not self.source_evaluation:
                errors["source_evaluation"] = "Choose the source evaluation (1, 2 or 3)."
            if not self.intelligence_assessment:
                errors["intelligence_assessment"] = "Choose the intelligence assessment (A to E)."
            if not self.handling_code:
                errors["handling_code"] = "Choose the handling code (P or C)."
            for name in ("legacy_source_evaluation", "legacy_intelligence_evaluation", "legacy_handling_code"):
                if getattr(self, name):
                    errors[name] = "A 3x5x2-graded report has no 5x5x5 grade."
        if self.handling_code == HandlingCode.CONDITIONS and not self.handling_conditions.strip():
            errors["handling_conditions"] = "State the conditions for handling code C: who may receive it and how."
        if errors:
            raise ValidationError(errors)


class SourceDetail(models.Model):
    """Who the source is and how the information was obtained. Kept apart from the report so that
    nothing but the police of the owning force ever reads it, and sanitisation can leave it behind."""

    report = models.OneToOneField(IntelligenceReport, on_delete=models.CASCADE, related_name="source_detail")
    source_reference = models.CharField(max_length=100, blank=True, help_text="The source register reference.")
    source_description = models.TextField(help_text="Who the source is, or what kind of source.")
    how_obtained = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Source details for {self.report.reference}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.report.owning_agency_id


class SanitisedStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved for sharing"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SanitisedVersion(models.Model):
    """The report re-written without what identifies the source, approved by an officer, and the
    only form in which intelligence reaches an agency outside the police."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.PROTECT, related_name="sanitised_versions")
    text = models.TextField("Sanitised text")
    sharing_conditions = models.TextField(
        blank=True, help_text="What the recipient may do with it (for example: not to be passed on without asking)."
    )
    grading = models.CharField(max_length=20, blank=True, help_text="The report's grading when approved.")
    status = models.CharField(max_length=20, choices=SanitisedStatus.choices, default=SanitisedStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-drafted_at", "-id"]
        verbose_name = "sanitised version"

    def __str__(self) -> str:
        return f"Sanitised version {self.pk} of {self.report.reference}"

    @property
    def reference(self) -> str:
        return f"{self.report.reference}/S{self.pk}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.report.owning_agency_id

    @property
    def is_approved(self) -> bool:
        return self.status == SanitisedStatus.APPROVED
