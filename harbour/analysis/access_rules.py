"""How analysis records reach users (the rule itself is harbour.access.policy).

- A proposed match, its decisions and a same-person link are about two person records, so they are
  seen only by a user who may see *both*: a proposal never tells anyone that a record they cannot
  see exists. Deciding (confirm, reject, undo) also needs the right to change at least one of the two.
- A co-presence alert is for the intelligence team: police analysts who may see the adult. The
  children behind it are listed only as far as the analyst may see them.
- A screening-due task follows the child.
"""

from django.db.models import Exists, OuterRef, Q

from harbour.access.policy import Action, DerivedRule, _is_active, register, scope
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import WRITING_ROLES, Role


def _people(user, action: Action):
    from harbour.people.models import Person

    return scope(user, Person.objects.all(), action)


class PairRule(DerivedRule):
    """Both people visible; for CHANGE, a writer who may also change one of them."""

    def __init__(self, prefix: str = ""):
        super().__init__("person_a", "people.Person")
        self.prefix = prefix

    def filter(self, user, queryset, action: Action):
        if not _is_active(user):
            return queryset.none()
        visible = _people(user, Action.VIEW)
        a, b = f"{self.prefix}person_a_id", f"{self.prefix}person_b_id"
        both = queryset.filter(Exists(visible.filter(pk=OuterRef(a))), Exists(visible.filter(pk=OuterRef(b))))
        if action == Action.VIEW:
            return both
        if action == Action.CHANGE and user.role in WRITING_ROLES:
            changeable = _people(user, Action.CHANGE)
            return both.filter(
                Q(Exists(changeable.filter(pk=OuterRef(a)))) | Q(Exists(changeable.filter(pk=OuterRef(b))))
            )
        return queryset.none()


def is_police_analyst(user) -> bool:
    return (
        _is_active(user)
        and user.role == Role.ANALYST
        and bool(user.agency_id)
        and user.agency.kind == AgencyKind.POLICE
    )


class AlertRule(DerivedRule):
    """Police analysts who may see the adult, to read and to mark reviewed."""

    def __init__(self):
        super().__init__("adult", "people.Person")

    def filter(self, user, queryset, action: Action):
        if action not in (Action.VIEW, Action.CHANGE) or not is_police_analyst(user):
            return queryset.none()
        return super().filter(user, queryset, Action.VIEW)


def register_rules() -> None:
    from . import models

    register(models.MatchCandidate, PairRule())
    register(models.MatchDecision, PairRule(prefix="candidate__"))
    register(models.SameAs, PairRule())
    register(models.CoPresenceAlert, AlertRule())
    register(models.AnalysisTask, DerivedRule("child", "people.Person"))
