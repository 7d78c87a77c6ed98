"""How MACE records reach users (the rule itself is harbour.access.policy).

- A meeting is seen by its chairs and by case workers of the agencies attending (and of the agency
  that holds it). Only its chairs change it: build and order the agenda, record decisions and
  actions.
- An agenda item is seen by those who see the meeting *and* may see the record it is about, through
  that record's own rule (a child's interview follows the child, an order follows its subject). An
  item about a record the reader may not see is, for them, a "Restricted item": on the screen, in the
  minutes and over the API alike, because all three ask this rule.
- A decision follows its item.
- An action follows its item (or the meeting, for an action not tied to an item); its owner always
  sees it, as does a supervisor it was escalated to. The owner and the chairs may mark it done.
- A suspect interview follows the suspect's record; the police force holding it changes it.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from harbour.access.policy import (
    NOTHING,
    Action,
    DerivedRule,
    RecordRule,
    _is_active,
    register,
    rule_for,
    scope,
)
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import CASEWORK_ROLES, WRITING_ROLES, Role

# Records an item may be about that carry no rule of their own: values anyone at the meeting may
# see (a place is where something happened, not a record about someone).
OPEN_LINK_MODELS = frozenset({"missing.Place"})
CHAIR_AGENCY_KINDS = frozenset({AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE})


def is_chair_candidate(user) -> bool:
    """Who may chair: case workers of the police or a local authority."""
    return (
        _is_active(user)
        and user.role in CASEWORK_ROLES
        and bool(user.agency_id)
        and user.agency.kind in CHAIR_AGENCY_KINDS
    )


def may_plan_meetings(user) -> bool:
    return is_chair_candidate(user) and user.role == Role.MACE_CHAIR


class MeetingRule(RecordRule):
    def q(self, user, action: Action, model) -> Q:
        if not _is_active(user) or user.role not in CASEWORK_ROLES:
            return NOTHING
        chairs = model.chairs.through.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk)
        if action == Action.VIEW:
            reach = Q(Exists(chairs))
            if user.agency_id:
                attending = model.agencies.through.objects.filter(meeting_id=OuterRef("pk"), agency_id=user.agency_id)
                reach |= Q(Exists(attending)) | Q(owning_agency_id=user.agency_id)
            return reach
        if action == Action.CHANGE:
            return Q(Exists(chairs))
        return NOTHING


def visible_linked_ids(user, content_type_id: int, ids) -> set[int]:
    """Which of these records (all of one type) the user may see, through that type's own rule."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return set()
    if model._meta.label in OPEN_LINK_MODELS:
        return set(ids)
    try:
        rule_for(model)
    except LookupError:  # no rule: deny by default
        return set()
    return set(scope(user, model._default_manager.filter(pk__in=list(ids)), Action.VIEW).values_list("pk", flat=True))


class AgendaItemRule(DerivedRule):
    """The meeting's rule, and for VIEW the linked record's rule too (read per type, one query each)."""

    def __init__(self):
        super().__init__("meeting", "mace.Meeting")

    def filter(self, user, queryset, action: Action):
        in_meetings = super().filter(user, queryset, Action.CHANGE if action == Action.CHANGE else Action.VIEW)
        if action == Action.CHANGE:
            return in_meetings
        if action != Action.VIEW:
            return queryset.none()
        by_type: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for pk, type_id, object_id in in_meetings.filter(content_type__isnull=False).values_list(
            "pk", "content_type_id", "object_id"
        ):
            by_type[type_id][object_id].append(pk)
        visible_items: list[int] = []
        for type_id, items_by_object in by_type.items():
            for object_id in visible_linked_ids(user, type_id, items_by_object):
                visible_items.extend(items_by_object[object_id])
        return in_meetings.filter(Q(content_type__isnull=True) | Q(pk__in=visible_items))


class ActionRule(DerivedRule):
    """Read in Python over the candidate rows, like the item rule: an action tied to an item is seen
    when the item's record is seen. An item may itself be about an earlier action (carried forward),
    so this asks the action rule again for those earlier actions only: the chain runs back through
    older actions and ends."""

    def __init__(self):
        super().__init__("meeting", "mace.Meeting")

    def filter(self, user, queryset, action: Action):
        from .models import Meeting

        if not _is_active(user):
            return queryset.none()
        if action == Action.VIEW:
            meetings = scope(user, Meeting.objects.all(), Action.VIEW)
            own = queryset.filter(Q(owner=user.pk) | Q(escalations__escalated_to=user.pk))
            visible = set(own.values_list("pk", flat=True))
            in_meeting = queryset.filter(Exists(meetings.filter(pk=OuterRef("meeting_id")))).exclude(pk__in=visible)
            by_type: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
            for pk, item_id, type_id, object_id in in_meeting.values_list(
                "pk", "item_id", "item__content_type_id", "item__object_id"
            ):
                if item_id is None or type_id is None:
                    visible.add(pk)  # not tied to an item, or to an item about no record
                else:
                    by_type[type_id][object_id].append(pk)
            for type_id, actions_by_object in by_type.items():
                for object_id in visible_linked_ids(user, type_id, actions_by_object):
                    visible.update(actions_by_object[object_id])
            return queryset.filter(pk__in=visible)
        if action == Action.CHANGE:
            chaired = scope(user, Meeting.objects.all(), Action.CHANGE)
            return queryset.filter(Q(owner=user.pk) | Q(Exists(chaired.filter(pk=OuterRef("meeting_id")))))
        return queryset.none()


class SuspectInterviewRule(DerivedRule):
    def __init__(self):
        super().__init__("suspect", "people.Person")

    def filter(self, user, queryset, action: Action):
        followed = super().filter(user, queryset, Action.VIEW)
        if action == Action.VIEW:
            return followed
        if action == Action.CHANGE and _is_active(user) and user.role in WRITING_ROLES and user.agency_id:
            return followed.filter(owning_agency_id=user.agency_id)
        return queryset.none()


def may_record_suspect_interviews(user) -> bool:
    return (
        _is_active(user)
        and user.role in WRITING_ROLES
        and bool(user.agency_id)
        and user.agency.kind == AgencyKind.POLICE
    )


def register_rules() -> None:
    from . import models

    register(models.Meeting, MeetingRule())
    register(models.AgendaItem, AgendaItemRule())
    register(models.Decision, DerivedRule("item", "mace.AgendaItem"))
    register(models.Action, ActionRule())
    register(models.Escalation, DerivedRule("action", "mace.Action"))
    register(models.SuspectInterview, SuspectInterviewRule())
