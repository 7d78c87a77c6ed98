"""Who sees the Disruption and MACE entries in the navigation (the pages check again themselves)."""

from django import template

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import CASEWORK_ROLES, Role

register = template.Library()

DISRUPTION_AGENCY_KINDS = frozenset({AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE})


@register.filter
def may_use_mace(user) -> bool:
    """Everyone who attends a meeting or owns an action: case workers of any agency."""
    return bool(getattr(user, "is_authenticated", False) and user.role in CASEWORK_ROLES)


@register.filter
def may_use_disruption(user) -> bool:
    """MACE chairs, and police and council case workers (who apply for and serve orders)."""
    if not may_use_mace(user):
        return False
    if user.role == Role.MACE_CHAIR:
        return True
    return bool(user.agency_id) and user.agency.kind in DISRUPTION_AGENCY_KINDS
