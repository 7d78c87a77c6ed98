"""Reads about exploitation risk, always scoped by the user who asks; reads of a record are audited."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from harbour.access.policy import scope
from harbour.access.reads import get_audited
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.people.models import Person

from . import constants as c
from . import evidence_links
from .models import Assessment, AssessmentStatus, RiskTask, Screening

_RELATED = ("child", "owning_agency", "indicator_set", "created_by", "judgement_by")


def screening_get(*, caller: Caller, pk, purpose: str = "view") -> Screening:
    return get_audited(caller=caller, queryset=Screening.objects.select_related(*_RELATED), pk=pk, purpose=purpose)


def assessment_get(*, caller: Caller, pk, purpose: str = "view") -> Assessment:
    queryset = Assessment.objects.select_related(*_RELATED, "submitted_by", "signed_off_by")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


def screenings_for(*, user, child: Person):
    return scope(user, Screening.objects.filter(child=child)).select_related(*_RELATED)


def assessments_for(*, user, child: Person):
    return scope(user, Assessment.objects.filter(child=child)).select_related(*_RELATED, "signed_off_by")


def current_records(*, user, child: Person) -> list:
    """The records that set the child's level now: the newest screening and/or signed-off assessment
    not replaced by a later one (a screening never replaces a full assessment; see services)."""
    records = list(screenings_for(user=user, child=child).filter(superseded_at__isnull=True))
    records += list(
        assessments_for(user=user, child=child).filter(status=AssessmentStatus.SIGNED_OFF, superseded_at__isnull=True)
    )
    return sorted(records, key=lambda r: (-c.level_rank(r.level), -(r.level_at.timestamp())))


def current_level(*, user, child: Person) -> str | None:
    records = current_records(user=user, child=child)
    return records[0].level if records else None


@dataclass
class LevelPoint:
    at: datetime
    level: str
    title: str
    detail: str
    by: str
    record: object

    @property
    def level_label(self) -> str:
        return c.LEVEL_LABELS[self.level]


def level_history(*, user, child: Person) -> list[LevelPoint]:
    """Every level the child has been given, oldest first: screenings, sign-offs and judgements."""
    points = []
    for record in [
        *screenings_for(user=user, child=child),
        *assessments_for(user=user, child=child).filter(status=AssessmentStatus.SIGNED_OFF),
    ]:
        kind = "Exploitation screening" if isinstance(record, Screening) else "Exploitation risk assessment signed off"
        by = record.created_by if isinstance(record, Screening) else record.signed_off_by
        judged_at_start = bool(record.judgement_at and record.judgement_at <= record.level_at)
        level_then = record.level if judged_at_start or not record.judgement_level else record.rule_level
        detail = (
            f"Score {record.explanation.get('score', record.score)} on indicator set {record.indicator_set.version}."
        )
        if record.drivers:
            detail += " Main indicators: " + "; ".join(d["label"] for d in record.drivers[:3]) + "."
        if record.floor_reason and record.rule_level != record.score_level:
            detail += " " + record.floor_reason
        points.append(
            LevelPoint(record.level_at, level_then, f"{kind}: {c.LEVEL_LABELS[level_then]}", detail, str(by), record)
        )
        if record.judgement_level and not judged_at_start:
            points.append(
                LevelPoint(
                    record.judgement_at,
                    record.judgement_level,
                    f"Level raised by professional judgement: {c.LEVEL_LABELS[record.judgement_level]}",
                    record.judgement_reason,
                    str(record.judgement_by),
                    record,
                )
            )
    return sorted(points, key=lambda p: p.at)


def register_timeline() -> None:
    """The child's timeline (harbour.people) shows the history of levels."""
    from harbour.people.selectors import TimelineEntry, register_timeline_source

    def risk_timeline(person: Person, user) -> list:
        if not person.is_child:
            return []
        return [TimelineEntry(p.at, "risk", p.title, p.detail, p.by) for p in level_history(user=user, child=person)]

    register_timeline_source(risk_timeline)


def overdue_reviews(*, user, today: date | None = None) -> list:
    """Current screenings and signed-off assessments past their review date, of children the user
    can see, most overdue first."""
    today = today or timezone.localdate()
    if user.role not in (Role.PRACTITIONER, Role.SUPERVISOR, Role.ANALYST, Role.MACE_CHAIR):
        return []
    screenings = scope(user, Screening.objects.filter(superseded_at__isnull=True, review_due__lt=today))
    assessments = scope(
        user,
        Assessment.objects.filter(status=AssessmentStatus.SIGNED_OFF, superseded_at__isnull=True, review_due__lt=today),
    )
    records = [*screenings.select_related(*_RELATED), *assessments.select_related(*_RELATED)]
    return sorted(records, key=lambda r: (r.review_due, r.pk))


def open_tasks(*, user, child: Person | None = None):
    tasks = scope(user, RiskTask.objects.filter(done_at__isnull=True)).select_related("child")
    return tasks.filter(child=child) if child is not None else tasks


def awaiting_sign_off(*, user):
    """Submitted assessments a supervisor may sign off: their agency's, not their own."""
    if user.role != Role.SUPERVISOR or not user.agency_id:
        return Assessment.objects.none()
    return (
        scope(user, Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, owning_agency_id=user.agency_id))
        .exclude(created_by=user)
        .exclude(submitted_by=user)
        .select_related(*_RELATED, "submitted_by")
        .order_by("submitted_at")
    )


def drafts_of(*, user):
    return scope(user, Assessment.objects.filter(status=AssessmentStatus.DRAFT, created_by=user)).select_related(
        *_RELATED
    )


@dataclass
class AnswerShown:
    code: str
    label: str
    group: str
    significant: bool
    timing: str
    timing_label: str
    professional_concern: str
    evidence: list[dict]
    points: str


def answers_shown(*, user, record) -> list[AnswerShown]:
    """The record's answers as this user may see them: labels from the record's own indicator set,
    linked evidence only if the user can see the linked record."""
    spec = record.indicator_set.spec
    points = {x["indicator"]: x["points"] for x in record.explanation.get("contributions", [])}
    order = {i.code: n for n, i in enumerate(spec.indicators)}
    shown = []
    for answer in scope(user, record.answers.all()).prefetch_related("evidence"):
        indicator = spec.by_code.get(answer.indicator)
        shown.append(
            AnswerShown(
                code=answer.indicator,
                label=indicator.label if indicator else answer.indicator,
                group=indicator.group if indicator else c.EXPLOITATION,
                significant=bool(indicator and indicator.significant),
                timing=answer.timing,
                timing_label=c.TIMING_LABELS.get(answer.timing, answer.timing),
                professional_concern=answer.professional_concern,
                evidence=[evidence_links.describe(user=user, evidence=e) for e in answer.evidence.all()],
                points=points.get(answer.indicator, ""),
            )
        )
    return sorted(shown, key=lambda a: (c.GROUPS.index(a.group), order.get(a.code, 999)))


def person_panel(person: Person, user) -> dict | None:
    """The 'Exploitation risk' card on a child's page (harbour.people.panels): current level, review
    date and open tasks, as the user may see them, linking to the child's risk page."""
    if not person.is_child:
        return None
    current = current_records(user=user, child=person)
    return {
        "person": person,
        "lead": current[0] if current else None,
        "tasks": list(open_tasks(user=user, child=person)),
    }
