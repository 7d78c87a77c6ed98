"""Reads of the entity graph, always through the access policy. Links are resolved in a few
queries per page (grouped by kind), and a hidden record is never resolved at all: the policy has
already dropped every link that would reach it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from harbour.access.policy import Action, get_or_404, scope
from harbour.access.reads import get_audited
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from . import registry
from .access_rules import is_protected
from .models import Link, LinkType

# The most links one expansion draws: enough for a busy adult, not a whole force's graph at once.
EXPAND_LIMIT = 300


def links_visible(*, user, include_withdrawn: bool = False, action: Action = Action.VIEW) -> QuerySet:
    """Links the user may see (or, with Action.COUNT, may have counted in a report's figure)."""
    links = Link.objects.all() if include_withdrawn else Link.objects.current()
    return scope(user, links, action)


def links_touching(*, user, record: models.Model, include_withdrawn: bool = False) -> QuerySet:
    return links_visible(user=user, include_withdrawn=include_withdrawn).touching(record)


def _filter_links(links: QuerySet, *, link_types=None, date_from: date | None = None, date_to: date | None = None):
    """Links of these types current at some time in [date_from, date_to]. A link with no end date
    is ongoing (events such as "found with" end on the day they start); one with no dates is kept:
    it is undated, not out of range."""
    if link_types:
        links = links.filter(link_type__in=list(link_types))
    if date_to:
        links = links.filter(Q(start_date__isnull=True) | Q(start_date__lte=date_to))
    if date_from:
        links = links.filter(Q(end_date__isnull=True) | Q(end_date__gte=date_from))
    return links


def resolve(links) -> dict[tuple[int, int], models.Model]:
    """{(content_type_id, id): record} for every end and source record of `links`, one query per kind."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for link in links:
        wanted[link.source_type_id].add(link.source_id)
        wanted[link.target_type_id].add(link.target_id)
        if link.provenance_type_id:
            wanted[link.provenance_type_id].add(link.provenance_id)
    found = {}
    for ct_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for record in model._default_manager.filter(pk__in=ids):
            found[(ct_id, record.pk)] = record
    return found


def node_id(record: models.Model) -> str:
    kind = registry.kind_for_model(type(record))
    return f"{kind.slug if kind else record._meta.model_name}:{record.pk}"


def record_url(record: models.Model) -> str:
    label = record._meta.label
    try:
        if label == "people.Person":
            return reverse("people:detail", args=[record.pk])
        if label == "intel.IntelligenceReport":
            return reverse("intel:detail", args=[record.pk])
        if label == "missing.MissingEpisode":
            return reverse("missing:episode", args=[record.pk])
        if label == "missing.ReturnHomeInterview":
            return reverse("missing:rhi", args=[record.pk])
        kind = registry.kind_for_model(type(record))
        if kind is not None:
            return reverse("graph:entity", args=[kind.slug, record.pk])
    except NoReverseMatch:
        return ""
    return ""


def node_label(record: models.Model) -> str:
    if record._meta.label == "intel.IntelligenceReport":
        return record.reference
    return str(record)


def node_data(record: models.Model) -> dict:
    kind = registry.kind_for_model(type(record))
    data = {
        "id": node_id(record),
        "kind": kind.slug if kind else record._meta.model_name,
        "kind_label": kind.label if kind else record._meta.verbose_name,
        "label": node_label(record),
        "url": record_url(record),
    }
    if record._meta.label == "people.Person":
        data["person_kind"] = record.kind
    if record._meta.label == "graph.OnlineAccount":
        data["suspected_fake"] = record.suspected_fake
    return data


def edge_data(link: Link, resolved: dict) -> dict | None:
    source = resolved.get((link.source_type_id, link.source_id))
    target = resolved.get((link.target_type_id, link.target_id))
    if source is None or target is None:
        return None
    provenance = resolved.get((link.provenance_type_id, link.provenance_id)) if link.provenance_type_id else None
    return {
        "id": f"link:{link.pk}",
        "source": node_id(source),
        "target": node_id(target),
        "link_type": link.link_type,
        "label": link.get_link_type_display(),
        "start_date": link.start_date.isoformat() if link.start_date else None,
        "end_date": link.end_date.isoformat() if link.end_date else None,
        "provenance": link.provenance_label or (str(provenance) if provenance else "Recorded by hand"),
        "provenance_url": record_url(provenance) if provenance is not None else "",
        "grading": link.grading,
        "grading_system": link.grading_system,
        "automatic": link.automatic,
        "recorded_at": link.created_at.isoformat(),
    }


@dataclass
class LinkRow:
    """One visible link as seen from one of its ends."""

    link: Link
    other: models.Model
    other_url: str
    phrase: str  # "Found with", "Found with (by)" read from this end
    provenance: models.Model | None
    provenance_url: str


def link_rows(*, user, record: models.Model, include_withdrawn: bool = False) -> list[LinkRow]:
    links = list(
        links_touching(user=user, record=record, include_withdrawn=include_withdrawn).select_related(
            "source_type", "target_type"
        )
    )
    resolved = resolve(links)
    ct = ContentType.objects.get_for_model(record)
    rows = []
    for link in links:
        outgoing = link.source_type_id == ct.pk and link.source_id == record.pk
        other_key = (link.target_type_id, link.target_id) if outgoing else (link.source_type_id, link.source_id)
        other = resolved.get(other_key)
        if other is None:
            continue
        phrase = link.get_link_type_display()
        if not outgoing and link.link_type not in (LinkType.ASSOCIATE, LinkType.FAMILY):
            phrase = f"{phrase} (by)"
        provenance = resolved.get((link.provenance_type_id, link.provenance_id)) if link.provenance_type_id else None
        rows.append(
            LinkRow(link, other, record_url(other), phrase, provenance, record_url(provenance) if provenance else "")
        )
    return rows


def node_get(*, caller: Caller, kind: str, pk, purpose: str = "view") -> models.Model:
    """The record behind a graph node, if the caller may see it; the read is audited. Protected
    records and entities go through the policy; places (not protected) need a case-working role."""
    try:
        node_kind = registry.node_kind(kind)
        model = node_kind.model
    except LookupError:
        raise Http404("Not found") from None
    user = caller.user
    if user.role not in CASEWORK_ROLES:
        raise Http404("Not found")
    if is_protected(model) or _has_rule(model):
        return get_audited(caller=caller, queryset=model._default_manager.all(), pk=pk, purpose=purpose)
    try:
        record = model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
    with transaction.atomic():
        audit_record(
            actor=user, action=AuditAction.VIEW, target=record, client_ip=caller.client_ip, details={"purpose": purpose}
        )
    return record


def _has_rule(model) -> bool:
    from harbour.access.policy import rule_for

    try:
        rule_for(model)
    except LookupError:
        return False
    return True


def expand(
    *,
    caller: Caller,
    kind: str,
    pk,
    link_types=None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict:
    """The node and its visible neighbours, for the link chart. Audited as a view of the node,
    naming every node returned, so the log shows what the chart put on screen."""
    record = node_get(caller=caller, kind=kind, pk=pk, purpose="link chart")
    links = _filter_links(
        links_touching(user=caller.user, record=record),
        link_types=link_types,
        date_from=date_from,
        date_to=date_to,
    ).select_related("source_type", "target_type")
    links = list(links.order_by("-start_date", "-id")[:EXPAND_LIMIT])
    resolved = resolve(links)
    nodes = {node_id(record): node_data(record)}
    edges = []
    for link in links:
        edge = edge_data(link, resolved)
        if edge is None:
            continue
        for key in ((link.source_type_id, link.source_id), (link.target_type_id, link.target_id)):
            other = resolved[key]
            nodes.setdefault(node_id(other), node_data(other))
        edges.append(edge)
    drawn = {node_id(r): r for r in [record, *resolved.values()] if node_id(r) in nodes}
    records = list(drawn.values())
    for annotator in registry.NODE_ANNOTATORS:
        for nid, extra in (annotator(caller.user, records) or {}).items():
            if nid in nodes:
                nodes[nid].setdefault("alerts", []).extend(extra.get("alerts", []))
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.SEARCH,
            target=record,
            client_ip=caller.client_ip,
            details={
                "purpose": "link chart expand",
                "node_ids": sorted(nodes),
                "link_ids": [link.pk for link in links],
                "link_types": list(link_types or []),
                "date_from": date_from,
                "date_to": date_to,
            },
        )
    return {
        "root": node_id(record),
        "nodes": list(nodes.values()),
        "edges": edges,
        "truncated": len(links) >= EXPAND_LIMIT,
    }


def entity_find(*, user, kind: str, value: str):
    """The visible entity with this value, or None (the value is normalised first)."""
    from .services import entity_model

    model = entity_model(kind)
    try:
        key = model.key(value)
    except ValueError:
        return None
    return scope(user, model.objects.filter(**key), Action.VIEW).first()


def visible_node(*, user, kind: str, pk) -> models.Model:
    """Unaudited check used by writes that reference a node: the record if the user may see it."""
    try:
        model = registry.node_kind(kind).model
    except LookupError:
        raise Http404("Not found") from None
    if _has_rule(model):
        return get_or_404(user, model._default_manager.all(), Action.VIEW, pk=pk)
    if user.role not in CASEWORK_ROLES:
        raise Http404("Not found")
    try:
        return model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
