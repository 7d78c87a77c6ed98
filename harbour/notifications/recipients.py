"""Who to tell: helpers for the apps that raise notifications. notify() still drops anyone who may
not see the record, so these may be generous."""

from harbour.accounts.models import User
from harbour.accounts.roles import CASEWORK_ROLES, Role


def active_users():
    return User.objects.filter(is_active=True)


def team_members(team, *, roles=CASEWORK_ROLES):
    if team is None:
        return User.objects.none()
    return active_users().filter(team=team, role__in=list(roles))


def agency_members(agency, *, roles=CASEWORK_ROLES):
    if agency is None:
        return User.objects.none()
    return active_users().filter(agency=agency, role__in=list(roles))


def agency_supervisors(agency):
    return agency_members(agency, roles=[Role.SUPERVISOR])


def record_owners(record):
    """The team that owns the record if it names one, else the owning agency's supervisors."""
    team = getattr(record, "owning_team", None)
    if team is not None:
        members = team_members(team)
        if members.exists():
            return members
    return agency_supervisors(getattr(record, "owning_agency", None))
