"""How disruption records reach users (the rule itself is harbour.access.policy).

- An order about a person follows the person: whoever may see the person may see the order (and a
  restricted order only its named users). The agency that holds it sees it too, and those it is
  shared with. The children a CAWN protects are each shown only to those who may see that child.
- An order about a place or a business is seen by the agency that holds it and those it is shared
  with.
- Only police and local-authority case workers record and change orders: they are the agencies
  that apply for and serve them. Other agencies read what the policy lets them.
- An operation is seen by its lead agency and the agencies taking part; its activities follow it.
"""

from django.db.models import Exists, OuterRef, Q

from harbour.access.policy import NOTHING, Action, DerivedRule, RecordRule, _is_active, can, register, scope
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import WRITING_ROLES

ORDER_AGENCY_KINDS = frozenset({AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE})


def _people():
    from harbour.people.models import Person

    return Person.objects.all()


class OrderRule(RecordRule):
    def role_routes(self, user, model) -> Q:
        """The subject person's route: an order about a person is part of that person's record."""
        visible_people = scope(user, _people(), Action.VIEW).filter(pk=OuterRef("subject_person_id"))
        return Q(Exists(visible_people))


class OperationRule(RecordRule):
    def role_routes(self, user, model) -> Q:
        """The agencies taking part see the operation they are part of."""
        if not user.agency_id:
            return NOTHING
        taking_part = model.agencies.through.objects.filter(operation_id=OuterRef("pk"), agency_id=user.agency_id)
        return Q(Exists(taking_part))


def may_record_orders(user) -> bool:
    """Police and local-authority case workers (practitioners and supervisors)."""
    return (
        _is_active(user)
        and user.role in WRITING_ROLES
        and bool(user.agency_id)
        and user.agency.kind in ORDER_AGENCY_KINDS
    )


def may_add_activity(user, operation) -> bool:
    """Case workers of the lead agency or of an agency taking part record what they did."""
    if not (_is_active(user) and user.role in WRITING_ROLES and user.agency_id):
        return False
    if not can(user, Action.VIEW, operation):
        return False
    return operation.owning_agency_id == user.agency_id or operation.agencies.filter(pk=user.agency_id).exists()


def register_rules() -> None:
    from . import models

    register(models.DisruptionOrder, OrderRule())
    register(models.Breach, DerivedRule("order", "disruption.DisruptionOrder"))
    register(models.Operation, OperationRule())
    register(models.Activity, DerivedRule("operation", "disruption.Operation"))
