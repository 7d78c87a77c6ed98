"""How risk records reach users (the rule itself is harbour.access.policy).

Reading follows the child: whoever may see the child may see their screenings, assessments,
answers, evidence and tasks; another local authority that cannot see the child sees none of it.

Changing is narrower. A screening or assessment belongs to the agency that made it: its writers
(practitioners and supervisors) change it, while they can still see the child. A police officer
with a share of a council's child can assess the child; the council cannot edit the police
assessment, and the police cannot edit the council's. A task is worked by any case worker who can
see the child.
"""

from harbour.access.policy import Action, DerivedRule, register
from harbour.accounts.roles import CASEWORK_ROLES, WRITING_ROLES


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


class AgencyRecordRule(DerivedRule):
    """VIEW follows the child; CHANGE: writers of the owning agency who can see the child."""

    def __init__(self):
        super().__init__("child", "people.Person")

    def filter(self, user, queryset, action: Action):
        if action == Action.VIEW:
            return super().filter(user, queryset, Action.VIEW)
        if action == Action.CHANGE and _active(user) and user.role in WRITING_ROLES and user.agency_id:
            return super().filter(user, queryset.filter(owning_agency_id=user.agency_id), Action.VIEW)
        return queryset.none()


class TaskRule(DerivedRule):
    """VIEW follows the child; CHANGE (mark done): case workers who can see the child."""

    def __init__(self):
        super().__init__("child", "people.Person")

    def filter(self, user, queryset, action: Action):
        if action == Action.VIEW:
            return super().filter(user, queryset, Action.VIEW)
        if action == Action.CHANGE and _active(user) and user.role in CASEWORK_ROLES:
            return super().filter(user, queryset, Action.VIEW)
        return queryset.none()


def register_rules() -> None:
    from . import models

    register(models.Screening, AgencyRecordRule())
    register(models.Assessment, AgencyRecordRule())
    register(models.Answer, DerivedRule("child", "people.Person"))
    register(models.Evidence, DerivedRule("answer", "risk.Answer"))
    register(models.RiskTask, TaskRule())
