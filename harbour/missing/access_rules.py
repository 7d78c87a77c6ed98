"""How missing-children records reach users (the rule itself is harbour.access.policy).

Every record follows the child: whoever may see the child may see their episodes, interviews and
police protection records. So care-home staff see their current residents' episodes and no one
else's, and another local authority sees nothing, without a rule of their own.

Two agencies work on a record without owning the child, so for *changes* the rule adds one route:
- the agency leading a missing episode or a police protection (its `owning_agency`);
- the return-interview provider named on an interview (its `provider`).
They reach the child by a share grant made when they take the work on (see services.py), so the
read side is the child's rule, unchanged.
"""

from harbour.access.policy import Action, DerivedRule, _is_active, can, register
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import WRITING_ROLES, Role

REPORTING_AGENCY_KINDS = frozenset({AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE})


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
    for part in (models.RiskGrading, models.RiskInformation, models.EpisodeAction, models.SafeAndWellCheck):
        register(part, DerivedRule("episode", "missing.MissingEpisode"))
