"""Writes for exploitation risk. Keyword-only, one transaction each, the audit row inside it.

Each service checks the access policy itself, so no caller (view, API, another app's trigger) can
skip it: what the caller may not see answers 404; what the rules refuse raises ValidationError
keyed by the field to correct.

Other apps raise a "screening due" task through `screening_due_create` (e.g. a repeat-missing
trigger in harbour.missing). It is idempotent: the same reason for the same child while a task is
open returns the open task.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from harbour.access.policy import Action, can
from harbour.accounts.roles import CASEWORK_ROLES, WRITING_ROLES, Role
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.people.models import Person, PersonKind, YesNoUnknown

from . import constants as c
from . import evidence_links, scoring
from .models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Evidence,
    IndicatorSet,
    LimbAnswer,
    RiskTask,
    Screening,
    TaskKind,
)

CCE_FIELDS = tuple(name for name, _ in c.CCE_LIMBS)


@dataclass(frozen=True)
class AnswerInput:
    """One indicator found. `evidence_records` are records (or 'app.model:pk' keys) the answer rests on;
    `evidence_note` says what else is known and from where; `professional_concern` is the worker's view."""

    indicator: str
    timing: str
    evidence_note: str = ""
    evidence_records: tuple = ()
    professional_concern: str = ""


# --- Helpers -------------------------------------------------------------------------------------


def _require(caller: Caller, action: Action, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


def _require_child(caller: Caller, child: Person) -> None:
    _require(caller, Action.VIEW, child)
    if child.kind != PersonKind.CHILD:
        raise ValidationError({"child": "Exploitation screening and assessment are for children."})


def current_indicator_set(on: date | None = None) -> IndicatorSet:
    """The indicator set in force on a day: the latest whose effective date has come."""
    on = on or timezone.localdate()
    found = IndicatorSet.objects.filter(effective_from__lte=on).order_by("-effective_from", "-id").first()
    if found is None:
        raise ValidationError({"indicator_set": "No indicator set is in force: ask an administrator to load one."})
    return found


def child_facts(child: Person, on: date) -> scoring.ChildFacts:
    return scoring.ChildFacts(
        age_years=child.age_on(on),
        disability_recorded=child.disability == YesNoUnknown.YES,
        learning_disability_recorded=child.learning_disability == YesNoUnknown.YES,
    )


def _as_answer(value) -> AnswerInput:
    if isinstance(value, AnswerInput):
        return value
    if isinstance(value, dict):
        return AnswerInput(**value)
    raise TypeError("answers must be AnswerInput or dicts")


def _check_record_fields(spec, exploitation_types, cce: dict) -> list[str]:
    codes = list(dict.fromkeys(exploitation_types or []))
    errors = {}
    if not codes:
        errors["exploitation_types"] = "Choose the kinds of exploitation you are concerned about."
    unknown = [code for code in codes if code not in spec.type_labels()]
    if unknown:
        errors["exploitation_types"] = f"Unknown kind of exploitation: {', '.join(unknown)}."
    for name in CCE_FIELDS:
        if cce.get(name, "") not in ("", *LimbAnswer.values):
            errors[name] = "Answer yes, no or not known yet."
    if errors:
        raise ValidationError(errors)
    return codes


def _score(record, spec, answers: list[AnswerInput], child: Person, on: date) -> scoring.Result:
    facts = child_facts(child, on)
    try:
        result = scoring.score(spec, [scoring.AnswerIn(a.indicator, a.timing) for a in answers], facts)
    except scoring.ScoringError as error:
        raise ValidationError({error.field: error.message}) from None
    record.score = result.score
    record.score_level = result.score_level
    record.rule_level = result.rule_level
    record.floor_reason = result.floor_reason
    record.explanation = result.to_json()
    record.level = scoring.final_level(result.rule_level, record.judgement_level or None)
    record.child_age_years = facts.age_years
    record.child_disability = facts.disability_recorded
    record.child_learning_disability = facts.learning_disability_recorded
    record.assessed_on = on
    return result


def _resolve_evidence(caller: Caller, child: Person, items) -> list:
    records = []
    for item in items:
        key = item if isinstance(item, str) else evidence_links.key_for(item)
        record = evidence_links.resolve(user=caller.user, child=child, key=key)
        if record is None:
            raise ValidationError({"answers": "A linked record is not about this child, or you cannot see it."})
        records.append(record)
    return records


def _save_answers(caller: Caller, record, answers: list[AnswerInput]) -> list[dict]:
    """Replace the record's answers; returns what the audit row says of them (no free text)."""
    parent = {"screening": record} if isinstance(record, Screening) else {"assessment": record}
    Answer.objects.filter(**parent).delete()
    summary = []
    for item in answers:
        linked = _resolve_evidence(caller, record.child, item.evidence_records)
        answer = Answer.objects.create(
            child=record.child,
            indicator=item.indicator,
            timing=item.timing,
            professional_concern=item.professional_concern.strip(),
            **parent,
        )
        for linked_record in linked:
            Evidence.objects.create(
                answer=answer,
                content_type=ContentType.objects.get_for_model(linked_record),
                object_id=str(linked_record.pk),
                created_by=caller.user,
            )
        if item.evidence_note.strip():
            Evidence.objects.create(answer=answer, note=item.evidence_note.strip(), created_by=caller.user)
        summary.append(
            {
                "indicator": item.indicator,
                "timing": item.timing,
                "linked": [evidence_links.key_for(r) for r in linked],
                "note": bool(item.evidence_note.strip()),
                "concern": bool(item.professional_concern.strip()),
            }
        )
    return summary


def _answers_of(record) -> list[AnswerInput]:
    return [
        AnswerInput(indicator=a.indicator, timing=a.timing, professional_concern=a.professional_concern)
        for a in record.answers.all()
    ]


def _result_changes(record) -> dict:
    return {
        "score": str(record.score),
        "score_level": record.score_level,
        "rule_level": record.rule_level,
        "level": record.level,
        "indicator_set": record.indicator_set.version,
    }


def _close_tasks(caller: Caller, tasks, note: str) -> None:
    now = timezone.now()
    for task in tasks.select_for_update():
        task.done_at, task.done_by, task.done_note = now, caller.user, note
        task.save(update_fields=["done_at", "done_by", "done_note"])
        audit_record(
            actor=caller.user,
            action=AuditAction.UPDATE,
            target=task,
            client_ip=caller.client_ip,
            changes={"done_at": [None, now]},
            details={"closed_by": note},
        )


def _make_current(caller: Caller, record) -> None:
    """This record is now the child's current level: earlier ones it replaces are superseded.

    A screening replaces earlier screenings; a signed-off assessment replaces earlier screenings and
    assessments. So a quick screening never silently replaces a full assessment's level; the child's
    current level is the highest of the records still current (selectors.current_records).
    """
    now = timezone.now()
    keys = []
    earlier_screenings = Screening.objects.filter(child=record.child, superseded_at__isnull=True).exclude(
        pk=record.pk if isinstance(record, Screening) else None
    )
    replaced = list(earlier_screenings.values_list("pk", flat=True))
    earlier_screenings.update(superseded_at=now)
    keys += [f"risk.screening:{pk}" for pk in replaced]
    if isinstance(record, Assessment):
        earlier = Assessment.objects.filter(
            child=record.child, status=AssessmentStatus.SIGNED_OFF, superseded_at__isnull=True
        ).exclude(pk=record.pk)
        replaced = list(earlier.values_list("pk", flat=True))
        earlier.update(superseded_at=now)
        keys += [f"risk.assessment:{pk}" for pk in replaced]
    open_tasks = RiskTask.objects.filter(child=record.child, done_at__isnull=True)
    what = f"{record.kind.capitalize()} {record.pk} recorded"
    _close_tasks(
        caller,
        open_tasks.filter(Q(kind=TaskKind.SCREENING_DUE) | Q(kind=TaskKind.REVIEW_DUE, source__in=keys)),
        what,
    )


# --- Screening -----------------------------------------------------------------------------------


@transaction.atomic
def screening_create(
    *,
    caller: Caller,
    child: Person,
    exploitation_types: list[str],
    answers=(),
    summary: str = "",
    cce_exchange: str = "",
    cce_advantage: str = "",
    cce_violence_or_threat: str = "",
    cce_detail: str = "",
) -> Screening:
    """A quick screening by anyone working the case who can see the child. It becomes the child's
    current screening, closes any open 'screening due' task, and sets a review date by level."""
    user = caller.user
    _require_child(caller, child)
    if user.role not in CASEWORK_ROLES or not user.agency_id:
        raise Http404("Not found")
    indicator_set = current_indicator_set()
    cce = {
        "cce_exchange": cce_exchange,
        "cce_advantage": cce_advantage,
        "cce_violence_or_threat": cce_violence_or_threat,
    }
    types = _check_record_fields(indicator_set.spec, exploitation_types, cce)
    answers = [_as_answer(a) for a in answers]
    now = timezone.now()
    screening = Screening(
        child=child,
        owning_agency_id=user.agency_id,
        indicator_set=indicator_set,
        exploitation_types=types,
        summary=summary.strip(),
        cce_detail=cce_detail.strip(),
        created_by=user,
        created_at=now,
        **cce,
    )
    _score(screening, indicator_set.spec, answers, child, timezone.localdate(now))
    screening.review_due = scoring.review_due(screening.level, screening.assessed_on)
    screening.save()
    answered = _save_answers(caller, screening, answers)
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=screening,
        client_ip=caller.client_ip,
        changes=_result_changes(screening) | {"review_due": screening.review_due},
        details={"answers": answered, "exploitation_types": types},
    )
    _make_current(caller, screening)
    return screening


# --- Assessment ----------------------------------------------------------------------------------


def _require_writer(caller: Caller) -> None:
    if caller.user.role not in WRITING_ROLES or not caller.user.agency_id:
        raise Http404("Not found")


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("child", "indicator_set").get(pk=assessment.pk)


@transaction.atomic
def assessment_create(*, caller: Caller, child: Person, exploitation_types: list[str], summary: str = "") -> Assessment:
    """Start a full assessment (a draft) with the indicator set in force today; it stays pinned to it."""
    _require_child(caller, child)
    _require_writer(caller)
    indicator_set = current_indicator_set()
    types = _check_record_fields(indicator_set.spec, exploitation_types, {})
    now = timezone.now()
    assessment = Assessment(
        child=child,
        owning_agency_id=caller.user.agency_id,
        indicator_set=indicator_set,
        exploitation_types=types,
        summary=summary.strip(),
        created_by=caller.user,
        created_at=now,
    )
    _score(assessment, indicator_set.spec, [], child, timezone.localdate(now))
    assessment.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=assessment,
        client_ip=caller.client_ip,
        changes=_result_changes(assessment) | {"status": assessment.status},
        details={"exploitation_types": types},
    )
    return assessment


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError({"status": "Only a draft assessment can be changed. Ask the supervisor to return it."})


@transaction.atomic
def assessment_update_answers(
    *,
    caller: Caller,
    assessment: Assessment,
    answers,
    exploitation_types: list[str] | None = None,
    summary: str | None = None,
    cce_exchange: str = "",
    cce_advantage: str = "",
    cce_violence_or_threat: str = "",
    cce_detail: str = "",
) -> Assessment:
    """Record the answers of a draft and score them with the assessment's own indicator set."""
    _require(caller, Action.CHANGE, assessment)
    assessment = _locked(assessment)
    _require_draft(assessment)
    spec = assessment.indicator_set.spec
    cce = {
        "cce_exchange": cce_exchange,
        "cce_advantage": cce_advantage,
        "cce_violence_or_threat": cce_violence_or_threat,
    }
    types = _check_record_fields(
        spec, assessment.exploitation_types if exploitation_types is None else exploitation_types, cce
    )
    before = _result_changes(assessment)
    answers = [_as_answer(a) for a in answers]
    for name, value in cce.items():
        setattr(assessment, name, value)
    assessment.cce_detail = cce_detail.strip()
    assessment.exploitation_types = types
    if summary is not None:
        assessment.summary = summary.strip()
    _score(assessment, spec, answers, assessment.child, timezone.localdate())
    assessment.save()
    answered = _save_answers(caller, assessment, answers)
    after = _result_changes(assessment)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=assessment,
        client_ip=caller.client_ip,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        details={"step": "answers", "answers": answered, "exploitation_types": types},
    )
    return assessment


@transaction.atomic
def assessment_submit(*, caller: Caller, assessment: Assessment) -> Assessment:
    """Send a draft for sign-off. Each answer must rest on evidence or a stated concern, and for
    child criminal exploitation each limb of the definition must be answered."""
    _require(caller, Action.CHANGE, assessment)
    assessment = _locked(assessment)
    _require_draft(assessment)
    spec = assessment.indicator_set.spec
    errors = {}
    if set(assessment.exploitation_types) & spec.cce_types():
        for name, label in c.CCE_LIMBS:
            if not getattr(assessment, name):
                errors[name] = f"Answer ‘{label}’ (yes, no or not known yet): child criminal exploitation is in view."
    unsupported = [
        spec.by_code[a.indicator].label if a.indicator in spec.by_code else a.indicator
        for a in assessment.answers.all()
        if not a.professional_concern.strip() and not a.evidence.exists()
    ]
    if unsupported:
        errors["answers"] = "Give the evidence or your professional concern for: " + "; ".join(unsupported) + "."
    if errors:
        raise ValidationError(errors)
    # Scored again on the day it is submitted (the child may have had a birthday), with the same set.
    _score(assessment, spec, _answers_of(assessment), assessment.child, timezone.localdate())
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by, assessment.submitted_at = caller.user, timezone.now()
    assessment.returned_reason = ""
    assessment.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=assessment,
        client_ip=caller.client_ip,
        changes={"status": [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED]} | {"level": assessment.level},
        details={"step": "submit"},
    )
    return assessment


def _require_signing_supervisor(caller: Caller, assessment: Assessment) -> None:
    """A supervisor of the agency that made the assessment, who can see the child, and not its author."""
    _require(caller, Action.VIEW, assessment)
    user = caller.user
    if user.role != Role.SUPERVISOR or user.agency_id != assessment.owning_agency_id:
        raise ValidationError(
            {"signed_off_by": "Only a supervisor in the agency that made the assessment can do this."}
        )
    if user.pk in (assessment.created_by_id, assessment.submitted_by_id):
        raise ValidationError({"signed_off_by": "You wrote this assessment: another supervisor must sign it off."})


@transaction.atomic
def assessment_sign_off(*, caller: Caller, assessment: Assessment) -> Assessment:
    """The supervisor agrees the assessment: it becomes the child's current level with a review date."""
    _require_signing_supervisor(caller, assessment)
    assessment = _locked(assessment)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError({"status": "Only a submitted assessment can be signed off."})
    now = timezone.now()
    assessment.status = AssessmentStatus.SIGNED_OFF
    assessment.signed_off_by, assessment.signed_off_at = caller.user, now
    assessment.review_due = scoring.review_due(assessment.level, timezone.localdate(now))
    assessment.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=assessment,
        client_ip=caller.client_ip,
        changes={
            "status": [AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF],
            "level": assessment.level,
            "review_due": assessment.review_due,
        },
        details={"step": "sign_off"},
    )
    _make_current(caller, assessment)
    return assessment


@transaction.atomic
def assessment_return(*, caller: Caller, assessment: Assessment, reason: str) -> Assessment:
    """The supervisor sends a submitted assessment back to its author, saying what to change."""
    _require_signing_supervisor(caller, assessment)
    assessment = _locked(assessment)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError({"status": "Only a submitted assessment can be returned."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say what needs to change before you can sign it off."})
    assessment.status = AssessmentStatus.DRAFT
    assessment.returned_reason = reason.strip()
    assessment.save(update_fields=["status", "returned_reason"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=assessment,
        client_ip=caller.client_ip,
        changes={"status": [AssessmentStatus.SUBMITTED, AssessmentStatus.DRAFT]},
        details={"step": "return"},
        reason=assessment.returned_reason,
    )
    return assessment


@transaction.atomic
def assessment_rescore(*, caller: Caller, assessment: Assessment) -> Assessment:
    """Score an assessment again with the indicator set in force today: a new draft, never an edit.

    The old assessment keeps its version, score and level. Answers whose indicator is not in the new
    set are not carried over; the new draft's audit row lists them.
    """
    _require(caller, Action.VIEW, assessment)
    _require_writer(caller)
    _require_child(caller, assessment.child)
    indicator_set = current_indicator_set()
    if indicator_set.pk == assessment.indicator_set_id:
        raise ValidationError(
            {"indicator_set": f"This assessment already uses indicator set {indicator_set.version}, the one in force."}
        )
    spec = indicator_set.spec
    carried, dropped = [], []
    for answer in assessment.answers.prefetch_related("evidence"):
        if answer.indicator not in spec.by_code:
            dropped.append(answer.indicator)
            continue
        carried.append((answer, [e for e in answer.evidence.all()]))
    types = [code for code in assessment.exploitation_types if code in spec.type_labels()]
    now = timezone.now()
    new = Assessment(
        child=assessment.child,
        owning_agency_id=caller.user.agency_id,
        indicator_set=indicator_set,
        exploitation_types=types,
        summary=assessment.summary,
        cce_exchange=assessment.cce_exchange,
        cce_advantage=assessment.cce_advantage,
        cce_violence_or_threat=assessment.cce_violence_or_threat,
        cce_detail=assessment.cce_detail,
        rescored_from=assessment,
        created_by=caller.user,
        created_at=now,
    )
    answers = [AnswerInput(a.indicator, a.timing, professional_concern=a.professional_concern) for a, _ in carried]
    _score(new, spec, answers, assessment.child, timezone.localdate(now))
    new.save()
    for answer, evidence in carried:
        copy = Answer.objects.create(
            child=new.child,
            assessment=new,
            indicator=answer.indicator,
            timing=answer.timing,
            professional_concern=answer.professional_concern,
        )
        for item in evidence:
            Evidence.objects.create(
                answer=copy,
                content_type_id=item.content_type_id,
                object_id=item.object_id,
                note=item.note,
                created_by=caller.user,
            )
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=new,
        client_ip=caller.client_ip,
        changes=_result_changes(new) | {"status": new.status},
        details={
            "step": "rescore",
            "rescored_from": assessment.pk,
            "from_indicator_set": assessment.indicator_set.version,
            "dropped_indicators": dropped,
        },
    )
    return new


# --- Professional judgement ----------------------------------------------------------------------


@transaction.atomic
def judgement_raise(*, caller: Caller, record: Screening | Assessment, level: str, reason: str):
    """Raise the level by professional judgement, saying why. Never below the rule's level; never
    lower than an earlier judgement on the same record."""
    _require(caller, Action.CHANGE, record)
    model = type(record)
    record = model.objects.select_for_update().select_related("child", "indicator_set").get(pk=record.pk)
    if record.superseded_at is not None:
        raise ValidationError({"judgement_level": "A later record has replaced this one: raise the level there."})
    if isinstance(record, Assessment) and record.status == AssessmentStatus.SIGNED_OFF:
        raise ValidationError(
            {
                "judgement_level": "This assessment is signed off. "
                "Start a new assessment or screening to change the level."
            }
        )
    try:
        scoring.check_judgement(record.rule_level, level, reason)
    except scoring.ScoringError as error:
        raise ValidationError({error.field: error.message}) from None
    if record.judgement_level and c.level_rank(level) <= c.level_rank(record.judgement_level):
        raise ValidationError(
            {
                "judgement_level": f"Professional judgement has already raised this to "
                f"{c.LEVEL_LABELS[record.judgement_level]}: choose a higher level."
            }
        )
    before = {"level": record.level, "judgement_level": record.judgement_level, "review_due": record.review_due}
    now = timezone.now()
    record.judgement_level, record.judgement_reason = level, reason.strip()
    record.judgement_by, record.judgement_at = caller.user, now
    record.level = scoring.final_level(record.rule_level, level)
    if isinstance(record, Screening) or record.review_due is not None:
        # A fresh look at a higher level brings the review forward, never back. (A draft assessment
        # has no review date yet: sign-off sets it from the level then.)
        sooner = scoring.review_due(record.level, timezone.localdate(now))
        if sooner and (record.review_due is None or sooner < record.review_due):
            record.review_due = sooner
    record.save()
    after = {"level": record.level, "judgement_level": record.judgement_level, "review_due": record.review_due}
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=record,
        client_ip=caller.client_ip,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        details={"step": "judgement", "rule_level": record.rule_level},
        reason=record.judgement_reason,
    )
    return record


# --- Tasks ---------------------------------------------------------------------------------------


@transaction.atomic
def screening_due_create(*, caller: Caller, child: Person, reason: str, source: str = "") -> RiskTask:
    """Raise a 'screening due' task for a child (e.g. from a repeat-missing trigger).

    Idempotent: while a task for the same child and reason is open, that task is returned and no
    second one is made. The caller must be able to see the child.
    """
    _require_child(caller, child)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why a screening is due."})
    if len(reason) > RiskTask._meta.get_field("reason").max_length:
        raise ValidationError({"reason": "Keep the reason to 300 characters."})
    task, created = RiskTask.objects.get_or_create(
        child=child,
        kind=TaskKind.SCREENING_DUE,
        reason=reason,
        done_at__isnull=True,
        defaults={"source": source[:100], "created_by": caller.user if caller.user.is_authenticated else None},
    )
    if created:
        audit_record(
            actor=caller.user,
            action=AuditAction.CREATE,
            target=task,
            client_ip=caller.client_ip,
            details={"kind": task.kind, "source": task.source},
        )
    return task


@transaction.atomic
def review_tasks_raise(*, today: date | None = None, actor: str = "system") -> list[RiskTask]:
    """Raise a 'review due' task for each current screening or signed-off assessment whose review date
    has come. A scheduled job, not a user's action: no policy check, audited as `actor`."""
    today = today or timezone.localdate()
    raised = []
    current = [
        *Screening.objects.filter(superseded_at__isnull=True, review_due__lte=today),
        *Assessment.objects.filter(
            status=AssessmentStatus.SIGNED_OFF, superseded_at__isnull=True, review_due__lte=today
        ),
    ]
    for record in current:
        reason = f"The {record.kind} of {record.assessed_on:%d %B %Y} ({record.get_level_display()}) is due for review."
        task, created = RiskTask.objects.get_or_create(
            child_id=record.child_id,
            kind=TaskKind.REVIEW_DUE,
            reason=reason,
            done_at__isnull=True,
            defaults={"source": f"risk.{record.kind}:{record.pk}"},
        )
        if created:
            audit_record(actor=actor, action=AuditAction.CREATE, target=task, details={"source": task.source})
            raised.append(task)
    return raised


@transaction.atomic
def task_done(*, caller: Caller, task: RiskTask, note: str = "") -> RiskTask:
    _require(caller, Action.CHANGE, task)
    task = RiskTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is None:
        task.done_at, task.done_by, task.done_note = timezone.now(), caller.user, (note or "").strip()
        task.save(update_fields=["done_at", "done_by", "done_note"])
        audit_record(
            actor=caller.user,
            action=AuditAction.UPDATE,
            target=task,
            client_ip=caller.client_ip,
            changes={"done_at": [None, task.done_at]},
        )
    return task
