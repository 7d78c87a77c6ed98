"""Writes to the entity graph. Each function is one transaction and writes its own audit rows.

Entities are found or created by normalised value, so a phone typed "07700 900123" in an episode
and "+44 7700 900123" in an intelligence report is one entity; calling twice creates nothing new.
Links are idempotent too: the same ends, type and source record give the same link.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone

from harbour.access.policy import Action, can
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from . import registry
from .access_rules import is_protected
from .models import ENTITY_MODELS, Entity, Link, LinkType

ENTITY_BY_SLUG = {model.kind_slug: model for model in ENTITY_MODELS}


def entity_model(kind: str) -> type[Entity]:
    try:
        return ENTITY_BY_SLUG[kind]
    except KeyError:
        raise ValidationError(
            {"kind": "Choose a phone, email address, vehicle, online account or organisation."}
        ) from None


def _may_record(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role in CASEWORK_ROLES)


@transaction.atomic
def entity_get_or_create_by_value(*, caller: Caller, kind: str, value: str, **extra) -> tuple[Entity, bool]:
    """The one entity for this value, created if new. `value` is what the user typed: a phone
    number, an email address, a registration, "platform:handle" or "kind:name" (organisations).
    Both outcomes are audited: finding a value is a search of what is known."""
    if not _may_record(caller.user):
        raise Http404("Not found")
    model = entity_model(kind)
    try:
        key = model.key(value)
    except ValueError as error:
        raise ValidationError({"value": str(error)}) from None
    entity = model.objects.filter(**key).first()
    created = False
    if entity is None:
        fields = dict(key)
        if model.kind_slug == "organisation":
            fields["name"] = value.partition(":")[2].strip()
        fields.update({k: v for k, v in extra.items() if v not in (None, "")})
        try:
            with transaction.atomic():
                entity = model.objects.create(owning_agency_id=caller.user.agency_id, created_by=caller.user, **fields)
                created = True
        except IntegrityError:  # recorded by someone else a moment ago: the same entity
            entity = model.objects.get(**key)
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE if created else AuditAction.SEARCH,
        target=entity,
        client_ip=caller.client_ip,
        details={"kind": kind, "value": str(entity), "matched_existing": not created},
    )
    return entity, created


@transaction.atomic
def account_mark_suspected_fake(*, caller: Caller, account, suspected_fake: bool, reason: str):
    """Flag an online account as suspected to be a false identity, saying why."""
    if not can(caller.user, Action.CHANGE, account):
        raise Http404("Not found")
    if suspected_fake and not (reason or "").strip():
        raise ValidationError({"suspected_fake_reason": "Say why the account is suspected to be fake."})
    before = account.suspected_fake
    account.suspected_fake = bool(suspected_fake)
    account.suspected_fake_reason = (reason or "").strip()
    account.save(update_fields=["suspected_fake", "suspected_fake_reason"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=account,
        client_ip=caller.client_ip,
        reason=account.suspected_fake_reason,
        changes={"suspected_fake": [before, account.suspected_fake]},
    )
    return account


def _require_node(user, record: models.Model) -> None:
    if registry.kind_for_model(type(record)) is None:
        raise ValidationError({"target": "This kind of record cannot be linked."})
    if is_protected(type(record)) and not can(user, Action.VIEW, record):
        raise Http404("Not found")


def _find_link(*, source, target, link_type, provenance) -> Link | None:
    links = Link.objects.current().filter(
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        link_type=link_type,
    )
    if provenance is None:
        links = links.filter(provenance_type__isnull=True)
    else:
        links = links.filter(provenance_type=ContentType.objects.get_for_model(provenance), provenance_id=provenance.pk)
    return links.order_by("id").first()


def link_ensure(
    *,
    actor,
    owning_agency_id: int,
    source: models.Model,
    target: models.Model,
    link_type: str,
    provenance: models.Model | None = None,
    provenance_label: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    grading: str = "",
    grading_system: str = "",
    note: str = "",
    client_ip: str | None = None,
    automatic: bool = False,
) -> tuple[Link, bool]:
    """Create the link unless the same one (ends, type, source record) already exists. No access
    check: callers check first (link_create), or derive the link from a record already checked
    (the episode and interview signals)."""
    if link_type not in LinkType.values:
        raise ValidationError({"link_type": "Choose the kind of link."})
    existing = _find_link(source=source, target=target, link_type=link_type, provenance=provenance)
    if existing is not None:
        return existing, False
    link = Link(
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        link_type=link_type,
        start_date=start_date,
        end_date=end_date,
        provenance_type=ContentType.objects.get_for_model(provenance) if provenance is not None else None,
        provenance_id=provenance.pk if provenance is not None else None,
        provenance_label=(provenance_label or (str(provenance) if provenance is not None else ""))[:300],
        grading=grading,
        grading_system=grading_system,
        note=note.strip(),
        automatic=automatic,
        owning_agency_id=owning_agency_id,
        created_by=actor,
    )
    link.full_clean(exclude=["source_type", "target_type", "provenance_type", "owning_agency", "created_by"])
    link.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=link,
        client_ip=client_ip,
        details={
            "link_type": link_type,
            "source": f"{link.source_type.model}:{link.source_id}",
            "target": f"{link.target_type.model}:{link.target_id}",
            "provenance": link.provenance_label,
            "grading": grading,
            "automatic": automatic,
        },
    )
    return link, True


@transaction.atomic
def link_create(
    *,
    caller: Caller,
    source: models.Model,
    target: models.Model,
    link_type: str,
    provenance: models.Model | None = None,
    provenance_label: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    grading: str = "",
    grading_system: str = "",
    note: str = "",
) -> Link:
    """Link two records the caller may see, citing a record the caller may change (the report or
    episode the link is recorded in). Idempotent."""
    user = caller.user
    if not _may_record(user) or not user.agency_id:
        raise Http404("Not found")
    _require_node(user, source)
    _require_node(user, target)
    if provenance is not None:
        if type(provenance)._meta.label not in registry.PROVENANCE_MODELS:
            raise ValidationError({"provenance": "Links can only cite an episode, interview, report or message."})
        if is_protected(type(provenance)) and not can(user, Action.CHANGE, provenance):
            raise Http404("Not found")
    link, _ = link_ensure(
        actor=user,
        owning_agency_id=user.agency_id,
        source=source,
        target=target,
        link_type=link_type,
        provenance=provenance,
        provenance_label=provenance_label,
        start_date=start_date,
        end_date=end_date,
        grading=grading,
        grading_system=grading_system,
        note=note,
        client_ip=caller.client_ip,
    )
    return link


@transaction.atomic
def link_withdraw(*, caller: Caller, link: Link, reason: str) -> Link:
    """Mark a link wrong. It is kept, with who withdrew it and why: nothing is lost."""
    if not can(caller.user, Action.CHANGE, link):
        raise Http404("Not found")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the link is wrong."})
    link = Link.objects.select_for_update().get(pk=link.pk)
    if link.withdrawn_at is None:
        link.withdrawn_at, link.withdrawn_by, link.withdrawn_reason = timezone.now(), caller.user, reason.strip()
        link.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        audit_record(
            actor=caller.user,
            action=AuditAction.UPDATE,
            target=link,
            client_ip=caller.client_ip,
            reason=link.withdrawn_reason,
            changes={"withdrawn_at": [None, link.withdrawn_at]},
        )
    return link


def links_withdraw_automatic(*, provenance: models.Model, keep: set[tuple], actor, reason: str) -> int:
    """Withdraw links derived from `provenance` whose (link_type, target_type_id, target_id) is no
    longer in `keep`: a person removed from "found with" is no longer linked by that episode."""
    count = 0
    for link in Link.objects.current().from_record(provenance).filter(automatic=True):
        if (link.link_type, link.target_type_id, link.target_id) in keep:
            continue
        link.withdrawn_at, link.withdrawn_by, link.withdrawn_reason = timezone.now(), actor, reason
        link.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=link,
            reason=reason,
            changes={"withdrawn_at": [None, link.withdrawn_at]},
            details={"automatic": True},
        )
        count += 1
    return count


# What a user may type to name a node on a form: a record number for people and places (or a new
# place's name), the value itself for entities.
NODE_INPUT_KINDS = (
    ("person", "Person (record number)"),
    ("phone", "Phone number"),
    ("email", "Email address"),
    ("vehicle", "Vehicle registration"),
    ("account", "Online account (platform:username)"),
    ("organisation", "Organisation (kind:name, e.g. hotel:The Harbour Inn)"),
    ("place", "Place (record number, or a new place's name)"),
)


def node_from_input(*, caller: Caller, kind: str, value: str, field: str = "value") -> models.Model:
    """The record a user names on a form, found (and for entities and new places, recorded) through
    the policy. A person the user may not see is "not found", exactly as one who does not exist."""
    from harbour.access.policy import get_or_404

    value = (value or "").strip()
    if not value:
        raise ValidationError({field: "Enter who or what this is."})
    if kind == "person":
        from harbour.people.models import Person

        try:
            return get_or_404(caller.user, Person.objects.all(), Action.VIEW, pk=int(value))
        except (ValueError, Http404):
            raise ValidationError({field: "No person you can see has that record number."}) from None
    if kind == "place":
        from harbour.missing.models import Place

        if value.isdigit():
            place = Place.objects.filter(pk=int(value)).first()
            if place is None:
                raise ValidationError({field: "No place has that record number."})
            return place
        from harbour.missing.services import place_create

        return place_create(caller=caller, name=value)
    if kind in ENTITY_BY_SLUG:
        try:
            entity, _ = entity_get_or_create_by_value(caller=caller, kind=kind, value=value)
        except ValidationError as error:
            raise ValidationError({field: error.message_dict.get("value", error.messages)}) from None
        return entity
    raise ValidationError({f"{field}_kind" if field != "value" else "kind": "Choose what kind of thing this is."})
