"""How intelligence reaches users: the handling code, enforced by the access policy.

- An original report is seen only by police. No grant can show it to an agency outside the police:
  partners see a sanitised version, never the original.
- P (lawful sharing permitted): the police of the owning force, and police it is shared with.
- C (sharing with conditions), and legacy 5x5x5 handling 5: only the officer who recorded it and the
  users, teams or forces named in its handling conditions (share grants). Not the whole force.
- Source details: the police of the owning force who may see the report. Never anyone else.
- A sanitised version: whoever may see the report; once an officer approves it, also the users,
  teams and agencies it is shared with (each share a logged disclosure).
"""

from django.db.models import Exists, OuterRef, Q

from harbour.access.models import GrantKind
from harbour.access.policy import NOTHING, Action, RecordRule, _is_active, grant_exists, register, scope
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import CASEWORK_ROLES, WRITING_ROLES, Role

# Who records intelligence and prepares it for sharing: officers and police analysts.
INTEL_WRITING_ROLES = WRITING_ROLES | {Role.ANALYST}


def is_police(user) -> bool:
    return bool(_is_active(user) and user.agency_id and user.agency.kind == AgencyKind.POLICE)


def is_police_officer(user) -> bool:
    """An officer who may approve a sanitised version (a case-working police role, not an analyst)."""
    return is_police(user) and user.role in WRITING_ROLES


class IntelligenceReportRule(RecordRule):
    def reach(self, user, model) -> Q:
        shared = Q(grant_exists(user, model, [GrantKind.SHARE, GrantKind.ALLOCATION, GrantKind.NAMED]))
        open_handling = Q(conditions_apply=False)
        conditional = Q(conditions_apply=True)
        return (open_handling & (self.owned(user) | shared)) | (conditional & (Q(created_by=user.pk) | shared))

    def q(self, user, action: Action, model) -> Q:
        if not is_police(user) or user.role not in CASEWORK_ROLES:
            return NOTHING
        if action == Action.VIEW:
            return self.reach(user, model)
        if action in (Action.CHANGE, Action.SHARE):
            if user.role not in INTEL_WRITING_ROLES:
                return NOTHING
            return self.owned(user) & self.reach(user, model)
        return NOTHING


def _reports(user, action):
    from .models import IntelligenceReport

    return scope(user, IntelligenceReport.objects.all(), action)


class SourceDetailRule(RecordRule):
    """The owning force's police who may see (or change) the report."""

    def q(self, user, action: Action, model) -> Q:
        if action not in (Action.VIEW, Action.CHANGE) or not is_police(user):
            return NOTHING
        reports = _reports(user, action).filter(owning_agency=user.agency_id)
        return Q(Exists(reports.filter(pk=OuterRef("report_id"))))


class SanitisedVersionRule(RecordRule):
    def q(self, user, action: Action, model) -> Q:
        from .models import SanitisedStatus

        if not _is_active(user) or user.role not in CASEWORK_ROLES:
            return NOTHING
        if action == Action.VIEW:
            shared = Q(status=SanitisedStatus.APPROVED) & Q(grant_exists(user, model, [GrantKind.SHARE]))
            if not is_police(user):
                return shared
            return Q(Exists(_reports(user, Action.VIEW).filter(pk=OuterRef("report_id")))) | shared
        if not is_police(user):
            return NOTHING
        if action == Action.CHANGE:
            return Q(status=SanitisedStatus.DRAFT) & Q(
                Exists(_reports(user, Action.CHANGE).filter(pk=OuterRef("report_id")))
            )
        if action == Action.SHARE:
            return Q(status=SanitisedStatus.APPROVED) & Q(
                Exists(_reports(user, Action.SHARE).filter(pk=OuterRef("report_id")))
            )
        return NOTHING


def register_rules() -> None:
    from . import models

    register(models.IntelligenceReport, IntelligenceReportRule())
    register(models.SourceDetail, SourceDetailRule())
    register(models.SanitisedVersion, SanitisedVersionRule())
