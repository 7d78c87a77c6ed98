"""Writes about digital evidence. Each function checks the access policy, is one transaction and
writes its own audit rows; actions on evidence items are also custody events."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from harbour.access.policy import Action, can, get_or_404
from harbour.accounts.models import Team
from harbour.accounts.roles import WRITING_ROLES
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record, jsonable
from harbour.core.caller import Caller

from . import search_index
from .models import (
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    ExtractedIdentifier,
    ImportPolicy,
    IndexRebuild,
    Investigation,
    ItemStatus,
    Message,
    RebuildStatus,
    SelectedIdentifier,
)
from .parsers import FORMATS

EVIDENCE_SUBDIR = "evidence"


def _require(caller: Caller, action: Action, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


def record_custody(
    *, caller: Caller, investigation: Investigation, item: EvidenceItem | None, action: str, details: dict
) -> CustodyEvent:
    """One custody event and its audit row, together."""
    audit_action = {
        CustodyAction.IMPORT: AuditAction.CREATE,
        CustodyAction.VIEW: AuditAction.VIEW,
        CustodyAction.SEARCH: AuditAction.SEARCH,
        CustodyAction.EXPORT: AuditAction.EXPORT,
        CustodyAction.REINDEX: AuditAction.UPDATE,
    }[CustodyAction(action)]
    with transaction.atomic():
        event = CustodyEvent.objects.create(
            investigation=investigation,
            item=item,
            action=action,
            actor=caller.user,
            actor_username=caller.user.get_username(),
            details=jsonable(details),
        )
        audit_record(
            actor=caller.user,
            action=audit_action,
            target=item or investigation,
            client_ip=caller.client_ip,
            details={"custody_event": event.pk, **details},
        )
    return event


@transaction.atomic
def investigation_create(
    *, caller: Caller, name: str, reference: str, owning_team: Team | None = None, is_restricted: bool = False
) -> Investigation:
    user = caller.user
    if user.role not in WRITING_ROLES or not user.agency_id:
        raise Http404("Not found")
    team = owning_team or user.team
    if team is None:
        raise ValidationError({"owning_team": "You must belong to a team to open an investigation."})
    if team.agency_id != user.agency_id:
        raise ValidationError({"owning_team": "The team must belong to your agency."})
    if Investigation.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": "An investigation with this reference already exists."})
    investigation = Investigation.objects.create(
        name=name,
        reference=reference,
        owning_agency_id=user.agency_id,
        owning_team=team,
        is_restricted=is_restricted,
        created_by=user,
    )
    # A new investigation starts with an empty index, whatever a database emptied and refilled
    # (a test, a demo reset) left under the same id.
    search_index.delete_investigation(investigation.pk)
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=investigation,
        client_ip=caller.client_ip,
        changes={"name": [None, name], "reference": [None, reference], "owning_team": [None, team.pk]},
    )
    return investigation


@transaction.atomic
def investigation_set_notes(*, caller: Caller, investigation: Investigation, notes: str) -> Investigation:
    _require(caller, Action.CHANGE, investigation)
    before = investigation.examiner_notes
    investigation.examiner_notes = notes
    investigation.save(update_fields=["examiner_notes"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=investigation,
        client_ip=caller.client_ip,
        changes={"examiner_notes": [before, notes]},
    )
    return investigation


def store_original(upload) -> tuple[str, str, int]:
    """Stream an upload to MEDIA_ROOT/evidence/<sha256>, read-only. Returns (relative path, sha256, size).

    The same file uploaded twice is stored once: its name is its hash, and it is never rewritten.
    """
    folder = Path(settings.MEDIA_ROOT) / EVIDENCE_SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    temp = folder / f".incoming-{uuid.uuid4().hex}"
    try:
        with open(temp, "xb") as out:
            chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1024 * 1024), b"")
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        final = folder / sha
        if final.exists():
            temp.unlink()
        else:
            os.replace(temp, final)
            os.chmod(final, 0o444)
    finally:
        if temp.exists():
            temp.unlink()
    return f"{EVIDENCE_SUBDIR}/{sha}", sha, size


def item_import(
    *,
    caller: Caller,
    investigation: Investigation,
    upload,
    format: str,
    policy: str = ImportPolicy.KEEP_VALID,
    description: str,
    seized_by: str,
    seized_at,
    source_device: str = "",
    source_platform: str = "",
    export_description: str = "",
    conversation_name: str = "",
    timezone: str = "Europe/London",
) -> EvidenceItem:
    """Keep the original (hashed, read-only), record the item and its custody, queue the import."""
    from .tasks import import_evidence_item

    _require(caller, Action.CHANGE, investigation)
    if format not in FORMATS:
        raise ValidationError({"format": "Choose a supported format."})
    if policy not in ImportPolicy.values:
        raise ValidationError({"policy": "Choose an import policy."})
    if _rebuild_active(investigation):  # checked again under the lock below; first, before storing
        _refuse_while_rebuilding("import")
    stored_path, sha, size = store_original(upload)
    if size == 0:
        raise ValidationError({"upload": "The file is empty."})
    with transaction.atomic():
        _lock_refusing_rebuild(investigation, doing="import")
        item = EvidenceItem.objects.create(
            investigation=investigation,
            description=description,
            source_device=source_device,
            source_platform=source_platform,
            export_description=export_description,
            seized_by=seized_by,
            seized_at=seized_at,
            imported_by=caller.user,
            original_name=os.path.basename(getattr(upload, "name", "") or "upload")[:255],
            stored_path=stored_path,
            sha256=sha,
            size=size,
            format=format,
            policy=policy,
            conversation_name=conversation_name,
            timezone=timezone,
        )
        record_custody(
            caller=caller,
            investigation=investigation,
            item=item,
            action=CustodyAction.IMPORT,
            details={
                "outcome": "received",
                "sha256": sha,
                "size": size,
                "original_name": item.original_name,
                "format": format,
                "policy": policy,
                "seized_by": seized_by,
                "seized_at": seized_at,
            },
        )
    # Queued after the item is committed, so the worker always finds it.
    import_evidence_item.enqueue(item.pk)
    item.refresh_from_db()
    return item


def _lock_investigation(investigation: Investigation) -> None:
    """Serialise imports and index rebuilds of one investigation (they share its search index)."""
    list(Investigation.objects.select_for_update().filter(pk=investigation.pk).values_list("pk", flat=True))


def _rebuild_active(investigation: Investigation) -> bool:
    return IndexRebuild.objects.filter(
        investigation=investigation, status__in=[RebuildStatus.QUEUED, RebuildStatus.RUNNING]
    ).exists()


def _refuse_while_rebuilding(doing: str):
    message = f"The search index is being rebuilt: {doing} the file when the rebuild has finished."
    raise ValidationError({"upload": message} if doing == "import" else message)


def _lock_refusing_rebuild(investigation: Investigation, *, doing: str) -> None:
    _lock_investigation(investigation)
    if _rebuild_active(investigation):
        _refuse_while_rebuilding(doing)


def item_resume(*, caller: Caller, item: EvidenceItem) -> EvidenceItem:
    """Queue a failed or stalled import again: it continues from its checkpoint."""
    _require(caller, Action.CHANGE, item.investigation)
    if item.status in (ItemStatus.DONE, ItemStatus.REJECTED):
        raise ValidationError("This import has finished; there is nothing to resume.")
    if item.status == ItemStatus.QUEUED or (item.status == ItemStatus.RUNNING and not item.is_stalled):
        raise ValidationError("This import is still going; it can be resumed only if it fails or stalls.")
    return _requeue(item, actor=caller.user, client_ip=caller.client_ip, why="resume requested")


def items_resume_stalled() -> list[EvidenceItem]:
    """Queue again every import that stalled (its worker stopped without saying so). Run by
    `harbour evidence-resume-stalled` on a schedule; Harbour itself is the actor in the audit."""
    running = EvidenceItem.objects.filter(status=ItemStatus.RUNNING).select_related("investigation")
    return [_requeue(item, actor=None, client_ip=None, why="stalled; resumed") for item in running if item.is_stalled]


def rebuilds_restart_stalled() -> list[IndexRebuild]:
    """Start again every index rebuild whose worker stopped mid-way (a rebuild starts from scratch,
    so this is always safe). Run by `harbour evidence-resume-stalled`; Harbour is the actor."""
    from .tasks import rebuild_search_index

    restarted = []
    for rebuild in IndexRebuild.objects.filter(status=RebuildStatus.RUNNING).select_related("investigation"):
        if not rebuild.is_stalled:
            continue
        with transaction.atomic():
            IndexRebuild.objects.filter(pk=rebuild.pk).update(status=RebuildStatus.QUEUED)
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                target=rebuild,
                details={
                    "index_rebuild": "stalled; started again",
                    "last_progress": rebuild.progress_at.isoformat() if rebuild.progress_at else None,
                },
            )
        rebuild_search_index.enqueue(rebuild.pk)
        rebuild.refresh_from_db()
        restarted.append(rebuild)
    return restarted


def _requeue(item: EvidenceItem, *, actor, client_ip, why: str) -> EvidenceItem:
    from .tasks import import_evidence_item

    with transaction.atomic():
        _lock_refusing_rebuild(item.investigation, doing="resume")
        EvidenceItem.objects.filter(pk=item.pk).update(status=ItemStatus.QUEUED)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=item,
            client_ip=client_ip,
            details={
                "import": {
                    "outcome": why,
                    "checkpoint": item.checkpoint,
                    "last_progress": item.progress_at.isoformat() if item.progress_at else None,
                }
            },
        )
    import_evidence_item.enqueue(item.pk)
    item.refresh_from_db()
    return item


def identifier_select(*, caller: Caller, identifier_pk: int) -> SelectedIdentifier:
    """Carry an extracted identifier forward (to the entity graph, issue 5), with its provenance."""
    found = get_or_404(
        caller.user, ExtractedIdentifier.objects.select_related("message"), Action.VIEW, pk=identifier_pk
    )
    investigation = Investigation.objects.get(pk=found.investigation_id)
    _require(caller, Action.CHANGE, investigation)
    with transaction.atomic():
        try:
            with transaction.atomic():
                selected = SelectedIdentifier.objects.create(
                    investigation=investigation,
                    source=found,
                    kind=found.kind,
                    value=found.value,
                    selected_by=caller.user,
                )
        except IntegrityError:
            return SelectedIdentifier.objects.get(investigation=investigation, kind=found.kind, value=found.value)
        audit_record(
            actor=caller.user,
            action=AuditAction.CREATE,
            target=selected,
            object_repr=f"{found.get_kind_display()} {found.value}",
            client_ip=caller.client_ip,
            details={
                "kind": found.kind,
                "value": found.value,
                "message_id": found.message_id,
                "item_id": found.message.item_id,
                "line": found.message.line_no,
            },
        )
    return selected


def index_rebuild_request(*, caller: Caller, investigation: Investigation) -> IndexRebuild:
    """Queue a rebuild of the investigation's search index from the database: for the owning team,
    never while an import is queued or running (both write the same index), one at a time."""
    from .tasks import rebuild_search_index

    _require(caller, Action.CHANGE, investigation)
    with transaction.atomic():
        _lock_investigation(investigation)
        if EvidenceItem.objects.filter(
            investigation=investigation, status__in=[ItemStatus.QUEUED, ItemStatus.RUNNING]
        ).exists():
            raise ValidationError("An import is running: rebuild the search index when it has finished.")
        if _rebuild_active(investigation):
            raise ValidationError("A rebuild of the search index is already queued or running.")
        total = Message.objects.filter(investigation=investigation).count()
        rebuild = IndexRebuild.objects.create(
            investigation=investigation, requested_by=caller.user, messages_total=total
        )
        record_custody(
            caller=caller,
            investigation=investigation,
            item=None,
            action=CustodyAction.REINDEX,
            details={"outcome": "requested", "index_rebuild_id": rebuild.pk, "messages": total},
        )
    rebuild_search_index.enqueue(rebuild.pk)  # after the commit, so the worker always finds it
    rebuild.refresh_from_db()
    return rebuild


def _rebuild_custody(rebuild: IndexRebuild, details: dict) -> None:
    """The job acts for the officer who asked for the rebuild, so the chain names them."""
    record_custody(
        caller=Caller(rebuild.requested_by),
        investigation=rebuild.investigation,
        item=None,
        action=CustodyAction.REINDEX,
        details={"index_rebuild_id": rebuild.pk, **details},
    )


def index_rebuild_run(*, rebuild_id: int) -> dict:
    """The background job: rebuild the index, keeping the rebuild's status and progress. Safe to run
    again after a worker died mid-way (the index is rebuilt from scratch each time)."""
    from django.utils import timezone

    from . import importer

    rebuild = IndexRebuild.objects.select_related("investigation", "requested_by").get(pk=rebuild_id)
    if not rebuild.is_active:
        return {"status": rebuild.status, "messages": rebuild.messages_indexed}
    busy = EvidenceItem.objects.filter(
        investigation_id=rebuild.investigation_id, status__in=[ItemStatus.QUEUED, ItemStatus.RUNNING]
    )
    if busy.exists():  # cannot happen through the services; a job queued by hand could do it
        error = "An import started before the rebuild ran: ask for the rebuild again when it has finished."
        with transaction.atomic():
            IndexRebuild.objects.filter(pk=rebuild.pk).update(
                status=RebuildStatus.FAILED, error=error, finished_at=timezone.now()
            )
            _rebuild_custody(rebuild, {"outcome": "failed", "error": error})
        return {"status": RebuildStatus.FAILED, "error": error}
    now = timezone.now()
    IndexRebuild.objects.filter(pk=rebuild.pk).update(
        status=RebuildStatus.RUNNING, started_at=now, progress_at=now, messages_indexed=0, error=""
    )

    def progress(count: int) -> None:
        IndexRebuild.objects.filter(pk=rebuild.pk).update(messages_indexed=count, progress_at=timezone.now())

    try:
        count = importer.rebuild_index(rebuild.investigation_id, progress=progress)
    except Exception as exc:
        with transaction.atomic():
            IndexRebuild.objects.filter(pk=rebuild.pk).update(
                status=RebuildStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
            )
            _rebuild_custody(rebuild, {"outcome": "failed", "error": str(exc)[:500]})
        raise
    with transaction.atomic():
        IndexRebuild.objects.filter(pk=rebuild.pk).update(
            status=RebuildStatus.DONE, messages_indexed=count, finished_at=timezone.now()
        )
        _rebuild_custody(rebuild, {"outcome": "rebuilt", "messages": count})
    return {"status": RebuildStatus.DONE, "messages": count}


class PersonNotFound(Http404):
    """The person named for a link is absent or hidden from the examiner: the same answer either way."""


@dataclass(frozen=True)
class GraphTarget:
    """What a selected identifier becomes in the entity graph, and how it links to a person."""

    kind: str  # the graph's entity kind ("phone", "account"...)
    value: str  # as graph.services.entity_get_or_create_by_value takes it
    link_type: str
    label: str  # what the examiner is told it will be


NOT_A_GRAPH_ENTITY = (
    "The entity graph holds phones, email addresses, vehicles, online accounts and organisations; "
    "a web address that is none of these (a website, a post, a shared file) cannot be linked to a "
    "person. Keep it in the examiner's notes."
)


def graph_target(selected: SelectedIdentifier, *, platform: str = "") -> GraphTarget:
    """The entity a selected identifier becomes, or a ValidationError saying why it cannot.

    Phones and emails are themselves. A handle ("@big_dave") is an online account on the platform
    the examiner chooses, or "unknown": a chat message rarely says where a name is used. A web
    address is an account when it is a profile on a platform Harbour knows, and a phone when it
    is a WhatsApp chat link; the graph has nothing that fits any other address (see ADR 0014).
    """
    from harbour.graph import normalise

    value = selected.value
    if selected.kind == ExtractedIdentifier.Kind.PHONE:
        return GraphTarget("phone", value, "uses_phone", f"phone number {value}")
    if selected.kind == ExtractedIdentifier.Kind.EMAIL:
        return GraphTarget("email", value, "uses_email", f"email address {value}")
    if selected.kind == ExtractedIdentifier.Kind.HANDLE:
        try:
            platform = normalise.normalise_platform(platform or "unknown")
        except ValueError:
            raise ValidationError({"platform": "Choose the platform, or unknown."}) from None
        try:
            handle = normalise.normalise_handle(value)
        except ValueError as error:
            raise ValidationError({"identifier": str(error)}) from None
        label = f"{normalise.PLATFORM_LABELS[platform]} account @{handle}"
        return GraphTarget("account", f"{platform}:{handle}", "owns_account", label)
    if selected.kind == ExtractedIdentifier.Kind.URL:
        try:
            platform, handle = normalise.account_from_profile_url(value)
        except ValueError as not_a_profile:
            try:
                number = normalise.phone_from_chat_link(value)
            except ValueError:
                raise ValidationError({"identifier": f"{not_a_profile} {NOT_A_GRAPH_ENTITY}"}) from None
            return GraphTarget("phone", number, "uses_phone", f"phone number {number} (a WhatsApp chat link)")
        label = f"{normalise.PLATFORM_LABELS[platform]} account @{handle}"
        return GraphTarget("account", f"{platform}:{handle}", "owns_account", label)
    if selected.kind == ExtractedIdentifier.Kind.PLACE:
        return GraphTarget("place", value, "names_place", f"place at postcode {value}")
    raise ValidationError({"identifier": "Money amounts and meeting times are not entities of the graph."})


def _place_for_postcode(caller: Caller, postcode: str):
    """The place at a postcode: one the examiner already meets in records they can see, or a new
    one. Never a place known only to others (that someone recorded it is itself information)."""
    from harbour.missing.selectors import places_known_to
    from harbour.missing.services import place_create

    known = places_known_to(user=caller.user).filter(postcode__iexact=postcode).order_by("pk").first()
    if known is not None:
        return known
    return place_create(caller=caller, name=f"Postcode {postcode}", postcode=postcode, field="identifier")


def _person_for_link(caller: Caller, person_pk):
    """The person to link to, read through the policy (the read is audited; a refusal as "denied")."""
    from harbour.access.reads import get_audited
    from harbour.people.models import Person

    try:
        pk = int(str(person_pk).strip())
    except (TypeError, ValueError):
        raise ValidationError({"person": "Enter the record number of a person you can see."}) from None
    try:
        return get_audited(caller=caller, queryset=Person.objects.all(), pk=pk, purpose="link evidence identifier")
    except Http404:
        raise PersonNotFound("Not found") from None


def selected_identifier_link(*, caller: Caller, selected_pk: int, person_pk, platform: str = ""):
    """Put a selected identifier into the entity graph (see graph_target) and link it to a person
    the examiner may see, with the source message as the link's provenance: one action, logged in
    the chain of custody. A person the examiner may not see is refused as an absent one (404)."""
    from harbour.graph.services import entity_get_or_create_by_value, link_create

    selected = get_or_404(
        caller.user, SelectedIdentifier.objects.select_related("source__message"), Action.VIEW, pk=selected_pk
    )
    _require(caller, Action.CHANGE, selected.investigation)
    target = graph_target(selected, platform=platform)
    person = _person_for_link(caller, person_pk)
    message = selected.source.message
    with transaction.atomic():
        if target.kind == "place":
            entity = _place_for_postcode(caller, target.value)
        else:
            entity, _ = entity_get_or_create_by_value(caller=caller, kind=target.kind, value=target.value)
        link = link_create(
            caller=caller,
            source=person,
            target=entity,
            link_type=target.link_type,
            provenance=message,
            provenance_label=f"Evidence item {message.item_id}, line {message.line_no}",
        )
        record_custody(
            caller=caller,
            investigation=selected.investigation,
            item=message.item,
            action=CustodyAction.EXPORT,
            details={
                "graph_link_id": link.pk,
                "selected_identifier_id": selected.pk,
                "person_id": person.pk,
                "entity": f"{target.kind}:{entity.pk}",
                "link_type": target.link_type,
            },
        )
    return link
