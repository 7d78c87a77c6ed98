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
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record

from . import pipeline, search_index
from .models import (
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    ExtractedIdentifier,
    ImportPolicy,
    IndicatorFlag,
    ItemStatus,
    Message,
    MessageTally,
)
from .parsers import validate

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
INDEX_COMMIT_EVERY = 100  # batches between search-index commits: fewer, larger segments to merge
ERROR_REPORT_LIMIT = 1000  # lines reported individually; the count covers the rest
INDEX_WAIT_POLL_SECONDS = 2


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
    now = timezone.now()
    EvidenceItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, progress_at=now, error=""
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

    rules_path = getattr(settings, "HARBOUR_EVIDENCE_INDICATORS", None)
    # The index writer holds the index's lock until it is freed: keep the only reference here
    # and drop it on the way out, even when a crash leaves a traceback holding this frame.
    state = {"writer": _index_writer_when_free(item), "batches": 0}
    item.refresh_from_db()
    if item.status == ItemStatus.DONE:  # another run of this import finished while we waited
        state["writer"] = None
        return {"status": item.status, "messages": item.messages_done}
    try:
        with _import_pragmas():
            _import_batches(
                item, state, rules_path, options, batch_size=batch_size, crash_after_batches=crash_after_batches
            )
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


def _index_writer_when_free(item: EvidenceItem):
    """The investigation's index writer. One process at a time may write an index: while another
    import into the same investigation holds it, wait (beating, so this one is not taken for
    stalled), up to HARBOUR_EVIDENCE_INDEX_WAIT_SECONDS."""
    index = search_index.open_index(item.investigation_id)
    deadline = time.monotonic() + settings.HARBOUR_EVIDENCE_INDEX_WAIT_SECONDS
    while True:
        try:
            return search_index.writer(index)
        except search_index.IndexBusy:
            if time.monotonic() >= deadline:
                raise RuntimeError(
                    "Another import into this investigation kept its search index busy; resume this one later."
                ) from None
            EvidenceItem.objects.filter(pk=item.pk).update(progress_at=timezone.now())
            time.sleep(INDEX_WAIT_POLL_SECONDS)


# SQLite settings for the import's own connection, and what they are put back to afterwards.
IMPORT_PRAGMAS = {
    # Batches commit without waiting for the disk (safe in WAL mode: a power cut can lose the last
    # batches, never corrupt the file). Losing them costs nothing: the checkpoint goes back with
    # them, so the import resumes before them.
    "synchronous": "NORMAL",
    # A bigger page cache (64 MiB) and fewer write-ahead-log checkpoints (every ~40 MB, not 4 MB):
    # each checkpoint copies pages back and waits for the disk.
    "cache_size": "-65536",
    "wal_autocheckpoint": "10000",
}


@contextmanager
def _import_pragmas():
    """The import's SQLite settings (IMPORT_PRAGMAS) for the length of the import only: everything
    else the connection writes keeps full durability."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # (a test's transaction)
        yield
        return
    before = {}
    with connection.cursor() as cursor:
        for name, value in IMPORT_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name}={value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name}={int(value)}")


def _import_batches(item, state, rules_path, options, *, batch_size: int, crash_after_batches: int | None) -> None:
    _repair_index(item, state["writer"])
    batch_writer = BatchWriter(item)
    report = list(item.error_report or [])
    job = pipeline.Job(
        path=str(original_path(item)),
        format=item.format,
        conversation=options["conversation"],
        timezone=options["tz"],
        days_timezone=settings.TIME_ZONE,
        rules_path=str(rules_path) if rules_path else None,
        checkpoint=item.checkpoint,
        seq=batch_writer.seq,
        batch_size=batch_size,
    )
    in_child = item.size >= settings.HARBOUR_EVIDENCE_ANALYSE_APART_BYTES
    last = item.checkpoint
    waited = time.perf_counter()
    for batch in pipeline.analyse_in_child(job) if in_child else pipeline.analyse(job):
        started = time.perf_counter()
        STAGE_SECONDS["analysis (parse, indicators, identifiers, tallies)" + (", waited for" if in_child else "")] += (
            started - waited
        )
        if item.policy == ImportPolicy.ALL_OR_NOTHING and batch.errors:
            raise RuntimeError(f"All-or-nothing import found a malformed line after validation: {batch.errors[0]}")
        documents = batch_writer.write(batch, report)
        indexing = time.perf_counter()
        add = state["writer"].add_document
        for document in documents:
            add(document)
        waited = time.perf_counter()
        STAGE_SECONDS["index documents"] += waited - indexing
        last = batch.checkpoint
        state["batches"] += 1
        if state["batches"] % INDEX_COMMIT_EVERY == 0:
            _commit_index(item, state["writer"], last)
            waited = time.perf_counter()
        if crash_after_batches is not None and state["batches"] >= crash_after_batches:
            raise SimulatedCrash(f"simulated crash after {state['batches']} batches")
    _commit_index(item, state["writer"], last)


MESSAGE_COLUMNS = (
    "id",
    "investigation_id",
    "item_id",
    "source_position",
    "line_no",
    "conversation",
    "sender",
    "recipients",
    "sent_at",
    "text",
    "seq",
)
TALLY_COLUMNS = ("investigation_id", "item_id", "conversation", "sender", "day", "messages", "first_at", "last_at")


class BatchWriter:
    """Stores analysed batches for one item: each batch one transaction holding its messages,
    their flags and identifiers, the tallies and the item's checkpoint and counters; then the
    batch's search-index documents for the caller to add.

    Message ids are reserved from the table's own sequence before the insert, so the rows need
    not be read back to learn them, and PostgreSQL takes the rows through COPY.
    """

    def __init__(self, item: EvidenceItem):
        self.item = item
        self.postgresql = connection.vendor == "postgresql"
        # The last seq given in each conversation of this item (from the database: resumable).
        self.seq: dict[str, int] = dict(
            Message.objects.filter(item=item)
            .values("conversation")
            .annotate(last=Max("seq"))
            .values_list("conversation", "last")
            .order_by()
        )

    def write(self, batch: pipeline.Batch, report: list) -> list:
        item = self.item
        investigation_id, item_id = item.investigation_id, item.pk
        started = time.perf_counter()
        with transaction.atomic():
            ids = _reserve_message_ids(len(batch.rows))
            if self.postgresql:  # naive UTC text: say it is UTC
                head = (investigation_id, item_id)
                rows = [(i, *head, *r[:5], r[5] + "+00:00", *r[6:]) for i, r in zip(ids, batch.rows, strict=True)]
            else:  # the investigation and item are constants of the statement (see _insert_messages)
                rows = [(i, *r) for i, r in zip(ids, batch.rows, strict=True)]
            documents = [
                tantivy.Document(message_id=i, item_id=item_id, position=r[0], text=r[6], sender=r[3], sent=sent)
                for i, r, sent in zip(ids, batch.rows, batch.sent, strict=True)
            ]
            inserting = time.perf_counter()
            STAGE_SECONDS["rows and documents"] += inserting - started
            self._insert_messages(rows)
            STAGE_SECONDS["insert messages"] += time.perf_counter() - inserting
            IndicatorFlag.objects.bulk_create(
                IndicatorFlag(
                    investigation_id=investigation_id,
                    message_id=ids[index],
                    item_id=item_id,
                    conversation=batch.rows[index][2],
                    sent_at=_utc(batch.rows[index][5]),
                    family=family,
                    matched=matched,
                )
                for index, family, matched in batch.flags
            )
            ExtractedIdentifier.objects.bulk_create(
                ExtractedIdentifier(
                    investigation_id=investigation_id, message_id=ids[index], kind=kind, value=value, raw=raw
                )
                for index, kind, value, raw in batch.identifiers
            )
            self._add_tallies(batch.tallies)
            for r in batch.rows:  # the next batch continues these conversations
                self.seq[r[2]] = r[7]
            changes = {
                "progress_at": timezone.now(),
                "checkpoint": batch.checkpoint,
                "messages_done": F("messages_done") + len(rows),
                "bytes_read": min(batch.bytes_read, item.size),
                "skipped": F("skipped") + len(batch.errors),
                "flags_found": F("flags_found") + len(batch.flags),
            }
            if batch.errors and len(report) < ERROR_REPORT_LIMIT:
                report.extend(batch.errors[: ERROR_REPORT_LIMIT - len(report)])
                changes["error_report"] = report
            EvidenceItem.objects.filter(pk=item.pk).update(**changes)
        return documents

    def _insert_messages(self, rows: list[tuple]) -> None:
        if not rows:
            return
        ops = connection.ops
        table = ops.quote_name(Message._meta.db_table)
        columns = ", ".join(ops.quote_name(c) for c in MESSAGE_COLUMNS)
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:  # fewer parameters to bind per row: the ids are integers from the database
                values = ["%s", str(int(self.item.investigation_id)), str(int(self.item.pk))]
                values += ["%s"] * (len(MESSAGE_COLUMNS) - 3)
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(values)})", rows)  # noqa: S608

    def _add_tallies(self, tallies: dict) -> None:
        """Add this batch's counts to the item's tallies (an upsert: SQLite and PostgreSQL alike)."""
        if not tallies:
            return
        ops = connection.ops
        table = ops.quote_name(MessageTally._meta.db_table)
        columns = ", ".join(ops.quote_name(c) for c in TALLY_COLUMNS)
        placeholders = ", ".join(["%s"] * len(TALLY_COLUMNS))
        sql = (
            f"INSERT INTO {table} AS t ({columns}) VALUES ({placeholders}) "  # noqa: S608
            "ON CONFLICT (item_id, conversation, sender, day) DO UPDATE SET "
            "messages = t.messages + excluded.messages, "
            "first_at = CASE WHEN excluded.first_at < t.first_at THEN excluded.first_at ELSE t.first_at END, "
            "last_at = CASE WHEN excluded.last_at > t.last_at THEN excluded.last_at ELSE t.last_at END"
        )
        item = self.item
        rows = [
            (
                item.investigation_id,
                item.pk,
                conversation,
                sender,
                ops.adapt_datefield_value(day),
                count,
                ops.adapt_datetimefield_value(_utc(first)),
                ops.adapt_datetimefield_value(_utc(last)),
            )
            for (conversation, sender, day), (count, first, last) in tallies.items()
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _utc(naive_utc_text: str) -> datetime:
    return datetime.fromisoformat(naive_utc_text).replace(tzinfo=UTC)


def _reserve_message_ids(count: int) -> list[int]:
    """`count` new message ids, ascending, that no other writer can take.

    SQLite: the import transaction holds the database's write lock from its start (IMMEDIATE),
    so ids after the highest ever given (AUTOINCREMENT's own record included) are ours.
    PostgreSQL: taken from the column's identity sequence.
    """
    if count == 0:
        return []
    table = Message._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            f"SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM {connection.ops.quote_name(table)} "  # noqa: S608
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        highest = cursor.fetchone()[0] or 0
    return list(range(highest + 1, highest + 1 + count))


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


def rebuild_index(investigation_id: int, *, messages=None, progress=None) -> int:
    """Rebuild an investigation's search index from the database (the record).

    `messages` is the Message manager to read (a migration passes its historical model's);
    `progress`, if given, is called with the number of messages added so far, every 5,000."""
    messages = Message.objects if messages is None else messages
    search_index.delete_investigation(investigation_id)
    index = search_index.open_index(investigation_id)
    index_writer = search_index.writer(index)
    count = 0
    for message in messages.filter(investigation_id=investigation_id).iterator(chunk_size=5000):
        index_writer.add_document(search_index.document(message))
        count += 1
        if progress is not None and count % 5000 == 0:
            progress(count)
    index_writer.commit()
    index_writer.wait_merging_threads()
    return count
