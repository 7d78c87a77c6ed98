"""How missing-children records reach users (the rule itself is harbour.access.policy).

Every record follows the child: whoever may see the child may see their episodes, interviews and
police protection records. So care-home staff see their current residents' episodes and no one
else's, and another local authority sees nothing, without a rule of their own.

Two agencies work on a record without owning the child, so for *changes* the rule adds one route:
- the agency leading a missing episode or a police protection (its `owning_agency`);
- the return-interview provider named on an interview (its `provider`).
They reach the child by a share grant made when they take the work on (see services.py), so the
read side is the child's rule, unchanged.

Two records are kept *for* the child by the people around them, not by one agency:
- the Philomena profile, kept by the care home (its staff, and whoever may change the child's
  record). It exists to find a missing child, so it is read by police, the local authority and the
  care home who can see the child, not by every partner a child is shared with (see ADR 0006);
- the trigger plan, kept by the care home, the local authority and police together; everyone who
  sees the child sees it.
"""

from django.db.models import Exists, OuterRef

from harbour.access.policy import Action, DerivedRule, _is_active, can, register, scope
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import WRITING_ROLES, Role

REPORTING_AGENCY_KINDS = frozenset({AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE})
# Who reads a Philomena profile: police (who search), the council and the care home (who keep it).
PROFILE_READING_AGENCY_KINDS = frozenset(
    {AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.CARE_PROVIDER}
)


class FollowsChildRule(DerivedRule):
    """Follows the child; for CHANGE, also the agency named in `agency_field` (writers who see the child)."""

    def __init__(self, agency_field: str | None = None):
        super().__init__("child", "people.Person")
        self.agency_field = agency_field

    def filter(self, user, queryset, action: Action):
        followed = super().filter(user, queryset, action)
        if action != Action.CHANGE or not self.agency_field or not _is_active(user):
            return followed
        if user.role not in WRITING_ROLES or not user.agency_id:
            return followed
        working = queryset.filter(**{f"{self.agency_field}_id": user.agency_id})
        return followed | super().filter(user, working, Action.VIEW)


def _people():
    from harbour.people.models import Person

    return Person.objects.all()


def children_profile_kept_by(user):
    """Children whose Philomena profile the user keeps: care-home staff for their current residents
    (the policy's care-home route), writers for children whose record they may change."""
    if not _is_active(user):
        return _people().none()
    if user.role == Role.CARE_HOME_STAFF:
        return scope(user, _people(), Action.VIEW)
    if user.role in WRITING_ROLES:
        return scope(user, _people(), Action.CHANGE)
    return _people().none()


def children_planned_by(user):
    """Children whose trigger plan the user may write: those whose profile they keep, and for a
    police writer any child they can see (police agree the plan with the home and the council)."""
    kept = children_profile_kept_by(user)
    if is_police_writer(user):
        return kept | scope(user, _people(), Action.VIEW)
    return kept


def _about(queryset, children):
    return queryset.filter(Exists(children.filter(pk=OuterRef("child_id"))))


class ProfileRule(DerivedRule):
    """The Philomena profile: read by police, council and care home who see the child; kept by the
    home (and the child's social workers)."""

    def __init__(self):
        super().__init__("child", "people.Person")

    def filter(self, user, queryset, action: Action):
        if not _is_active(user) or not user.agency_id:
            return queryset.none()
        if action == Action.VIEW:
            if user.agency.kind not in PROFILE_READING_AGENCY_KINDS:
                return queryset.none()
            return super().filter(user, queryset, Action.VIEW)
        if action == Action.CHANGE:
            return _about(queryset, children_profile_kept_by(user))
        return queryset.none()


class TriggerPlanRule(DerivedRule):
    """The trigger plan: read by whoever sees the child; written by the home, the council and police."""

    def __init__(self):
        super().__init__("child", "people.Person")

    def filter(self, user, queryset, action: Action):
        if action == Action.VIEW:
            return super().filter(user, queryset, Action.VIEW)
        if action == Action.CHANGE:
            return _about(queryset, children_planned_by(user))
        return queryset.none()


def may_keep_profile(user, child) -> bool:
    return child is not None and children_profile_kept_by(user).filter(pk=child.pk).exists()


def may_read_profile(user, child) -> bool:
    """Whether the user would see the child's profile (before one exists, to offer to start one)."""
    return (
        _is_active(user)
        and bool(user.agency_id)
        and user.agency.kind in PROFILE_READING_AGENCY_KINDS
        and can(user, Action.VIEW, child)
    )


def may_plan(user, child) -> bool:
    return child is not None and children_planned_by(user).filter(pk=child.pk).exists()


def may_see_care_home_report(user, home) -> bool:
    """Episodes per resident over time: the home's own staff and its police liaison officer."""
    if not _is_active(user) or home is None:
        return False
    if user.role == Role.CARE_HOME_STAFF:
        return user.care_home_id == home.pk
    return home.police_liaison_officer_id == user.pk


def may_report_missing(user, child) -> bool:
    """Care-home staff for their own residents; police and local-authority case workers for
    children they can see."""
    if not _is_active(user) or child is None or not can(user, Action.VIEW, child):
        return False
    if user.role == Role.CARE_HOME_STAFF:
        return True
    return user.role in WRITING_ROLES and bool(user.agency_id) and user.agency.kind in REPORTING_AGENCY_KINDS


def is_police_writer(user) -> bool:
    return (
        _is_active(user)
        and user.role in WRITING_ROLES
        and bool(user.agency_id)
        and user.agency.kind == AgencyKind.POLICE
    )


def may_grade(user, episode) -> bool:
    """The risk grade is a police decision."""
    return is_police_writer(user) and can(user, Action.CHANGE, episode)


def may_start_police_protection(user, child) -> bool:
    """Only a constable takes a child into police protection (s46)."""
    return is_police_writer(user) and can(user, Action.VIEW, child)


def register_rules() -> None:
    from . import models

    register(models.MissingEpisode, FollowsChildRule("owning_agency"))
    register(models.ReturnHomeInterview, FollowsChildRule("provider"))
    register(models.PoliceProtection, FollowsChildRule("owning_agency"))
    register(models.TriggerTask, FollowsChildRule())
    register(models.TriggerPlan, TriggerPlanRule())
    register(models.PhilomenaProfile, ProfileRule())
    register(models.ProfileItem, DerivedRule("profile", "missing.PhilomenaProfile"))
    for part in (models.RiskGrading, models.RiskInformation, models.EpisodeAction, models.SafeAndWellCheck):
        register(part, DerivedRule("episode", "missing.MissingEpisode"))
