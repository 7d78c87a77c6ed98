"""The full-text index of an investigation's messages (tantivy), one directory per investigation.

The database is the record; the index is a derived copy that can always be rebuilt from it
(`rebuild`). The index is committed separately from the database, so each evidence item keeps
its own index checkpoint (`indexed_through`): after a crash, documents past the checkpoint are
deleted and re-added from the database, never duplicated.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import tantivy
from django.conf import settings

WRITER_HEAP = 128_000_000  # bytes: bounds the indexer's memory whatever the size of the import
WRITER_THREADS = 1  # the importer's own thread is the other core's worth of work
# Bumped when the schema changes: an index of another version is rebuilt from the database.
# v2: sent_at became "sent", seconds since the epoch (building a date value cost more than the rest
# of the document together).
# v3: no conversation field (nothing searched by it; it cost a seventh of the indexing).
SCHEMA_VERSION = 3


def index_root() -> Path:
    return Path(settings.HARBOUR_EVIDENCE_INDEX_DIR)


def index_dir(investigation_id: int) -> Path:
    return index_root() / f"v{SCHEMA_VERSION}" / str(int(investigation_id))


def build_schema() -> tantivy.Schema:
    """Each field only as the searches use it (every field and index structure costs time on an
    import of millions): words and senders are searched, ids are read back from the store, items
    and positions are only ever queried (a repair after a crash deletes an item's documents past
    a position), and results sort by time."""
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("message_id", stored=True)
    builder.add_integer_field("item_id", indexed=True)
    builder.add_integer_field("position", indexed=True)
    builder.add_text_field("text")
    builder.add_text_field("sender")
    builder.add_integer_field("sent", indexed=True, fast=True)
    return builder.build()


SCHEMA = build_schema()


def open_index(investigation_id: int) -> tantivy.Index:
    path = index_dir(investigation_id)
    path.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(SCHEMA, path=str(path), reuse=True)


class IndexBusy(RuntimeError):
    """Another writer (in this process or another) holds the index's lock."""


def writer(index: tantivy.Index):
    try:
        return index.writer(WRITER_HEAP, WRITER_THREADS)
    except ValueError as error:
        if "LockBusy" in str(error):
            raise IndexBusy(str(error)) from None
        raise


def epoch_seconds(value: datetime) -> int:
    return int(value.timestamp())


def document(message) -> tantivy.Document:
    return tantivy.Document(
        message_id=message.pk,
        item_id=message.item_id,
        position=message.source_position,
        text=message.text,
        sender=message.sender,
        sent=epoch_seconds(message.sent_at),
    )


def delete_after(index_writer, *, item_id: int, position: int) -> None:
    """Remove an item's documents past `position`: they may or may not have been committed."""
    query = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "item_id", item_id)),
            (
                tantivy.Occur.Must,
                tantivy.Query.range_query(SCHEMA, "position", tantivy.FieldType.Integer, position, None, False, True),
            ),
        ]
    )
    index_writer.delete_documents_by_query(query)


def delete_investigation(investigation_id: int) -> None:
    """Remove the investigation's index, and any left in the layouts before SCHEMA_VERSION."""
    shutil.rmtree(index_dir(investigation_id), ignore_errors=True)
    shutil.rmtree(index_root() / str(int(investigation_id)), ignore_errors=True)  # v1: no version folder
    for version in range(2, SCHEMA_VERSION):
        shutil.rmtree(index_root() / f"v{version}" / str(int(investigation_id)), ignore_errors=True)


# Opening an index reads its files' footers (a few milliseconds at case scale): searches reuse an
# open index until a commit or a rebuild replaces its meta.json (a new file each time).
_READERS: dict[int, tuple[tuple[int, int], tantivy.Index]] = {}


def _reader(investigation_id: int) -> tantivy.Index | None:
    meta = index_dir(investigation_id) / "meta.json"
    try:
        stat = meta.stat()
    except FileNotFoundError:
        _READERS.pop(investigation_id, None)
        return None
    version = (stat.st_ino, stat.st_mtime_ns)
    cached = _READERS.get(investigation_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    index = tantivy.Index(SCHEMA, path=str(meta.parent), reuse=True)
    if len(_READERS) > 64:
        _READERS.clear()
    _READERS[investigation_id] = (version, index)
    return index


class QueryError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    """The default tokenizer's view of some text: lower-cased words."""
    return [t.lower() for t in re.findall(r"[^\W_]+", text) if len(t) <= 40]


def _field_match(field: str, text: str) -> tantivy.Query | None:
    words = _tokens(text)
    if not words:
        return None
    if len(words) == 1:
        return tantivy.Query.term_query(SCHEMA, field, words[0])
    return tantivy.Query.phrase_query(SCHEMA, field, words)


def _words_query(index: tantivy.Index, words: str) -> tantivy.Query | None:
    """Words (all must appear), "quoted phrases", and OR/-word as tantivy's query language allows.
    Anything the parser rejects is searched as plain words instead of failing."""
    if not words.strip():
        return None
    try:
        return index.parse_query(words, ["text"], conjunction_by_default=True)
    except ValueError:
        plain = " ".join(_tokens(words))
        if not plain:
            return None
        return index.parse_query(plain, ["text"], conjunction_by_default=True)


@dataclass
class Found:
    total: int
    message_ids: list[int]


def search(
    investigation_id: int,
    *,
    words: str = "",
    participant: str = "",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Found:
    """Message ids matching every given criterion, oldest first. Nothing given finds nothing."""
    index = _reader(investigation_id)
    if index is None:
        return Found(0, [])
    clauses = []
    for query in (
        _words_query(index, words),
        _field_match("sender", participant),
    ):
        if query is not None:
            clauses.append(query)
    if date_from or date_to:
        clauses.append(
            tantivy.Query.range_query(
                SCHEMA,
                "sent",
                tantivy.FieldType.Integer,
                epoch_seconds(date_from) if date_from else None,
                epoch_seconds(date_to) if date_to else None,
                True,
                date_to is None,
            )
        )
    if not clauses:
        return Found(0, [])
    query = clauses[0] if len(clauses) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in clauses])
    searcher = index.searcher()
    result = searcher.search(query, limit, count=True, order_by_field="sent", offset=offset, order=tantivy.Order.Asc)
    ids = [searcher.doc(address)["message_id"][0] for _, address in result.hits]
    return Found(result.count or 0, ids)
