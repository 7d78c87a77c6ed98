"""MACE (multi-agency child exploitation) meetings: agendas built from the data, decisions, actions
with one owner and a due date, escalation of overdue actions, and suspect interviews tracked with
dates so delays show.

An agenda item built from the data holds only its kind and the record it is about: what it says is
worked out for each reader from what that reader may see (see agenda.py), so an attendee never
reads, on screen or in the minutes, a summary of a record the policy hides from them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Agency
from harbour.people.models import Person

# An item's time limit, in minutes.
MIN_ITEM_MINUTES = 1
MAX_ITEM_MINUTES = 60


class Meeting(models.Model):
    title = models.CharField(max_length=200)
    held_at = models.DateTimeField("Date and time")
    location = models.CharField(max_length=200, blank=True)
    chairs = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="chaired_meetings")
    agencies = models.ManyToManyField(Agency, related_name="mace_meetings", help_text="Agencies attending.")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.held_at):%-d %B %Y})"

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    @property
    def held_on(self):
        return timezone.localtime(self.held_at).date()


class ItemKind(models.TextChoices):
    CHILD_AT_RISK = "child_at_risk", "Child at the highest risk level or newly raised"
    OVERDUE_RHI = "overdue_rhi", "Overdue return home interview"
    OVERDUE_REVIEW = "overdue_review", "Overdue risk review"
    TRIGGER = "trigger", "Repeat-missing trigger not yet acted on"
    CO_PRESENCE = "co_presence", "Co-presence alert"
    HOTSPOT = "hotspot", "New or rising hotspot"
    NO_DISRUPTION = "no_disruption", "Person of concern without disruption"
    ORDER = "order", "Order ending or breached"
    SUSPECT_INTERVIEW = "suspect_interview", "Suspect interview delayed"
    OPEN_ACTION = "open_action", "Open action carried forward"
    OVERDUE_ACTION = "overdue_action", "Overdue action"
    CHAIR = "chair", "Item added by the chair"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=30, choices=ItemKind.choices)
    # Written by the chair for their own items; items from the data are described per reader.
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    linked = GenericForeignKey("content_type", "object_id")
    time_limit_minutes = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(MIN_ITEM_MINUTES), MaxValueValidator(MAX_ITEM_MINUTES)]
    )
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "content_type", "object_id"],
                condition=Q(content_type__isnull=False),
                name="agenda_item_once_per_record",
            ),
            models.CheckConstraint(
                name="agenda_item_link_complete",
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.position} of {self.meeting}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.meeting.owning_agency_id

    def clean(self) -> None:
        if self.kind == ItemKind.CHAIR and not self.title.strip():
            raise ValidationError({"title": "Enter a title for the item."})


class Decision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Decision {self.pk}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Action(models.Model):
    """One thing to do, with one owner (a user and their agency) and a due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mace_actions")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="mace_action_status_due")]
        constraints = [
            models.CheckConstraint(
                name="mace_action_done_has_time",
                condition=Q(status="open", done_at__isnull=True) | Q(status="done", done_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}: {self.description[:60]}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.meeting.owning_agency_id

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def days_overdue(self) -> int:
        return max(0, (timezone.localdate() - self.due_on).days) if self.is_open else 0


class Escalation(models.Model):
    """An overdue action raised with the owner's supervisor. With no supervisor found it is still
    recorded (escalated_to empty), so the next meeting sees it was not picked up."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="escalations")
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="mace_escalations"
    )
    escalated_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-escalated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "escalated_to"], name="escalation_once_per_supervisor"),
            models.UniqueConstraint(
                fields=["action"], condition=Q(escalated_to__isnull=True), name="escalation_once_unassigned"
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation of action {self.action_id} to {self.escalated_to or 'no supervisor found'}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.action.owner_agency_id


class SuspectInterview(models.Model):
    """An interview of a suspect, with the dates that show a delay: when it was first needed, when
    it was planned for, and when it was held. Inquiries found a suspect not interviewed for months."""

    suspect = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="suspect_interviews")
    needed_since = models.DateField(help_text="When the suspect was identified and an interview first needed.")
    planned_on = models.DateField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    notes = models.TextField(blank=True)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "planned_on", "needed_since", "id"]

    def __str__(self) -> str:
        return f"Interview of {self.suspect}"

    @property
    def audit_person_id(self) -> int:
        return self.suspect_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    def _until(self, today=None):
        return self.held_on or today or timezone.localdate()

    def delay_days(self, today=None) -> int | None:
        """Days late against the planned date (0 if on time); None if never planned."""
        if self.planned_on is None:
            return None
        return max(0, (self._until(today) - self.planned_on).days)

    def waiting_days(self, today=None) -> int:
        """Days from when the interview was first needed to when it was held (or today)."""
        return max(0, (self._until(today) - self.needed_since).days)

    @property
    def delay(self) -> int | None:
        return self.delay_days()

    @property
    def waiting(self) -> int:
        return self.waiting_days()

    @property
    def is_delayed(self) -> bool:
        delay = self.delay_days()
        return bool(delay) if delay is not None else False

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.needed_since and self.needed_since > today:
            errors["needed_since"] = "The date must be today or in the past."
        if self.planned_on and self.needed_since and self.planned_on < self.needed_since:
            errors["planned_on"] = "It cannot be planned for before it was needed."
        if self.held_on and self.held_on > today:
            errors["held_on"] = "The date must be today or in the past."
        if self.held_on and self.needed_since and self.held_on < self.needed_since:
            errors["held_on"] = "It cannot be held before it was needed."
        if errors:
            raise ValidationError(errors)
