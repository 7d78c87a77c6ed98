"""Who sees retention decisions and deletion records: supervisors and administrators of the agency
that held the record (its reviewers), and its auditors. Nothing here names anyone."""

from django.db.models import Q

from harbour.access.policy import NOTHING, Action, RecordRule, _is_active, register
from harbour.accounts.roles import Role

REVIEWER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def is_reviewer(user) -> bool:
    return _is_active(user) and bool(user.agency_id) and user.role in REVIEWER_ROLES


class AgencyReviewRule(RecordRule):
    def __init__(self, agency_field: str):
        self.agency_field = agency_field

    def q(self, user, action: Action, model) -> Q:
        if not _is_active(user) or not user.agency_id:
            return NOTHING
        if action == Action.VIEW and user.role in (REVIEWER_ROLES | {Role.AUDITOR}):
            return Q(**{f"{self.agency_field}_id": user.agency_id})
        return NOTHING


def register_rules() -> None:
    from .models import DeletionRecord, RetentionReview

    register(RetentionReview, AgencyReviewRule("agency"))
    register(DeletionRecord, AgencyReviewRule("owning_agency"))
