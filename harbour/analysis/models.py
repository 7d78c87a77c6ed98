"""Records the analysis keeps: proposed matches between person records and the human decisions on
them, confirmed same-person links (reversible), co-presence alerts, and tasks it raises.

Nothing here changes or deletes a person record. Two records confirmed to be one person stay two
records, joined by a SameAs link that can be undone; every proposal, decision and undo is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from harbour.people.models import Person


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed: the same person"
    REJECTED = "rejected", "Rejected: different people"


class PairRecord(models.Model):
    """A record about a pair of person records: the audit log files it under the first of them."""

    class Meta:
        abstract = True

    @property
    def audit_person_id(self) -> int:
        return self.person_a_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.person_a.owning_agency_id


class MatchCandidate(PairRecord):
    """Two person records the matching model thinks may be one person. One row per pair, ever: a
    rejected pair is never proposed again, and the decision is kept with who made it and why."""

    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField(default=0.0)
    # Per comparison: the level the pair reached and its weight of evidence (see core.linkage).
    explanation = models.JSONField(default=list, blank=True)
    model_version = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="match_candidate_unique_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=models.F("person_b")), name="match_candidate_ordered"),
        ]
        indexes = [models.Index(fields=["status", "-match_probability"], name="match_candidate_status")]

    def __str__(self) -> str:
        return f"Possible match: {self.person_a} and {self.person_b}"

    @property
    def percent(self) -> str:
        return f"{self.match_probability * 100:.1f}%"


class DecisionKind(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"
    UNDONE = "undone", "Confirmation undone"


class MatchDecision(models.Model):
    """Every decision on a pair, in order: the history behind its current status."""

    candidate = models.ForeignKey(MatchCandidate, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=20, choices=DecisionKind.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.decided_by}"


class SameAsQuerySet(models.QuerySet):
    def active(self):
        return self.filter(undone_at__isnull=True)


class SameAs(PairRecord):
    """Two person records confirmed to be the same person. Neither record is changed; undoing sets
    `undone_at` and the two are separate again. Clusters are the connected pairs (selectors)."""

    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(MatchCandidate, on_delete=models.PROTECT, related_name="same_as")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    objects = SameAsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "same-person link"
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"], condition=Q(undone_at__isnull=True), name="same_as_active_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} is the same person as {self.person_b}"


class AlertKind(models.TextChoices):
    SEVERAL_CHILDREN = "several_children", "Adult linked to several children"
    SAME_CHILD_REPEATEDLY = "same_child_repeatedly", "Adult linked to the same child again and again"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    REVIEWED = "reviewed", "Reviewed"


class CoPresenceAlert(models.Model):
    """An adult found with, or linked to, several children or one child repeatedly: for the
    intelligence team. Raised once per adult and pattern (and child); later links update it."""

    adult = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    child = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    children = models.ManyToManyField(Person, related_name="+")
    distinct_children = models.PositiveIntegerField(default=0)
    occasions = models.PositiveIntegerField(default=0)
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    link_ids = models.JSONField(default=list, blank=True, help_text="The graph links behind the alert.")
    status = models.CharField(max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["adult", "kind"], condition=Q(child__isnull=True), name="copresence_once_per_adult"
            ),
            models.UniqueConstraint(
                fields=["adult", "kind", "child"], condition=Q(child__isnull=False), name="copresence_once_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.adult}"

    @property
    def audit_person_id(self) -> int:
        return self.adult_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.adult.owning_agency_id


class AnalysisTask(models.Model):
    """A screening-due task for a child raised by a co-presence alert, kept here only when the risk
    app's `screening_due_create` could not be called (it needs a user who may see the child, and a
    scheduled job has none). Follows the child for access."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    alert = models.ForeignKey(CoPresenceAlert, on_delete=models.PROTECT, related_name="tasks")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "alert"], condition=Q(done_at__isnull=True), name="analysis_task_open_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Exploitation screening due for {self.child}"

    @property
    def audit_person_id(self) -> int:
        return self.child_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.child.owning_agency_id
