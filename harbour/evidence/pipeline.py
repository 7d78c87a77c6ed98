"""The import's analysis stage (plain Python, no Django): original file in, batches out.

Reading an export, parsing it, checking every message against the indicator rules, looking for
identifiers and counting messages per conversation, sender and day is most of an import's work,
and none of it needs the database. So for a large file it runs in a second process while the
importer stores and indexes the batches already analysed: on a two-core machine the two stages
run side by side. Small files are analysed in the importer's own process (a process costs more
than it saves on them). Both ways run `analyse` below, so they give the same batches.

A batch is what one database transaction stores. It carries the source position it reaches (the
checkpoint) and the bytes read (the progress bar), so an import stopped at any point resumes
after the last batch stored, with the same positions, sequence numbers and counts.
"""

from __future__ import annotations

import io
import multiprocessing
import queue
import resource
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from zoneinfo import ZoneInfo

from .identifiers import extract, may_hold_identifier
from .indicators import Indicators
from .localtime import LocalDays
from .parsers import CountingReader, ParseError, parse

AHEAD = 8  # batches the analysing process may get ahead of the importer: bounds memory


@dataclass
class Batch:
    # (position, line_no, conversation, sender, recipients, sent_at text (naive UTC), text, seq)
    rows: list[tuple] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)  # seconds since the epoch, per row
    # (row index, family, matched words) and (row index, kind, value, raw)
    flags: list[tuple] = field(default_factory=list)
    identifiers: list[tuple] = field(default_factory=list)
    # (conversation, sender, local day) -> [messages, first sent_at text, last sent_at text]
    tallies: dict[tuple, list] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)  # ParseError.as_dict(): line, position, error
    checkpoint: int = 0  # the last source position this batch consumed
    bytes_read: int = 0


@dataclass(frozen=True)
class Job:
    """Everything the analysis needs, picklable, to run in another process."""

    path: str
    format: str
    conversation: str
    timezone: str  # of the export's wall-clock times
    days_timezone: str  # of the tallies' days (the zone Harbour shows)
    rules_path: str | None
    checkpoint: int  # positions up to here are already stored
    seq: dict[str, int]  # the last seq given in each conversation before the checkpoint
    batch_size: int


def analyse(job: Job) -> Iterator[Batch]:
    rules = Indicators.load(job.rules_path)
    scan = rules.scan
    day_of = LocalDays(ZoneInfo(job.days_timezone)).day
    days_by_hour: dict[str, object] = {}  # "YYYY-MM-DD HH" (UTC) -> local day: one lookup a message
    seq = dict(job.seq)
    batch = Batch(checkpoint=job.checkpoint)
    rows, sent, tallies = batch.rows, batch.sent, batch.tallies
    with open(job.path, "rb") as handle:
        counter = CountingReader(handle)
        entries = parse(
            job.format, io.BufferedReader(counter, 1024 * 1024), conversation=job.conversation, tz=job.timezone
        )
        for entry in entries:
            if entry.position <= job.checkpoint:
                continue  # stored before a crash
            batch.checkpoint = entry.position
            if isinstance(entry, ParseError):
                batch.errors.append(entry.as_dict())
                continue
            conversation, sender, sent_at, text = (
                entry.conversation[:200],
                entry.sender[:200],
                entry.sent_at,
                entry.text,
            )
            n = seq.get(conversation, 0) + 1
            seq[conversation] = n
            if sent_at.tzinfo is not UTC:
                sent_at = sent_at.astimezone(UTC)
            when = sent_at.isoformat(" ")[:-6]  # naive UTC, as Django writes a datetime to SQLite
            index = len(rows)
            rows.append(
                (
                    entry.position,
                    entry.line_no,
                    conversation,
                    sender,
                    ";".join(entry.recipients)[:500] if entry.recipients else "",
                    when,
                    text,
                    n,
                )
            )
            sent.append(int(sent_at.timestamp()))
            day = days_by_hour.get(when[:13])
            if day is None:  # (a zone whose clocks change inside an hour: every such hour is looked up)
                day = day_of(sent_at)
                if day_of(sent_at.replace(minute=0, second=0, microsecond=0)) == day_of(
                    sent_at.replace(minute=59, second=59, microsecond=0)
                ):
                    days_by_hour[when[:13]] = day
            key = (conversation, sender, day)
            tally = tallies.get(key)
            if tally is None:
                tallies[key] = [1, when, when]
            else:
                tally[0] += 1
                if when < tally[1]:
                    tally[1] = when
                elif when > tally[2]:
                    tally[2] = when
            for hit in scan(text):
                batch.flags.append((index, hit.family, list(hit.matched)))
            if may_hold_identifier(text):
                for found in extract(text):
                    batch.identifiers.append((index, found.kind, found.value, found.raw))
            if len(rows) >= job.batch_size:
                batch.bytes_read = counter.bytes_read
                yield batch
                batch = Batch(checkpoint=batch.checkpoint)
                rows, sent, tallies = batch.rows, batch.sent, batch.tallies
        batch.bytes_read = counter.bytes_read
    if batch.rows or batch.errors:
        yield batch


class AnalysisFailed(RuntimeError):
    pass


# CPU seconds used by analysing processes that finished, and the largest peak resident memory
# (MiB) of any of them (read by bench/evidence_import.py).
CHILD_CPU_SECONDS = [0.0]
CHILD_PEAK_MIB = [0.0]


def _run_in_child(job: Job, out) -> None:
    try:
        for batch in analyse(job):
            out.put(("batch", batch))
        out.put(("done", (time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
    except BaseException as exc:  # the reason goes to the importer, which fails the import with it
        traceback.print_exc()  # the whole story to the worker's log
        out.put(("error", "".join(traceback.format_exception_only(exc)).strip()))


def _context():
    """A fork server: children start from a small clean process, quickly and without the
    importer's threads or database connections."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def analyse_in_child(job: Job, *, poll_seconds: float = 5.0) -> Iterator[Batch]:
    """`analyse(job)` run in another process; the batches in order. If the importer stops
    taking them (an error, a crash), the process is ended with it."""
    context = _context()
    out = context.Queue(maxsize=AHEAD)
    child = context.Process(target=_run_in_child, args=(job, out), name="harbour-evidence-analysis", daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload = out.get(timeout=poll_seconds)
            except queue.Empty:
                if not child.is_alive():
                    raise AnalysisFailed(
                        f"The analysis process ended unexpectedly (exit code {child.exitcode})."
                    ) from None
                continue
            if kind == "batch":
                yield payload
            elif kind == "done":
                cpu, peak_mib = payload
                CHILD_CPU_SECONDS[0] += cpu
                CHILD_PEAK_MIB[0] = max(CHILD_PEAK_MIB[0], peak_mib)
                return
            else:
                raise AnalysisFailed(f"Analysing the file failed: {payload}")
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)
        out.close()
        out.cancel_join_thread()
