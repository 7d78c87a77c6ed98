"""Writes about MACE meetings: planning, building and ordering the agenda, decisions, actions,
escalation of overdue actions, and suspect interviews. Each is one transaction with its audit rows,
and checks the access policy itself."""

import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.access.policy import Action as PolicyAction
from harbour.access.policy import can
from harbour.accounts.models import User
from harbour.accounts.roles import CASEWORK_ROLES, Role
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record, diff
from harbour.core.caller import Caller
from harbour.people.models import Person

from . import agenda
from .access_rules import is_chair_candidate, may_plan_meetings, may_record_suspect_interviews
from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    Decision,
    Escalation,
    ItemKind,
    Meeting,
    SuspectInterview,
)
from .notify import tell

logger = logging.getLogger(__name__)

# Written in the audit log as the actor of scheduled work.
SYSTEM_ACTOR = "harbour escalate-actions"


def _require(caller: Caller, action: PolicyAction, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


# --- Meetings ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, caller: Caller, title: str, held_at, location: str = "", chairs=(), agencies=()) -> Meeting:
    """A meeting planned by a MACE chair. The chairs (police and council) and their agencies attend."""
    user = caller.user
    if not may_plan_meetings(user):
        raise Http404("Not found")
    chairs = list(dict.fromkeys([user, *chairs]))
    errors = {}
    not_eligible = [str(c) for c in chairs if not is_chair_candidate(c)]
    if not_eligible:
        errors["chairs"] = f"Chairs are police or council case workers: {', '.join(not_eligible)} cannot chair."
    if not (title or "").strip():
        errors["title"] = "Enter a title for the meeting."
    if held_at is None:
        errors["held_at"] = "Enter the date and time of the meeting."
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        title=title.strip(),
        held_at=held_at,
        location=(location or "").strip(),
        owning_agency_id=user.agency_id,
        created_by=user,
    )
    meeting.chairs.set(chairs)
    attending = {a.pk: a for a in agencies}
    for chair in chairs:
        attending.setdefault(chair.agency_id, chair.agency)
    meeting.agencies.set(list(attending.values()))
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=meeting,
        client_ip=caller.client_ip,
        details={"chairs": [c.pk for c in chairs], "agencies": sorted(attending)},
    )
    return meeting


@dataclass
class BuildResult:
    added: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)  # labels of sources that could not be read


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def agenda_build(*, caller: Caller, meeting: Meeting) -> BuildResult:
    """Add to the agenda what the data says should be discussed, as far as the chair may see it.
    Running it again adds only what is new; the chair's own items and order are kept."""
    _require(caller, PolicyAction.CHANGE, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = BuildResult()
    position = _next_position(meeting)
    for source in agenda.available_sources():
        try:
            with transaction.atomic():  # a savepoint: a failing source cannot spoil the others
                records = source.collect(caller.user, meeting)
        except (ImportError, LookupError, FieldError, AttributeError, DatabaseError) as error:
            logger.warning("Agenda source %s failed: %s", source.key, error)
            result.failed.append(source.label)
            continue
        added = 0
        for record in records:
            content_type = ContentType.objects.get_for_model(record)
            kind = agenda.item_kind_for(source, record)
            _, created = AgendaItem.objects.get_or_create(
                meeting=meeting,
                kind=kind,
                content_type=content_type,
                object_id=record.pk,
                defaults={"time_limit_minutes": source.minutes, "position": position, "added_by": caller.user},
            )
            if created:
                position += 1
                added += 1
        if added:
            result.by_source[source.key] = added
        result.added += added
    meeting.agenda_built_at = timezone.now()
    meeting.save(update_fields=["agenda_built_at"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=meeting,
        client_ip=caller.client_ip,
        details={"agenda_built": True, "added": result.by_source, "failed": result.failed},
    )
    return result


@transaction.atomic
def item_add(
    *, caller: Caller, meeting: Meeting, title: str, summary: str = "", time_limit_minutes: int = 5, person=None
) -> AgendaItem:
    """An item the chair adds. Linked to a person, it is restricted to those who may see them."""
    _require(caller, PolicyAction.CHANGE, meeting)
    if person is not None and not can(caller.user, PolicyAction.VIEW, person):
        raise ValidationError({"person_number": "There is no person with that record number that you can see."})
    item = AgendaItem(
        meeting=meeting,
        kind=ItemKind.CHAIR,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        time_limit_minutes=time_limit_minutes,
        position=_next_position(meeting),
        added_by=caller.user,
    )
    if person is not None:
        item.content_type = ContentType.objects.get_for_model(Person)
        item.object_id = person.pk
    item.full_clean()
    item.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=item,
        client_ip=caller.client_ip,
        details={"meeting_id": meeting.pk, "person_id": person.pk if person else None},
    )
    return item


@transaction.atomic
def item_move(*, caller: Caller, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda (positions are renumbered 1, 2, 3...)."""
    _require(caller, PolicyAction.CHANGE, item)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move an item up or down."})
    items = list(AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id).order_by("position", "id"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, it in enumerate(items, start=1):
        if it.position != position:
            it.position = position
            it.save(update_fields=["position"])
    moved = next(it for it in items if it.pk == item.pk)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=moved,
        client_ip=caller.client_ip,
        details={"moved": direction, "position": moved.position},
    )
    return moved


@transaction.atomic
def item_set_time_limit(*, caller: Caller, item: AgendaItem, minutes: int) -> AgendaItem:
    _require(caller, PolicyAction.CHANGE, item)
    before = item.time_limit_minutes
    item.time_limit_minutes = minutes
    item.full_clean()
    item.save(update_fields=["time_limit_minutes"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=item,
        client_ip=caller.client_ip,
        changes=diff({"time_limit_minutes": before}, {"time_limit_minutes": minutes}),
    )
    return item


@transaction.atomic
def decision_record(*, caller: Caller, item: AgendaItem, text: str) -> Decision:
    _require(caller, PolicyAction.CHANGE, item)
    if not (text or "").strip():
        raise ValidationError({"text": "Enter the decision."})
    decision = Decision.objects.create(item=item, text=text.strip(), recorded_by=caller.user)
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=decision,
        client_ip=caller.client_ip,
        details={"meeting_id": item.meeting_id, "item_id": item.pk},
    )
    return decision


# --- Actions -------------------------------------------------------------------------------------


def action_owner_choices(meeting: Meeting):
    """Who may own an action: active case workers of the agencies attending."""
    return (
        User.objects.filter(is_active=True, role__in=CASEWORK_ROLES, agency__in=meeting.agencies.all())
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


@transaction.atomic
def action_create(
    *, caller: Caller, meeting: Meeting, description: str, owner: User, due_on, item: AgendaItem | None = None
) -> Action:
    """One action, one owner (a user and their agency), one due date, agreed at the meeting."""
    _require(caller, PolicyAction.CHANGE, meeting)
    errors = {}
    if item is not None and item.meeting_id != meeting.pk:
        raise Http404("Not found")
    if not (description or "").strip():
        errors["description"] = "Describe the action."
    if owner is None or not action_owner_choices(meeting).filter(pk=owner.pk).exists():
        errors["owner"] = "Choose an owner from the agencies attending."
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due."
    elif due_on < meeting.held_on:
        errors["due_on"] = "The due date cannot be before the meeting."
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        meeting=meeting,
        item=item,
        description=description.strip(),
        owner=owner,
        owner_agency_id=owner.agency_id,
        due_on=due_on,
        created_by=caller.user,
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=action,
        client_ip=caller.client_ip,
        details={
            "owner": owner.pk,
            "owner_agency": owner.agency_id,
            "due_on": due_on,
            "item_id": getattr(item, "pk", None),
        },
    )
    tell(
        kind_name="MACE_ACTION",
        recipients=[owner],
        title=f"MACE action {action.pk} for you, due {due_on:%-d %B %Y}",
        link=reverse("mace:my_actions"),
        record=action,
    )
    return action


@transaction.atomic
def action_mark_done(*, caller: Caller, action: Action, note: str = "") -> Action:
    """The owner (or a chair) marks the action done."""
    _require(caller, PolicyAction.CHANGE, action)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status == ActionStatus.DONE:
        raise ValidationError({"note": "This action is already done."})
    action.status = ActionStatus.DONE
    action.done_at = timezone.now()
    action.done_by = caller.user
    action.done_note = (note or "").strip()
    action.save(update_fields=["status", "done_at", "done_by", "done_note"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=action,
        client_ip=caller.client_ip,
        changes={"status": [ActionStatus.OPEN, ActionStatus.DONE]},
        details={"note": action.done_note, "late": action.due_on < timezone.localdate()},
    )
    return action


def supervisors_of(user: User) -> list[User]:
    """The owner's supervisors: active supervisors of their team, or of their agency if the team
    has none (or the owner has no team). Never the owner themself."""
    supervisors = User.objects.filter(is_active=True, role=Role.SUPERVISOR).exclude(pk=user.pk)
    if user.team_id:
        in_team = list(supervisors.filter(team_id=user.team_id))
        if in_team:
            return in_team
    if user.agency_id:
        return list(supervisors.filter(agency_id=user.agency_id))
    return []


@transaction.atomic
def actions_escalate(*, today=None) -> list[Escalation]:
    """Escalate every open action past its due date to the owner's supervisor, once. Run daily by
    `harbour escalate-actions` (or the task of the same name). With no supervisor found, the
    escalation is still recorded, unassigned, so the next meeting sees it."""
    today = today or timezone.localdate()
    overdue = (
        Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=today)
        .exclude(escalations__isnull=False)
        .select_related("owner", "owner_agency", "meeting")
        .order_by("due_on", "pk")
    )
    created = []
    for action in overdue:
        days = (today - action.due_on).days
        reason = f"Overdue by {days} day{'s' if days != 1 else ''} (due {action.due_on:%-d %B %Y})."
        supervisors = supervisors_of(action.owner)
        if not supervisors:
            escalations = [
                Escalation.objects.create(action=action, escalated_to=None, reason=reason + " No supervisor found.")
            ]
        else:
            escalations = [Escalation.objects.create(action=action, escalated_to=s, reason=reason) for s in supervisors]
        for escalation in escalations:
            audit_record(
                actor=SYSTEM_ACTOR,
                action=AuditAction.SHARE,
                target=action,
                reason=escalation.reason,
                details={
                    "escalated_to": escalation.escalated_to_id,
                    "owner": action.owner_id,
                    "due_on": action.due_on,
                    "escalation_id": escalation.pk,
                },
            )
        created.extend(escalations)
        tell(
            kind_name="MACE_ACTION",
            recipients=[e.escalated_to for e in escalations if e.escalated_to_id],
            title=f"Overdue MACE action {action.pk} escalated to you",
            link=reverse("mace:my_actions"),
            record=action,
            dedupe_key=f"mace-escalation-{action.pk}",
        )
    return created


# --- Suspect interviews --------------------------------------------------------------------------


@transaction.atomic
def suspect_interview_create(
    *, caller: Caller, suspect: Person, needed_since, planned_on=None, notes: str = "", meeting=None
) -> SuspectInterview:
    if not may_record_suspect_interviews(caller.user):
        raise Http404("Not found")
    if not can(caller.user, PolicyAction.VIEW, suspect):
        raise ValidationError({"suspect_number": "There is no person with that record number that you can see."})
    interview = SuspectInterview(
        suspect=suspect,
        needed_since=needed_since,
        planned_on=planned_on,
        notes=(notes or "").strip(),
        meeting=meeting,
        owning_agency_id=caller.user.agency_id,
        officer=caller.user,
        created_by=caller.user,
    )
    interview.full_clean()
    interview.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=interview,
        client_ip=caller.client_ip,
        details={"needed_since": needed_since, "planned_on": planned_on},
    )
    return interview


@transaction.atomic
def suspect_interview_update(*, caller: Caller, interview: SuspectInterview, **fields) -> SuspectInterview:
    """Re-plan or record the interview held; the delay shows from the dates."""
    _require(caller, PolicyAction.CHANGE, interview)
    allowed = {"planned_on", "held_on", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    before = {name: getattr(interview, name) for name in allowed}
    for name, value in fields.items():
        setattr(interview, name, value.strip() if isinstance(value, str) else value)
    interview.full_clean()
    interview.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=interview,
        client_ip=caller.client_ip,
        changes=diff(before, {name: getattr(interview, name) for name in allowed}),
    )
    return interview
