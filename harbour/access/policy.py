"""The access policy: the one place that decides what a user may see and do.

Two questions, one rule, so lists and single records can never disagree:
- `scope(user, queryset, action)`: which of these records may the user act on? (a queryset)
- `can(user, action, record)`: may the user act on this record? (the same queryset, one row)

Each protected model registers a `RecordRule` naming how its records reach people: the owning
agency, grants (allocation, share, named users of restricted records, break-glass), and any
routes the policy names for a role (care-home staff see their residents; police analysts see
adults of concern). Anything not named is denied. Hidden records answer 404 (`get_or_404`).
"""

from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from harbour.accounts.roles import CASEWORK_ROLES, RESTRICTING_ROLES, WRITING_ROLES, Role

from .models import AccessGrant, GrantKind

NOTHING = Q(pk__in=[])


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    SHARE = "share"
    RESTRICT = "restrict"
    # Be counted in an aggregate figure (a report), never shown: see `counting_reader`.
    COUNT = "count"


def _is_active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def grant_exists(user, model, kinds) -> Exists:
    """A subquery true where a live grant of one of `kinds` reaches the user, their team or agency.

    Named and break-glass grants reach only the named user; allocations and shares may also be
    made to a team or a whole agency.
    """
    kinds = list(kinds)
    wide_kinds = [k for k in kinds if k not in (GrantKind.NAMED, GrantKind.BREAK_GLASS)]
    reach = Q(grantee_user=user.pk)
    if wide_kinds and user.team_id:
        reach |= Q(grantee_team=user.team_id, kind__in=wide_kinds)
    if wide_kinds and user.agency_id:
        reach |= Q(grantee_agency=user.agency_id, kind__in=wide_kinds)
    return Exists(
        AccessGrant.objects.live()
        .filter(content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), kind__in=kinds)
        .filter(reach)
    )


class RecordRule:
    """How records of one model reach users. Subclasses name their routes; the rest is denied."""

    owner_field = "owning_agency"
    restricted_field = "is_restricted"

    def owned(self, user) -> Q:
        return Q(**{f"{self.owner_field}_id": user.agency_id}) if user.agency_id else NOTHING

    def unrestricted(self) -> Q:
        return Q(**{self.restricted_field: False})

    def restricted(self) -> Q:
        return Q(**{self.restricted_field: True})

    def named(self, user, model) -> Q:
        return Q(grant_exists(user, model, [GrantKind.NAMED]))

    def role_routes(self, user, model) -> Q:
        """Extra routes the policy names for a role (read only). None by default."""
        return NOTHING

    def care_home_route(self, user, model) -> Q:
        """What care-home staff may see. None by default."""
        return NOTHING

    def q(self, user, action: Action, model) -> Q:
        if not _is_active(user):
            return NOTHING
        role = user.role
        if action == Action.VIEW:
            if role == Role.CARE_HOME_STAFF:
                home = self.care_home_route(user, model)
                return (self.unrestricted() & home) | (self.restricted() & self.named(user, model) & home)
            if role not in CASEWORK_ROLES:
                return NOTHING
            reached = (
                self.owned(user)
                | Q(grant_exists(user, model, [GrantKind.ALLOCATION, GrantKind.SHARE, GrantKind.BREAK_GLASS]))
                | self.role_routes(user, model)
            )
            return (self.unrestricted() & reached) | (self.restricted() & self.named(user, model))
        if action in (Action.CHANGE, Action.SHARE):
            if role not in WRITING_ROLES:
                return NOTHING
            working = self.owned(user) | Q(grant_exists(user, model, [GrantKind.ALLOCATION]))
            return (self.unrestricted() & working) | (self.restricted() & self.named(user, model) & working)
        if action == Action.RESTRICT:
            if role not in RESTRICTING_ROLES:
                return NOTHING
            return self.owned(user) & (self.unrestricted() | self.named(user, model))
        return NOTHING


class DerivedRule:
    """Records that live under a parent record (a person's note, address...) follow the parent."""

    def __init__(self, parent_field: str, parent_model_label: str):
        self.parent_field = parent_field
        self.parent_model_label = parent_model_label

    def filter(self, user, queryset, action: Action):
        from django.apps import apps

        parent_model = apps.get_model(self.parent_model_label)
        parents = scope(user, parent_model.objects.all(), action)
        # "parent in (the parents the user may reach)": not correlated, so the database works out the
        # parents once per query rather than once per row (a report counts 250,000 episodes at a time).
        return queryset.filter(**{f"{self.parent_field}_id__in": parents.values("pk")})


_RULES: dict[type[models.Model], RecordRule | DerivedRule] = {}


def register(model: type[models.Model], rule: RecordRule | DerivedRule) -> None:
    _RULES[model] = rule


def rule_for(model: type[models.Model]) -> RecordRule | DerivedRule:
    try:
        return _RULES[model]
    except KeyError:
        raise LookupError(f"No access rule registered for {model._meta.label}: deny by default.") from None


class AgencyCountingReader:
    """Whom a manager's figures are counted as: a case worker of the manager's agency and team who is
    named on nothing and holds no grant of their own (ADR 0012).

    So a manager counts what their agency may see (owned records, and those allocated or shared to
    the agency or the team), and never a restricted record: restricted records reach only the users
    named on them, and this reader is no one (its id, 0, matches no user). It is used only to count:
    VIEW, CHANGE and the rest answer nothing for a manager.
    """

    pk = id = 0
    role = Role.PRACTITIONER
    is_active = True
    is_authenticated = True
    care_home_id = None

    def __init__(self, user):
        self.agency_id = user.agency_id
        self.team_id = user.team_id
        self.agency = user.agency

    def __str__(self) -> str:
        return f"Figures for {self.agency}"


def counting_reader(user):
    """Who `user`'s aggregate figures are counted as, or None for no figures at all.

    Case workers count exactly what they may see (a partner counts only what it may see; a
    restricted record moves a figure only for those named on it). A manager counts as their agency's
    unnamed case worker (AgencyCountingReader). Everyone else counts nothing.
    """
    if not _is_active(user):
        return None
    if user.role in CASEWORK_ROLES:
        return user
    if user.role == Role.MANAGER and user.agency_id:
        return AgencyCountingReader(user)
    return None


def scope(user, queryset: models.QuerySet, action: Action | str = Action.VIEW) -> models.QuerySet:
    """The records of `queryset` that `user` may act on. Unregistered models raise, never leak.

    COUNT is VIEW for the user's counting reader: the records a figure may count for them.
    """
    action = Action(action)
    rule = rule_for(queryset.model)
    if action == Action.COUNT:
        reader = counting_reader(user)
        if reader is None:
            return queryset.none()
        return scope(reader, queryset, Action.VIEW)
    if isinstance(rule, DerivedRule):
        return rule.filter(user, queryset, action)
    return queryset.filter(rule.q(user, action, queryset.model))


def can(user, action: Action | str, record: models.Model) -> bool:
    if record is None or record.pk is None:
        return False
    return scope(user, type(record)._default_manager.filter(pk=record.pk), action).exists()


def get_or_404(user, queryset: models.QuerySet, action: Action | str = Action.VIEW, **lookup):
    """The one record matching `lookup` that the user may act on, or 404 whether hidden or absent."""
    try:
        return scope(user, queryset, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
