"""Who sees referrals and sharing decisions (the rule itself is harbour.access.policy).

- A referral is seen by whoever made it, their team and their agency's supervisors (outgoing), and
  by the receiver: the receiving team (or, sent to a whole agency, its case workers) and the
  receiving agency's supervisors. The same receivers decide it (accept or decline). A pending
  referral shows the receiver the child's name and date of birth, the reason and the summary: that
  is what is shared by referring. The record itself opens to them only once they accept.
- A sharing decision follows the record it is about: whoever may see that record sees the decision.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from harbour.access.policy import NOTHING, Action, DerivedRule, RecordRule, _is_active, register, rule_for, scope
from harbour.accounts.roles import CASEWORK_ROLES, Role


def _receiving(user) -> Q:
    if not user.agency_id:
        return NOTHING
    mine = Q(to_agency_id=user.agency_id)
    if user.role == Role.SUPERVISOR:
        return mine
    reach = Q(to_team__isnull=True)
    if user.team_id:
        reach |= Q(to_team_id=user.team_id)
    return mine & reach


def _sending(user) -> Q:
    reach = Q(referred_by_id=user.pk)
    if user.agency_id and user.role == Role.SUPERVISOR:
        reach |= Q(from_agency_id=user.agency_id)
    if user.team_id:
        reach |= Q(from_team_id=user.team_id)
    return reach


class ReferralRule(RecordRule):
    def q(self, user, action: Action, model) -> Q:
        if not _is_active(user) or user.role not in CASEWORK_ROLES:
            return NOTHING
        if action == Action.VIEW:
            return _sending(user) | _receiving(user)
        if action == Action.CHANGE:
            return _receiving(user)
        return NOTHING


class FollowsRecordRule(DerivedRule):
    """Visible where the record it refers to (any registered type) is visible; never changed."""

    def __init__(self):
        super().__init__("person", "people.Person")

    def filter(self, user, queryset, action: Action):
        if Action(action) != Action.VIEW:
            return queryset.none()
        visible = NOTHING
        for type_id in queryset.order_by().values_list("content_type_id", flat=True).distinct():
            model = ContentType.objects.get_for_id(type_id).model_class()
            if model is None:
                continue
            try:
                rule_for(model)
            except LookupError:  # no rule: deny by default
                continue
            records = scope(user, model._default_manager.all(), Action.VIEW).values("pk")
            visible |= Q(content_type_id=type_id, object_id__in=records)
        return queryset.filter(visible)


def register_rules() -> None:
    from .models import InformationSharingDecision, Referral

    register(Referral, ReferralRule())
    register(InformationSharingDecision, FollowsRecordRule())
