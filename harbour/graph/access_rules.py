"""How links and entities reach users (the rule itself is harbour.access.policy).

A link says something about each of its ends and came from a record. So a link is visible only to
a user who may see *both* ends, where an end is a protected record (a person, an intelligence
report), *and* the record it came from, where that is protected (an episode, an interview, an
intelligence report, an evidence message). Written once, as a query, so the person page, the entity
page, the link chart and the API can never disagree; a hidden person never appears, not even as an id.

Entities (phones, vehicles...) and places are pivot values, not protected on their own: an entity is
visible to the agency that recorded it and to whoever may see a link that touches it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from harbour.access.policy import NOTHING, Action, RecordRule, _is_active, register, rule_for, scope
from harbour.accounts.roles import CASEWORK_ROLES, WRITING_ROLES

from . import registry

# Ends that are values, not records about someone: visible through the links that touch them.
PIVOT_MODEL_LABELS = frozenset(
    {"graph.Phone", "graph.EmailAddress", "graph.Vehicle", "graph.OnlineAccount", "graph.Organisation", "missing.Place"}
)


def is_protected(model) -> bool:
    """A record the access policy guards (it has a rule), other than a pivot value."""
    if model._meta.label in PIVOT_MODEL_LABELS:
        return False
    try:
        rule_for(model)
    except LookupError:
        return False
    return True


def _visible_on(user, side: str, models) -> Q:
    """Q over Link: the record at `side` ("source", "target", "provenance") is one the user may see."""
    allowed = NOTHING
    open_kinds = []
    for model in models:
        content_type = ContentType.objects.get_for_model(model)
        if is_protected(model):
            visible = scope(user, model._default_manager.all(), Action.VIEW).filter(pk=OuterRef(f"{side}_id"))
            allowed |= Q(**{f"{side}_type": content_type}) & Q(Exists(visible))
        else:
            open_kinds.append(content_type.pk)
    if open_kinds:
        allowed |= Q(**{f"{side}_type__in": open_kinds})
    return allowed


class LinkRule(RecordRule):
    """Both ends and the provenance, each through its own rule. Links with no provenance record
    (entered by hand) are seen only within the agency that recorded them."""

    def visible(self, user) -> Q:
        if not _is_active(user) or user.role not in CASEWORK_ROLES:
            return NOTHING
        ends = registry.node_models()
        provenance = _visible_on(user, "provenance", registry.provenance_models())
        unsourced = Q(provenance_type__isnull=True) & self.owned(user)
        return _visible_on(user, "source", ends) & _visible_on(user, "target", ends) & (provenance | unsourced)

    def q(self, user, action: Action, model) -> Q:
        if action == Action.VIEW:
            return self.visible(user)
        if action == Action.CHANGE:
            if not _is_active(user) or user.role not in WRITING_ROLES:
                return NOTHING
            return self.owned(user) & self.visible(user)
        return NOTHING


class EntityRule(RecordRule):
    """Owned by the agency that first recorded it, or reached through a visible link."""

    def visible(self, user, model) -> Q:
        if not _is_active(user) or user.role not in CASEWORK_ROLES:
            return NOTHING
        from .models import Link

        ct = ContentType.objects.get_for_model(model)
        touching = Q(source_type=ct, source_id=OuterRef("pk")) | Q(target_type=ct, target_id=OuterRef("pk"))
        links = scope(user, Link.objects.current(), Action.VIEW).filter(touching)
        return self.owned(user) | Q(Exists(links))

    def q(self, user, action: Action, model) -> Q:
        if action == Action.VIEW:
            return self.visible(user, model)
        if action == Action.CHANGE:
            if not _is_active(user) or user.role not in WRITING_ROLES:
                return NOTHING
            return self.visible(user, model)
        return NOTHING


def register_rules() -> None:
    from . import models

    register(models.Link, LinkRule())
    for model in models.ENTITY_MODELS:
        register(model, EntityRule())
