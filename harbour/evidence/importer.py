"""The import job: parse an evidence item's original file into messages, flags, identifiers and
the search index, in batches that can be resumed after a crash.

Each batch is one database transaction holding the messages, their flags and identifiers, and
the item's checkpoint (the last source position consumed) and progress counters. A re-run skips
everything up to the checkpoint, and (item, source_position) is unique in the database, so a
resumed import can never duplicate a message. The search index has its own checkpoint (see
search_index).
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record

from . import search_index
from .identifiers import extract
from .indicators import Indicators
from .models import (
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    ExtractedIdentifier,
    ImportPolicy,
    IndicatorFlag,
    ItemStatus,
    Message,
)
from .parsers import CountingReader, ParseError, Record, parse, validate

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
INDEX_COMMIT_EVERY = 20  # batches between search-index commits
ERROR_REPORT_LIMIT = 1000  # lines reported individually; the count covers the rest


# Seconds spent per stage in this process (read by bench/evidence_import.py); per batch, not per message.
STAGE_SECONDS: dict[str, float] = defaultdict(float)


class SimulatedCrash(RuntimeError):
    """Raised by tests (and the benchmark) to stop an import between batches."""


def original_path(item: EvidenceItem) -> Path:
    return Path(settings.MEDIA_ROOT) / item.stored_path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _custody(item: EvidenceItem, details: dict) -> None:
    """The job acts for the officer who imported the item, so the chain names them."""
    with transaction.atomic():
        CustodyEvent.objects.create(
            investigation_id=item.investigation_id,
            item=item,
            action=CustodyAction.IMPORT,
            actor=item.imported_by,
            actor_username=item.imported_by.get_username(),
            details=details,
        )
        audit_record(actor=item.imported_by, action=AuditAction.UPDATE, target=item, details={"import": details})


def run_import(item_id: int, *, batch_size: int = BATCH_SIZE, crash_after_batches: int | None = None) -> dict:
    item = EvidenceItem.objects.select_related("investigation", "imported_by").get(pk=item_id)
    if item.status in (ItemStatus.DONE, ItemStatus.REJECTED):
        return {"status": item.status, "messages": item.messages_done}
    EvidenceItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now(), error=""
    )
    item.refresh_from_db()
    try:
        return _run(item, batch_size=batch_size, crash_after_batches=crash_after_batches)
    except Exception as exc:
        EvidenceItem.objects.filter(pk=item.pk).update(status=ItemStatus.FAILED, error=str(exc)[:2000])
        raise


def _run(item: EvidenceItem, *, batch_size: int, crash_after_batches: int | None) -> dict:
    path = original_path(item)
    actual = file_sha256(path)
    if actual != item.sha256:
        raise RuntimeError(f"The stored original no longer matches its SHA-256 ({actual} != {item.sha256}).")
    options = {"conversation": item.conversation_name, "tz": item.timezone}

    if item.policy == ImportPolicy.ALL_OR_NOTHING and item.checkpoint == 0 and item.messages_done == 0:
        with open(path, "rb") as handle:
            count, errors = validate(item.format, io.BufferedReader(handle, 1024 * 1024), **options)
        if errors:
            report = [e.as_dict() for e in errors[:ERROR_REPORT_LIMIT]]
            EvidenceItem.objects.filter(pk=item.pk).update(
                status=ItemStatus.REJECTED,
                skipped=len(errors),
                error_report=report,
                bytes_read=item.size,
                finished_at=timezone.now(),
            )
            _custody(item, {"outcome": "rejected", "malformed_lines": len(errors), "valid_messages": count})
            return {"status": ItemStatus.REJECTED, "errors": len(errors)}

    rules = Indicators.load(getattr(settings, "HARBOUR_EVIDENCE_INDICATORS", None))
    # The index writer holds the index's lock until it is freed: keep the only reference here
    # and drop it on the way out, even when a crash leaves a traceback holding this frame.
    state = {"writer": search_index.writer(search_index.open_index(item.investigation_id)), "batches": 0}
    try:
        _import_batches(item, state, rules, options, batch_size=batch_size, crash_after_batches=crash_after_batches)
        state["writer"].wait_merging_threads()
    finally:
        state["writer"] = None

    EvidenceItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.DONE, bytes_read=item.size, finished_at=timezone.now()
    )
    item.refresh_from_db()
    outcome = {
        "outcome": "imported",
        "messages": item.messages_done,
        "skipped_lines": item.skipped,
        "flags": item.flags_found,
        "attempts": item.attempts,
    }
    _custody(item, outcome)
    return {"status": ItemStatus.DONE, **outcome}


def _import_batches(item, state, rules, options, *, batch_size: int, crash_after_batches: int | None) -> None:
    _repair_index(item, state["writer"])
    report = list(item.error_report or [])
    batch: list[Record] = []
    errors: list[ParseError] = []
    all_or_nothing = item.policy == ImportPolicy.ALL_OR_NOTHING
    checkpoint = item.checkpoint

    def commit(bytes_read: int, position: int) -> None:
        started = time.perf_counter()
        saved = _commit_batch(item, batch, errors, report, rules, bytes_read=bytes_read, checkpoint=position)
        indexing = time.perf_counter()
        for message_id, record in saved:
            state["writer"].add_document(search_index.document_from_record(message_id, item.pk, record))
        STAGE_SECONDS["index documents"] += time.perf_counter() - indexing
        STAGE_SECONDS["batches (all but parsing)"] += time.perf_counter() - started
        batch.clear()
        errors.clear()
        state["batches"] += 1
        if state["batches"] % INDEX_COMMIT_EVERY == 0:
            _commit_index(item, state["writer"], position)
        if crash_after_batches is not None and state["batches"] >= crash_after_batches:
            raise SimulatedCrash(f"simulated crash after {state['batches']} batches")

    with open(original_path(item), "rb") as handle:
        counter = CountingReader(handle)
        stream = io.BufferedReader(counter, 1024 * 1024)
        last = checkpoint
        for entry in parse(item.format, stream, **options):
            if entry.position <= checkpoint:
                continue  # committed before a crash
            last = entry.position
            if isinstance(entry, ParseError):
                if all_or_nothing:
                    raise RuntimeError(f"All-or-nothing import found a malformed line after validation: {entry}")
                errors.append(entry)
            else:
                batch.append(entry)
            if len(batch) >= batch_size:
                commit(counter.bytes_read, last)
        if batch or errors:
            commit(counter.bytes_read, last)
    _commit_index(item, state["writer"], last)


MESSAGE_COLUMNS = (
    "investigation_id",
    "item_id",
    "conversation",
    "sender",
    "recipients",
    "sent_at",
    "text",
    "line_no",
    "source_position",
)


def _commit_batch(item, batch, errors, report, rules, *, bytes_read: int, checkpoint: int) -> list[tuple[int, Record]]:
    """One transaction: the batch's messages, their flags and identifiers, the checkpoint.

    Messages go in with one executemany (the ORM's per-object work was most of the import's
    time); their ids are read back through the (item, source_position) unique index.
    """
    ops = connection.ops
    table = ops.quote_name(Message._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in MESSAGE_COLUMNS)
    placeholders = ", ".join(["%s"] * len(MESSAGE_COLUMNS))
    rows = [
        (
            item.investigation_id,
            item.pk,
            r.conversation[:200],
            r.sender[:200],
            ";".join(r.recipients)[:500],
            ops.adapt_datetimefield_value(r.sent_at),
            r.text,
            r.line_no,
            r.position,
        )
        for r in batch
    ]
    started = time.perf_counter()
    with transaction.atomic():
        ids: dict[int, int] = {}
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608
                cursor.execute(
                    f"SELECT source_position, id FROM {table} "  # noqa: S608
                    "WHERE item_id = %s AND source_position >= %s AND source_position <= %s",
                    [item.pk, batch[0].position, batch[-1].position],
                )
                ids = dict(cursor.fetchall())
        saved = [(ids[r.position], r) for r in batch]
        scanning = time.perf_counter()
        STAGE_SECONDS["insert messages"] += scanning - started
        flags, identifiers = [], []
        for message_id, r in saved:
            for hit in rules.scan(r.text):
                flags.append(
                    IndicatorFlag(
                        investigation_id=item.investigation_id,
                        message_id=message_id,
                        item_id=item.pk,
                        conversation=r.conversation[:200],
                        sent_at=r.sent_at,
                        family=hit.family,
                        matched=list(hit.matched),
                    )
                )
            for found in extract(r.text):
                identifiers.append(
                    ExtractedIdentifier(
                        investigation_id=item.investigation_id,
                        message_id=message_id,
                        kind=found.kind,
                        value=found.value,
                        raw=found.raw,
                    )
                )
        STAGE_SECONDS["indicators and identifiers"] += time.perf_counter() - scanning
        IndicatorFlag.objects.bulk_create(flags)
        ExtractedIdentifier.objects.bulk_create(identifiers)
        changes = {
            "checkpoint": checkpoint,
            "messages_done": F("messages_done") + len(saved),
            "bytes_read": min(bytes_read, item.size),
            "skipped": F("skipped") + len(errors),
            "flags_found": F("flags_found") + len(flags),
        }
        if errors and len(report) < ERROR_REPORT_LIMIT:
            report.extend(e.as_dict() for e in errors[: ERROR_REPORT_LIMIT - len(report)])
            changes["error_report"] = report
        EvidenceItem.objects.filter(pk=item.pk).update(**changes)
    return saved


def _commit_index(item: EvidenceItem, index_writer, position: int) -> None:
    started = time.perf_counter()
    index_writer.commit()
    STAGE_SECONDS["index commits"] += time.perf_counter() - started
    EvidenceItem.objects.filter(pk=item.pk).update(indexed_through=position)


def _repair_index(item: EvidenceItem, index_writer) -> None:
    """After a crash: drop documents past the index checkpoint, re-add what the database holds."""
    if item.checkpoint == 0 and item.indexed_through == 0:
        return
    search_index.delete_after(index_writer, item_id=item.pk, position=item.indexed_through)
    pending = Message.objects.filter(item=item, source_position__gt=item.indexed_through).order_by("source_position")
    for message in pending.iterator(chunk_size=5000):
        index_writer.add_document(search_index.document(message))
    _commit_index(item, index_writer, item.checkpoint)
    item.indexed_through = item.checkpoint


def rebuild_index(investigation_id: int, *, progress=None) -> int:
    """Rebuild an investigation's search index from the database (the record). `progress`, if
    given, is called with the number of messages added so far, every 5,000."""
    search_index.delete_investigation(investigation_id)
    index = search_index.open_index(investigation_id)
    index_writer = search_index.writer(index)
    count = 0
    for message in Message.objects.filter(investigation_id=investigation_id).iterator(chunk_size=5000):
        index_writer.add_document(search_index.document(message))
        count += 1
        if progress is not None and count % 5000 == 0:
            progress(count)
    index_writer.commit()
    index_writer.wait_merging_threads()
    return count
