"""Exploitation risk: screenings, full assessments, their answers and evidence, and tasks.

A screening is quick: anyone working the case who can see the child records what they know and
gets a level. An assessment is the full version, written by a practitioner and signed off by a
supervisor of the same agency. Both record the indicator set version they were scored with and a
snapshot of the explanation, so a later set of weights never rewrites them (re-scoring makes a new
assessment). Every record here follows the child for access (see access_rules.py).
"""

from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Agency
from harbour.people.models import Person

from . import constants as c
from .indicators import IndicatorSetSpec, parse


class Level(models.TextChoices):
    NOT_AT_RISK = c.NOT_AT_RISK, c.LEVEL_LABELS[c.NOT_AT_RISK]
    AT_RISK = c.AT_RISK, c.LEVEL_LABELS[c.AT_RISK]
    SIGNIFICANT = c.SIGNIFICANT, c.LEVEL_LABELS[c.SIGNIFICANT]
    SERIOUS = c.SERIOUS, c.LEVEL_LABELS[c.SERIOUS]


class Timing(models.TextChoices):
    CURRENT = c.CURRENT, c.TIMING_LABELS[c.CURRENT]
    PREVIOUS = c.PREVIOUS, c.TIMING_LABELS[c.PREVIOUS]


class LimbAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known yet"


class IndicatorSet(models.Model):
    """One published version of the indicators and weights. Loaded by data migrations; never edited."""

    version = models.CharField(max_length=20, unique=True)
    effective_from = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"Indicator set {self.version}"

    @cached_property
    def spec(self) -> IndicatorSetSpec:
        return parse(self.content)


class RiskRecord(models.Model):
    """What a screening and an assessment share: the child, the answers' result and the level."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="+")
    exploitation_types = models.JSONField(default=list, help_text="Codes from the indicator set.")
    # Child criminal exploitation: the limbs of the definition, each answered when CCE is in view.
    cce_exchange = models.CharField(max_length=10, choices=LimbAnswer.choices, blank=True)
    cce_advantage = models.CharField(max_length=10, choices=LimbAnswer.choices, blank=True)
    cce_violence_or_threat = models.CharField(max_length=10, choices=LimbAnswer.choices, blank=True)
    cce_detail = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="What prompted this, and the overall professional concern.")
    # The result, as scored (see scoring.py); `explanation` keeps every contribution and rule.
    score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    score_level = models.CharField(max_length=20, choices=Level.choices, default=Level.NOT_AT_RISK)
    rule_level = models.CharField(max_length=20, choices=Level.choices, default=Level.NOT_AT_RISK)
    floor_reason = models.TextField(blank=True)
    judgement_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    judgement_reason = models.TextField(blank=True)
    judgement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judgement_at = models.DateTimeField(null=True, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.NOT_AT_RISK)
    explanation = models.JSONField(default=dict)
    # The facts the rules used, as they were on the day.
    child_age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    child_disability = models.BooleanField(default=False)
    child_learning_disability = models.BooleanField(default=False)
    assessed_on = models.DateField(help_text="The day (Europe/London) the answers were scored.")
    review_due = models.DateField(null=True, blank=True)
    # Set when a later screening or signed-off assessment becomes the child's current level.
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def audit_person_id(self) -> int:
        return self.child_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    @property
    def type_labels(self) -> list[str]:
        labels = self.indicator_set.spec.type_labels()
        return [labels.get(code, code) for code in self.exploitation_types]

    @property
    def is_judgement_raised(self) -> bool:
        return bool(self.judgement_level) and self.level == self.judgement_level and self.level != self.rule_level

    @property
    def is_overdue(self) -> bool:
        return bool(self.review_due and self.review_due < timezone.localdate() and self.superseded_at is None)

    @property
    def drivers(self) -> list[dict]:
        """The stored contributions, heaviest first."""
        items = list(self.explanation.get("contributions", []))
        return sorted(items, key=lambda x: (-float(x["points"]), x["group"] != c.EXPLOITATION, x["label"]))

    def cce_limbs(self) -> list[tuple[str, str]]:
        answers = dict(LimbAnswer.choices)
        return [(label, answers.get(getattr(self, name), "Not recorded")) for name, label in c.CCE_LIMBS]


class Screening(RiskRecord):
    kind = "screening"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["child", "created_at"], name="risk_screening_child")]

    def __str__(self) -> str:
        return f"Exploitation screening for {self.child} ({self.get_level_display()})"

    @property
    def level_at(self):
        return self.created_at


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


class Assessment(RiskRecord):
    kind = "assessment"

    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True, help_text="Why the supervisor sent it back, if they did.")
    rescored_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["child", "status"], name="risk_assessment_child")]

    def __str__(self) -> str:
        return f"Exploitation risk assessment for {self.child} ({self.get_status_display().lower()})"

    @property
    def level_at(self):
        return self.signed_off_at


class Answer(models.Model):
    """One indicator found, current or previous. Evidence (what is recorded) is kept apart from
    the professional concern (what the practitioner thinks), as inquiries asked."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    indicator = models.CharField(max_length=60)
    timing = models.CharField(max_length=10, choices=Timing.choices)
    professional_concern = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(screening__isnull=False, assessment__isnull=True)
                | Q(screening__isnull=True, assessment__isnull=False),
                name="risk_answer_one_parent",
            ),
            models.UniqueConstraint(fields=["screening", "indicator"], name="risk_answer_once_per_screening"),
            models.UniqueConstraint(fields=["assessment", "indicator"], name="risk_answer_once_per_assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.timing})"

    @property
    def record(self):
        return self.screening or self.assessment


class Evidence(models.Model):
    """What an answer rests on: a linked record (an episode, intelligence, a note) or a written note."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=False) | ~Q(note=""), name="risk_evidence_link_or_note"
            ),
        ]

    def __str__(self) -> str:
        return "Linked record" if self.content_type_id else "Evidence note"


class TaskKind(models.TextChoices):
    SCREENING_DUE = "screening_due", "Exploitation screening due"
    REVIEW_DUE = "review_due", "Risk review due"


class RiskTask(models.Model):
    """Something to do about a child's exploitation risk, raised by a trigger or a review date."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    reason = models.CharField(max_length=300)
    source = models.CharField(max_length=100, blank=True, help_text="What raised it, e.g. missing.TriggerTask:12.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open task per child, kind and reason: a trigger that fires twice does not duplicate it.
            models.UniqueConstraint(
                fields=["child", "kind", "reason"], condition=Q(done_at__isnull=True), name="risk_task_open_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child}"

    @property
    def audit_person_id(self) -> int:
        return self.child_id
