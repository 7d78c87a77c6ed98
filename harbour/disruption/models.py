"""Disruption: civil orders and notices against people, places and businesses, their breaches, and
disruption operations at places.

An order about a person follows that person for access (whoever may see the person may see the
order); an order about a place or business is seen by the agency that holds it and those it is
shared with (see access_rules.py). The rules on durations live in law.py; `DisruptionOrder.clean`
applies them so every form, the API and the services give the same field errors.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Agency
from harbour.missing.models import Place
from harbour.people.models import LookedAfterStatus, Person, PersonKind

from . import law


class SubjectKind(models.TextChoices):
    PERSON = law.PERSON, "A person"
    PLACE = law.PLACE, "A place"
    BUSINESS = law.BUSINESS, "A business"


class OrderStatus(models.TextChoices):
    CONSIDERED = "considered", "Being considered"
    APPLIED = "applied", "Applied for"
    GRANTED = "granted", "Granted or issued"
    SERVED = "served", "Served"
    REFUSED = "refused", "Refused"
    EXPIRED = "expired", "Expired"
    DISCHARGED = "discharged", "Discharged"
    BREACHED = "breached", "Breached (still in force)"


# An order with one of these statuses protects someone now (until its end date).
IN_FORCE = frozenset({OrderStatus.GRANTED, OrderStatus.SERVED, OrderStatus.BREACHED})
# "In place or being considered": a person with one of these needs no prompt.
ACTIVE = frozenset({OrderStatus.CONSIDERED, OrderStatus.APPLIED, *IN_FORCE})
# Statuses that need the date the order was granted or issued.
NEEDS_GRANTED = frozenset({*IN_FORCE, OrderStatus.EXPIRED, OrderStatus.DISCHARGED})
NEEDS_APPLIED = frozenset({OrderStatus.APPLIED, OrderStatus.REFUSED})
NEEDS_NOTE = frozenset({OrderStatus.REFUSED, OrderStatus.DISCHARGED})


class OrderQuerySet(models.QuerySet):
    def in_force(self, *, at=None):
        at = at or timezone.now()
        return self.filter(status__in=IN_FORCE).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))

    def expiring(self, *, within=law.EXPIRY_WARNING, at=None):
        at = at or timezone.now()
        return self.filter(status__in=IN_FORCE, expires_at__gt=at, expires_at__lte=at + within)

    def lapsed(self, *, at=None):
        """In force by status but past the end date: the status needs updating to expired."""
        return self.filter(status__in=IN_FORCE, expires_at__lte=at or timezone.now())


class DisruptionOrder(models.Model):
    tool = models.CharField(max_length=30, choices=law.TOOL_CHOICES)
    other_tool_name = models.CharField("Name of the tool", max_length=200, blank=True)
    subject_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    subject_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="disruption_orders"
    )
    subject_place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_business = models.CharField("Business name", max_length=200, blank=True)
    protected_children = models.ManyToManyField(Person, blank=True, related_name="protected_by_orders")
    applicant = models.CharField(max_length=200, blank=True, help_text="Who applied for or issued it.")
    court_or_authority = models.CharField(max_length=200, blank=True)
    applied_on = models.DateField(null=True, blank=True)
    granted_on = models.DateField("Granted or issued on", null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    extended = models.BooleanField(default=False, help_text="Extended as the law allows (closure notices and orders).")
    conditions = models.TextField(blank=True, help_text="Prohibitions, requirements or terms, one to a line.")
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.CONSIDERED)
    status_note = models.TextField(blank=True, help_text="Why it was refused or discharged.")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    is_restricted = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"], name="order_status_expiry")]
        constraints = [
            models.CheckConstraint(
                name="order_one_subject",
                condition=(
                    Q(subject_kind=law.PERSON, subject_person__isnull=False, subject_place__isnull=True)
                    | Q(subject_kind=law.PLACE, subject_place__isnull=False, subject_person__isnull=True)
                    | Q(subject_kind=law.BUSINESS, subject_person__isnull=True, subject_place__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_label} ({self.get_status_display().lower()})"

    # --- What the audit log files it under ---

    @property
    def audit_person_id(self):
        return self.subject_person_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    # --- The law ---

    @property
    def law_tool(self) -> "law.Tool":
        return law.tool(self.tool)

    @property
    def tool_label(self) -> str:
        if self.tool == law.OTHER.code and self.other_tool_name:
            return self.other_tool_name
        return self.law_tool.label

    @property
    def subject_label(self) -> str:
        """The subject, for those who may see it (callers check the person separately)."""
        if self.subject_kind == law.PERSON:
            return str(self.subject_person)
        if self.subject_kind == law.PLACE:
            return str(self.subject_place)
        return self.subject_business

    def effective_status(self, at=None) -> str:
        """The status, reading a lapsed end date as expired."""
        at = at or timezone.now()
        if self.status in IN_FORCE and self.expires_at and self.expires_at <= at:
            return OrderStatus.EXPIRED
        return self.status

    @property
    def effective_status_label(self) -> str:
        return OrderStatus(self.effective_status()).label

    @property
    def is_in_force(self) -> bool:
        return self.effective_status() in IN_FORCE

    @property
    def expires_soon(self) -> bool:
        now = timezone.now()
        return bool(self.is_in_force and self.expires_at and self.expires_at <= now + law.EXPIRY_WARNING)

    @property
    def duration_start(self):
        """When the period runs from: service for notices, the day granted for court orders."""
        if self.law_tool.runs_from_service and self.served_at:
            return self.served_at
        if self.granted_on:
            return law.start_of_day(self.granted_on)
        return None

    def subject_age(self) -> int | None:
        if self.subject_person is None:
            return None
        return self.subject_person.age_on(self.granted_on or timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        tool = law.BY_CODE.get(self.tool)
        if tool is None:
            raise ValidationError({"tool": "Choose the disruption tool."})
        if tool is law.OTHER and not self.other_tool_name.strip():
            errors["other_tool_name"] = "Name the tool, for 'Other'."
        if self.subject_kind and self.subject_kind not in tool.subjects:
            kinds = " or ".join(sorted(SubjectKind(k).label.lower() for k in tool.subjects))
            errors["subject_kind"] = f"A {tool.label} is made against {kinds}."
        if self.subject_kind == law.PERSON and not self.subject_person_id:
            errors["subject_person"] = "Choose the person the order is against."
        if self.subject_kind == law.PLACE and not self.subject_place_id:
            errors["subject_place"] = "Choose or describe the place."
        if self.subject_kind == law.BUSINESS and not self.subject_business.strip():
            errors["subject_business"] = "Enter the name of the business."
        self._clean_dates(tool, errors)
        if not errors:
            self._clean_durations(tool, errors)
        if errors:
            raise ValidationError(errors)

    def _clean_dates(self, tool: law.Tool, errors: dict) -> None:
        today = timezone.localdate()
        now = timezone.now()
        status = self.status
        if status in NEEDS_APPLIED and tool.applied_for and not self.applied_on:
            errors["applied_on"] = "Enter the date the application was made."
        if status in NEEDS_GRANTED and not self.granted_on:
            errors["granted_on"] = "Enter the date it was granted or issued."
        if status == OrderStatus.SERVED and not self.served_at:
            errors["served_at"] = "Enter when it was served."
        if status in NEEDS_NOTE and not self.status_note.strip():
            errors["status_note"] = f"Say why it was {OrderStatus(status).label.lower()}."
        for field in ("applied_on", "granted_on"):
            value = getattr(self, field)
            if value and value > today:
                errors.setdefault(field, "The date must be today or in the past.")
        if self.served_at and self.served_at > now + timedelta(minutes=5):
            errors.setdefault("served_at", "The time of service must be now or in the past.")
        if self.applied_on and self.granted_on and self.granted_on < self.applied_on:
            errors.setdefault("granted_on", "It cannot be granted before the application was made.")
        if self.served_at and self.granted_on and law.local_date(self.served_at) < self.granted_on:
            errors.setdefault("served_at", "It cannot be served before it was granted or issued.")
        if self.until_further_order and self.expires_at:
            errors.setdefault("expires_at", "Give an end date, or choose 'until further order', not both.")
        if self.until_further_order and not tool.until_further_order:
            errors.setdefault("until_further_order", f"A {tool.label} cannot run until further order.")
        has_durations = bool(tool.min_duration or tool.max_duration)
        if status in IN_FORCE and not self.expires_at and not self.until_further_order and has_durations:
            errors.setdefault("expires_at", "Enter when it ends.")
        if status == OrderStatus.EXPIRED and (not self.expires_at or self.expires_at > now):
            errors.setdefault("expires_at", "An expired order needs an end date in the past.")
        if self.extended and not tool.max_with_extension:
            errors.setdefault("extended", f"A {tool.label} cannot be extended.")
        start = self.duration_start
        if self.expires_at and start and self.expires_at <= start:
            errors.setdefault("expires_at", "It must end after it starts.")

    def _clean_durations(self, tool: law.Tool, errors: dict) -> None:
        start = self.duration_start
        if start is None or self.expires_at is None:
            return
        minimum, maximum = law.durations_for(tool, subject_age=self.subject_age())
        if self.extended and tool.max_with_extension:
            maximum = tool.max_with_extension
        youth = " for a person under 18" if minimum is not tool.min_duration else ""
        if minimum:
            earliest = law.at_least_until(start, minimum)
            ends = law.local_date(self.expires_at) if not minimum.is_hours else self.expires_at
            if ends < earliest:
                errors["expires_at"] = (
                    f"A {tool.label} lasts at least {minimum}{youth} ({tool.basis}): "
                    f"it cannot end before {_shown(earliest)}."
                )
                return
        if maximum:
            latest = law.end_by(start, maximum)
            if self.expires_at > latest:
                shown = latest if maximum.is_hours else law.local_date(latest - timedelta(microseconds=1))
                extension = ""
                if tool.max_with_extension and not self.extended:
                    extension = f" unless extended (to at most {tool.max_with_extension})"
                errors["expires_at"] = (
                    f"A {tool.label} lasts at most {maximum}{youth}{extension} ({tool.basis}): "
                    f"it must end by {_shown(shown)}."
                )


def _shown(value) -> str:
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%-d %B %Y, %H:%M")
    return value.strftime("%-d %B %Y")


def cawn_child_error(child: Person, *, on) -> str | None:
    """Why this child cannot be protected by a CAWN on that day, or None if they can."""
    if child.kind != PersonKind.CHILD:
        return f"{child} is not recorded as a child."
    age = child.age_on(on)
    if age is None:
        return f"{child} has no date of birth or estimated age: a CAWN needs the child's age."
    in_care = child.looked_after_status == LookedAfterStatus.LOOKED_AFTER
    limit = law.CAWN_AGE_LIMIT_IN_CARE if in_care else law.CAWN_AGE_LIMIT
    if age >= limit:
        if in_care:
            return f"{child} is {age}: a CAWN protects a child in care under {limit}."
        return f"{child} is {age}: a CAWN protects a child under {law.CAWN_AGE_LIMIT}, or under 18 if in care."
    return None


class Breach(models.Model):
    order = models.ForeignKey(DisruptionOrder, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField()
    description = models.TextField()
    action_taken = models.TextField(blank=True, help_text="Arrest, charge, warning, referral to court...")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "breaches"

    def __str__(self) -> str:
        return f"Breach of {self.order.tool_label} on {self.occurred_on:%-d %B %Y}"

    @property
    def audit_person_id(self):
        return self.order.subject_person_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.order.owning_agency_id

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": "The date must be today or in the past."})


class Operation(models.Model):
    """A named disruption operation: places, dates, the agencies taking part, what they did."""

    name = models.CharField(max_length=200)
    aim = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    places = models.ManyToManyField(Place, blank=True, related_name="+")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="disruption_operations")
    outcomes = models.TextField(blank=True)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    is_restricted = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The operation must end on or after the day it starts."})


class ActivityKind(models.TextChoices):
    VISIT = "visit", "Visit or patrol"
    HOTEL = "hotel", "Engagement with hotels"
    TAXI = "taxi", "Engagement with taxi firms"
    TAKEAWAY = "takeaway", "Engagement with takeaways"
    LICENSING = "licensing", "Licensing intervention"
    OTHER = "other", "Other"


class Activity(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    on = models.DateField()
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    business_name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on:%-d %B %Y}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.operation.owning_agency_id
