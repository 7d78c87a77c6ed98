"""How person records reach users (see harbour.access.policy for the rule itself)."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from harbour.access.policy import NOTHING, DerivedRule, RecordRule, register
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role


class PersonRule(RecordRule):
    def care_home_route(self, user, model):
        """Care-home staff see the children currently placed in their home, and no one else."""
        from .models import Placement

        if not user.care_home_id:
            return NOTHING
        today = timezone.localdate()
        current = Placement.objects.filter(
            person=OuterRef("pk"), care_home_id=user.care_home_id, start_date__lte=today
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        return Q(Exists(current))

    def role_routes(self, user, model):
        """Police analysts see adults of concern recorded by any agency, to build the picture of
        who is harming children. Children held by other agencies still need a share."""
        from .models import PersonKind

        if user.role == Role.ANALYST and user.agency_id and user.agency.kind == AgencyKind.POLICE:
            return Q(kind=PersonKind.ADULT_OF_CONCERN)
        return NOTHING


def register_rules() -> None:
    from . import models

    register(models.Person, PersonRule())
    for child_model in (models.PersonName, models.Identifier, models.Address, models.Placement, models.Note):
        register(child_model, DerivedRule("person", "people.Person"))
