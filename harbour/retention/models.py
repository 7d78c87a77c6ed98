"""Retention rules as data, the decisions made on records due, and the record of each deletion.

A rule says: records of this type, held by this agency (or any agency of this kind), are due for
review (or deletion) this many months after this date on the record. The rules seeded by the
migrations are *examples*, marked as such, to be confirmed against local policy (police MoPI
groupings, the council's retention schedule) before real use.

A deletion leaves a DeletionRecord: what type, which id, which agency held it, when, by whom and
under which rule. It keeps nothing of the content: no names, no text.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Agency, AgencyKind


class RetentionAction(models.TextChoices):
    REVIEW = "review", "Review"
    DELETE = "delete", "Delete"


class RetentionRule(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    agency_kind = models.CharField(
        max_length=40, choices=AgencyKind.choices, blank=True, help_text="Blank: agencies of every kind."
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="One agency's own rule: overrides its kind's.",
    )
    date_field = models.CharField(
        max_length=60, help_text="The date the period runs from, e.g. created_at, updated_at (last activity)."
    )
    period_months = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=10, choices=RetentionAction.choices)
    citation = models.TextField(help_text="Where the period comes from: policy, schedule, guidance.")
    is_example = models.BooleanField(default=False, help_text="A default shipped with Harbour: confirm locally.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["content_type__app_label", "content_type__model", "agency_kind", "period_months"]

    def __str__(self) -> str:
        model = self.content_type.model_class()
        who = self.agency or (AgencyKind(self.agency_kind).label if self.agency_kind else "Any agency")
        name = model._meta.verbose_name_plural if model else self.content_type.model
        action = self.get_action_display().lower()
        return f"{name.capitalize()} ({who}): {action} {self.period_months} months from {self.date_field}"

    @property
    def specificity(self) -> int:
        return 2 if self.agency_id else 1 if self.agency_kind else 0

    def clean(self) -> None:
        model = self.content_type.model_class() if self.content_type_id else None
        if model is None:
            raise ValidationError({"content_type": "Choose a record type."})
        try:
            field = model._meta.get_field(self.date_field)
        except FieldDoesNotExist:
            raise ValidationError(
                {"date_field": f"{model._meta.verbose_name} has no field {self.date_field}."}
            ) from None
        if not isinstance(field, models.DateField):  # DateTimeField is a DateField too
            raise ValidationError({"date_field": "Choose a date or date-and-time field."})
        try:
            model._meta.get_field("owning_agency")
        except FieldDoesNotExist:
            raise ValidationError({"content_type": "Only records held by an agency have retention rules."}) from None
        if self.period_months < 1:
            raise ValidationError({"period_months": "The period is at least one month."})


class RetentionReview(models.Model):
    """A decision to keep a record past its period, until the next review date."""

    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="reviews")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    next_review_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "next_review_on"], name="retention_review_record")]

    def __str__(self) -> str:
        return f"Retained {self.content_type.model} {self.object_id} until {self.next_review_on}"


class DeletionRecord(models.Model):
    """That a record was deleted, and under what authority. Never what it said."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="deletions")
    deleted_at = models.DateTimeField(default=timezone.now)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # How many records of each type went with it (its names, notes...): counts only.
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} deleted"

    @property
    def reference(self) -> str:
        model = self.content_type.model_class()
        name = model._meta.verbose_name if model else self.content_type.model
        return f"{name.capitalize()} record {self.record_id}"

    @property
    def audit_record_agency_id(self):
        return self.owning_agency_id
