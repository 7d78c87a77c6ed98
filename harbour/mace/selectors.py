"""Reads about MACE meetings, scoped by the user who asks. Opening a meeting, exporting its minutes
and listing actions are audited, with the items each reader was shown and those withheld."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from harbour.access.policy import Action as PolicyAction
from harbour.access.policy import scope
from harbour.access.reads import get_audited
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from . import agenda
from .models import Action, ActionStatus, AgendaItem, Decision, Escalation, Meeting, SuspectInterview

RESTRICTED = "Restricted item"


def meeting_visible(*, user, action: PolicyAction = PolicyAction.VIEW) -> QuerySet:
    return scope(user, Meeting.objects.all(), action)


def meeting_get(*, caller: Caller, pk, purpose: str = "view") -> Meeting:
    queryset = Meeting.objects.select_related("owning_agency", "created_by")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


@dataclass
class ShownItem:
    item: AgendaItem
    number: int
    visible: bool
    shown: agenda.Shown
    decisions: list[Decision] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.shown.title

    @property
    def kind_label(self) -> str:
        return self.item.get_kind_display() if self.visible else ""


@dataclass
class Agenda:
    meeting: Meeting
    items: list[ShownItem]
    other_actions: list[Action]  # actions not tied to an item, that the reader may see

    @property
    def total_minutes(self) -> int:
        return sum(i.item.time_limit_minutes for i in self.items)

    @property
    def shown_ids(self) -> list[int]:
        return [i.item.pk for i in self.items if i.visible]

    @property
    def restricted_ids(self) -> list[int]:
        return [i.item.pk for i in self.items if not i.visible]


def agenda_for(*, user, meeting: Meeting) -> Agenda:
    """The agenda as this reader may see it. Every item keeps its place and time limit (so the
    meeting runs to time for everyone); an item the reader may not see is a "Restricted item", with
    no title, summary or decisions. Actions are shown as the action rule allows."""
    items = list(meeting.items.select_related("content_type").order_by("position", "id"))
    visible_ids = set(scope(user, meeting.items.all(), PolicyAction.VIEW).values_list("pk", flat=True))
    decisions: dict[int, list[Decision]] = {}
    for decision in scope(user, Decision.objects.filter(item__meeting=meeting), PolicyAction.VIEW).select_related(
        "recorded_by"
    ):
        decisions.setdefault(decision.item_id, []).append(decision)
    actions: dict[int | None, list[Action]] = {}
    visible_actions = scope(user, meeting.actions.all(), PolicyAction.VIEW).select_related(
        "owner", "owner_agency", "done_by"
    )
    for action in visible_actions.prefetch_related("escalations__escalated_to"):
        actions.setdefault(action.item_id, []).append(action)
    cache: dict = {}
    shown = []
    for number, item in enumerate(items, start=1):
        visible = item.pk in visible_ids
        text = agenda.describe(item, user, cache) if visible else agenda.Shown(RESTRICTED)
        shown.append(
            ShownItem(
                item=item,
                number=number,
                visible=visible,
                shown=text,
                decisions=decisions.get(item.pk, []) if visible else [],
                actions=actions.get(item.pk, []),
            )
        )
    return Agenda(meeting=meeting, items=shown, other_actions=actions.get(None, []))


def _audit_agenda(caller: Caller, meeting: Meeting, result: Agenda, *, action: str, purpose: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=action,
            target=meeting,
            client_ip=caller.client_ip,
            details={
                "purpose": purpose,
                "items_shown": result.shown_ids,
                "items_restricted": result.restricted_ids,
                "actions_shown": [a.pk for i in result.items for a in i.actions] + [a.pk for a in result.other_actions],
            },
        )


def meeting_agenda(*, caller: Caller, meeting: Meeting) -> Agenda:
    result = agenda_for(user=caller.user, meeting=meeting)
    _audit_agenda(caller, meeting, result, action=AuditAction.VIEW, purpose="agenda")
    return result


def minutes_export(*, caller: Caller, pk) -> tuple[Meeting, Agenda]:
    """The minutes as this reader may see them; every export is audited, naming the items shown
    and those withheld from this reader."""
    meeting = meeting_get(caller=caller, pk=pk, purpose="minutes")
    result = agenda_for(user=caller.user, meeting=meeting)
    _audit_agenda(caller, meeting, result, action=AuditAction.EXPORT, purpose="minutes (html)")
    return meeting, result


def carried_forward(*, user, meeting: Meeting) -> list[Action]:
    return list(agenda.carried_forward(user=user, meeting=meeting).prefetch_related("escalations__escalated_to"))


# --- Actions -------------------------------------------------------------------------------------


def action_visible(*, user, action: PolicyAction = PolicyAction.VIEW) -> QuerySet:
    return scope(user, Action.objects.all(), action)


def action_get(*, caller: Caller, pk, purpose: str = "view") -> Action:
    queryset = Action.objects.select_related("meeting", "owner", "owner_agency", "item", "done_by")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


def item_title_for(*, user, action: Action, cache: dict | None = None) -> str:
    """The title of the action's agenda item as this reader may see it."""
    if action.item_id is None:
        return ""
    if not scope(user, AgendaItem.objects.filter(pk=action.item_id), PolicyAction.VIEW).exists():
        return RESTRICTED
    return agenda.describe(action.item, user, cache if cache is not None else {}).title


@dataclass
class MyActions:
    open: list[Action]
    done: list[Action]
    escalated_to_me: list[Escalation]


def my_actions(*, caller: Caller) -> MyActions:
    user = caller.user
    owned = (
        Action.objects.filter(owner=user)
        .select_related("meeting", "owner_agency", "item")
        .prefetch_related("escalations__escalated_to")
    )
    escalated = list(
        scope(user, Escalation.objects.filter(escalated_to=user, action__status=ActionStatus.OPEN), PolicyAction.VIEW)
        .select_related("action", "action__owner", "action__owner_agency", "action__meeting")
        .order_by("action__due_on")
    )
    result = MyActions(
        open=list(owned.filter(status=ActionStatus.OPEN).order_by("due_on", "pk")),
        done=list(owned.filter(status=ActionStatus.DONE).order_by("-done_at")[:20]),
        escalated_to_me=escalated,
    )
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            object_type="mace.action",
            client_ip=caller.client_ip,
            details={
                "list": "my_actions",
                "ids": [a.pk for a in result.open + result.done],
                "escalated": [e.action_id for e in escalated],
            },
        )
    return result


# --- Suspect interviews --------------------------------------------------------------------------


def suspect_interviews(*, caller: Caller) -> list[SuspectInterview]:
    """Interviews not yet held first, longest waiting first; then those held."""
    interviews = list(
        scope(caller.user, SuspectInterview.objects.all(), PolicyAction.VIEW).select_related(
            "suspect", "owning_agency", "officer"
        )
    )
    today = timezone.localdate()
    interviews.sort(key=lambda i: (i.is_held, -i.waiting_days(today), i.pk))
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.VIEW,
            object_type="mace.suspectinterview",
            client_ip=caller.client_ip,
            details={"list": "suspect_interviews", "ids": [i.pk for i in interviews]},
        )
    return interviews


def suspect_interview_get(*, caller: Caller, pk, purpose: str = "view") -> SuspectInterview:
    queryset = SuspectInterview.objects.select_related("suspect", "owning_agency")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)
