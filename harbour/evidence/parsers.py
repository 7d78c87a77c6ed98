"""Chat-export parsers: plain Python, no Django, so they can be tested and benchmarked alone.

Every parser reads a *binary* stream (so the importer can count bytes for its progress bar) and
yields, in source order, either a `Record` or a `ParseError`. Both carry the 1-based line number
where the message starts and a `position`: a number that increases through the file and
identifies the record within it. The importer commits `position` as its checkpoint and the
database keeps (item, position) unique, so a resumed import never duplicates a message.

A parser never raises anything but `ParseError` for bad input: a malformed line becomes a
`ParseError` value in lenient mode (`strict=False`, the caller decides what to keep) and is
raised in strict mode. The import policy ("keep valid, report skipped" or "all or nothing") is
the importer's; the parsers only say exactly what is wrong and where.

Formats:
- `whatsapp`: "24/11/2026, 19:02 - Name: text" (also "[24/11/2026, 19:02:33] Name: text"),
  continuation lines belong to the message above. One conversation per file.
- `csv`: header row naming timestamp, sender, recipient or conversation, message.
- `telegram`: a Telegram-like JSON export ({"name": ..., "messages": [...]}), streamed.
- `jsonl`: the generic JSON-lines format documented in docs/evidence-jsonl.md.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO, NamedTuple
from zoneinfo import ZoneInfo

from .localtime import LocalClock

FORMATS = ("whatsapp", "csv", "telegram", "jsonl")
DEFAULT_TZ = "Europe/London"
MAX_TEXT = 100_000  # a single message longer than this is certainly not a chat message


class Record(NamedTuple):
    """One message as parsed. A named tuple, not a dataclass: an import makes millions of these,
    and a frozen dataclass costs several times more to build."""

    position: int
    line_no: int
    sent_at: datetime  # aware, UTC
    sender: str
    conversation: str
    text: str
    recipients: tuple[str, ...] = ()


class ParseError(ValueError):
    """A malformed record: where it is and what is wrong with it."""

    def __init__(self, line_no: int, message: str, position: int | None = None):
        self.line_no = max(1, int(line_no))
        self.message = message
        self.position = position if position is not None else self.line_no
        super().__init__(f"line {self.line_no}: {message}")

    def as_dict(self) -> dict:
        return {"line": self.line_no, "position": self.position, "error": self.message}


class CountingReader(io.RawIOBase):
    """Wraps a binary stream and counts the bytes read, for the progress bar."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.bytes_read += n
        return n

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.bytes_read += len(data)
        return data


def _text_lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """Decoded lines with their numbers. Undecodable bytes become U+FFFD rather than crashing:
    the line is still reported and kept, and the original file keeps the exact bytes."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    pending = ""
    line_no = 0
    while True:
        chunk = stream.read(256 * 1024)
        final = not chunk
        pending += decoder.decode(chunk or b"", final=final)
        lines = pending.split("\n")
        pending = lines.pop()
        for line in lines:
            line_no += 1
            yield line_no, line.rstrip("\r")
        if final:
            if pending:
                line_no += 1
                yield line_no, pending.rstrip("\r")
            return


def _clean(value: str) -> str:
    return value.replace("\x00", "").strip()


def _aware(value: datetime, tz: ZoneInfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def parse_timestamp(value: str, tz: ZoneInfo) -> datetime:
    """ISO 8601 (with or without offset; naive times are in `tz`) or a Unix epoch in seconds."""
    value = value.strip()
    if not value:
        raise ValueError("no timestamp")
    if re.fullmatch(r"\d{9,11}(\.\d{1,6})?", value):
        return datetime.fromtimestamp(float(value), tz=UTC)
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        return _aware(datetime.fromisoformat(value), tz)
    except (ValueError, OverflowError):
        raise ValueError(f"not a date and time: {value[:40]!r}") from None


def _limit(text: str, line_no: int, position: int) -> str:
    if len(text) > MAX_TEXT:
        raise ParseError(line_no, f"message longer than {MAX_TEXT} characters", position)
    return text


# --- WhatsApp-style text export -----------------------------------------------------------

WHATSAPP_HEADER = re.compile(
    r"^\u200e?\[?(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([aApP]\.?[mM]\.?)?\]?"
    r"(?:\s+-\s+|\s+)(.*)$"
)
# A header line starts with one of these: anything else is a continuation, without trying the regex.
WHATSAPP_HEADER_START = frozenset("0123456789[\u200e")
SYSTEM_SENDER = "(system)"


def whatsapp_common_header(line: str) -> tuple | None:
    """The groups WHATSAPP_HEADER would give for the commonest header, "24/11/2026, 19:02 - ",
    read by position (several times faster than the regular expression); None for any other
    line, which the expression then decides. A test checks the two agree."""
    if (
        len(line) > 19
        and line[17:20] == " - "
        and line[2] == "/"
        and line[5] == "/"
        and line[10:12] == ", "
        and line[14] == ":"
        and line[0:2].isdecimal()
        and line[3:5].isdecimal()
        and line[6:10].isdecimal()
        and line[12:14].isdecimal()
        and line[15:17].isdecimal()
    ):
        return line[0:2], line[3:5], line[6:10], line[12:14], line[15:17], None, None, line[20:].lstrip()
    return None


def _whatsapp_time(groups: tuple, clock: LocalClock) -> datetime:
    day, month, year, hour, minute, second, ampm = groups[:7]
    year = int(year)
    if year < 100:
        year += 2000
    hour = int(hour)
    if ampm:
        ampm = ampm.lower().replace(".", "")
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock hour out of range")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return clock.to_utc(year, int(month), int(day), hour, int(minute), int(second or 0))


def parse_whatsapp(
    stream: BinaryIO, *, conversation: str = "", tz: str = DEFAULT_TZ, strict: bool = False
) -> Iterator[Record | ParseError]:
    """A header line starts a message; any other line continues the message above it.

    A line that looks like a header but has an impossible date is malformed. Text before the
    first header has no message to belong to, so it is malformed too. Lines without "Name: "
    after the time are the app's own notices and are kept with sender "(system)".

    This is the import's hottest loop (one pass per line of exports of millions of messages),
    so the message being built is held in plain local variables.
    """
    clock = LocalClock(ZoneInfo(tz))
    conversation = conversation or "WhatsApp conversation"
    header = WHATSAPP_HEADER.match
    starts = WHATSAPP_HEADER_START
    started = 0  # line number of the message being built; 0 = none
    sent_at = sender = None
    lines: list[str] = []

    def finish() -> Record | ParseError:
        text = lines[0] if len(lines) == 1 else "\n".join(lines)
        if len(text) > MAX_TEXT:
            return _emit_error(ParseError(started, f"message longer than {MAX_TEXT} characters", started), strict)
        return Record(started, started, sent_at, sender, conversation, text)

    for line_no, line in _text_lines(stream):
        if "\x00" in line:
            line = line.replace("\x00", "")
        groups = whatsapp_common_header(line)
        if groups is None and line and line[0] in starts:
            match = header(line)
            groups = match.groups() if match is not None else None
        if groups is not None:
            try:
                when = _whatsapp_time(groups, clock)
            except (ValueError, OverflowError) as exc:
                if started:
                    yield finish()
                    started = 0
                yield _emit_error(ParseError(line_no, f"impossible date or time ({exc})"), strict)
                continue
            if started:
                yield finish()
            rest = groups[7]
            name, sep, text = rest.partition(": ")
            if not sep or len(name) > 120 or not name.strip():
                name, text = SYSTEM_SENDER, rest
            started, sent_at, sender, lines = line_no, when, _clean(name), [text]
        elif started:
            lines.append(line)
        elif line.strip():
            yield _emit_error(ParseError(line_no, "text before the first dated message"), strict)
    if started:
        yield finish()


def _emit_error(error: ParseError, strict: bool) -> ParseError:
    if strict:
        raise error
    return error


# --- CSV --------------------------------------------------------------------------------

CSV_COLUMNS = {
    "timestamp": ("timestamp", "time", "date", "sent_at", "datetime"),
    "sender": ("sender", "from", "author"),
    "conversation": ("conversation", "chat", "thread"),
    "text": ("message", "text", "body", "content"),
}


class _LineCounter:
    """Feeds csv.reader decoded lines while remembering the physical line number."""

    def __init__(self, lines: Iterator[tuple[int, str]]):
        self.lines = lines
        self.line_no = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        self.line_no, line = next(self.lines)
        return line + "\n"


def parse_csv(
    stream: BinaryIO, *, conversation: str = "", tz: str = DEFAULT_TZ, strict: bool = False
) -> Iterator[Record | ParseError]:
    """The first row names the columns (any order, case-insensitive); see CSV_COLUMNS.

    The recipient column fills `recipients` (several separated by ";"). Without a conversation
    column the thread is named by its participants ("Alex & Sam"), the same whoever writes.
    """
    zone = ZoneInfo(tz)
    counter = _LineCounter(_text_lines(stream))
    reader = csv.reader(counter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield _emit_error(ParseError(counter.line_no or 1, f"unreadable header: {exc}"), strict)
        return
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    columns: dict[str, int] = {}
    for key, aliases in CSV_COLUMNS.items():
        for alias in aliases:
            if alias in names:
                columns[key] = names.index(alias)
                break
    recipient_col = next((names.index(a) for a in ("recipient", "recipients", "to") if a in names), None)
    missing = [k for k in ("timestamp", "sender", "text") if k not in columns]
    threaded = "conversation" in columns or recipient_col is not None or bool(conversation)
    if missing or not threaded:
        needed = missing + ([] if threaded else ["recipient or conversation"])
        yield _emit_error(ParseError(1, f"header must name: {', '.join(needed)}"), strict)
        return
    width = len(names)
    while True:
        start = counter.line_no + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _emit_error(ParseError(start, f"unreadable CSV row: {exc}"), strict)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            yield _emit_error(ParseError(start, f"expected {width} columns, found {len(row)}"), strict)
            continue
        try:
            sent_at = parse_timestamp(row[columns["timestamp"]], zone)
        except ValueError as exc:
            yield _emit_error(ParseError(start, str(exc)), strict)
            continue
        sender = _clean(row[columns["sender"]])
        if not sender:
            yield _emit_error(ParseError(start, "no sender"), strict)
            continue
        recipients = ()
        if recipient_col is not None:
            recipients = tuple(r for r in (_clean(x) for x in row[recipient_col].split(";")) if r)
        if "conversation" in columns:
            conv = _clean(row[columns["conversation"]])
        elif recipients:  # a one-to-one or group thread is the same whoever is writing
            conv = " & ".join(sorted({sender, *recipients}))
        else:
            conv = conversation
        try:
            text = _limit(row[columns["text"]].replace("\x00", ""), start, start)
        except ParseError as error:
            yield _emit_error(error, strict)
            continue
        yield Record(
            position=start,
            line_no=start,
            sent_at=sent_at,
            sender=sender,
            conversation=conv or conversation or "CSV conversation",
            text=text,
            recipients=recipients,
        )


# --- JSON lines (docs/evidence-jsonl.md) ----------------------------------------------------


def _record_from_object(obj, *, line_no: int, position: int, zone: ZoneInfo, conversation: str) -> Record:
    if not isinstance(obj, dict):
        raise ParseError(line_no, "expected a JSON object", position)
    for key in ("sent_at", "sender", "text"):
        if key not in obj:
            raise ParseError(line_no, f"missing {key!r}", position)
    if not isinstance(obj["sent_at"], str | int | float) or isinstance(obj["sent_at"], bool):
        raise ParseError(line_no, "'sent_at' must be text or a number", position)
    try:
        sent_at = parse_timestamp(str(obj["sent_at"]), zone)
    except (ValueError, OverflowError, OSError) as exc:
        raise ParseError(line_no, str(exc), position) from None
    sender, text = obj["sender"], obj["text"]
    if not isinstance(sender, str) or not _clean(sender):
        raise ParseError(line_no, "'sender' must be non-empty text", position)
    if not isinstance(text, str):
        raise ParseError(line_no, "'text' must be text", position)
    conv = obj.get("conversation", conversation)
    if not isinstance(conv, str):
        raise ParseError(line_no, "'conversation' must be text", position)
    recipients = obj.get("recipients", [])
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise ParseError(line_no, "'recipients' must be a list of text", position)
    return Record(
        position=position,
        line_no=line_no,
        sent_at=sent_at,
        sender=_clean(sender),
        conversation=_clean(conv) or conversation or "JSON conversation",
        text=_limit(text.replace("\x00", ""), line_no, position),
        recipients=tuple(_clean(r) for r in recipients if _clean(r)),
    )


def parse_jsonl(
    stream: BinaryIO, *, conversation: str = "", tz: str = DEFAULT_TZ, strict: bool = False
) -> Iterator[Record | ParseError]:
    zone = ZoneInfo(tz)
    for line_no, line in _text_lines(stream):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            yield _record_from_object(obj, line_no=line_no, position=line_no, zone=zone, conversation=conversation)
        except ParseError as error:
            yield _emit_error(error, strict)
        except (ValueError, RecursionError) as exc:
            yield _emit_error(ParseError(line_no, f"not valid JSON: {str(exc)[:120]}"), strict)


# --- Telegram-like JSON export --------------------------------------------------------------


def _telegram_text(value) -> str | None:
    """Telegram stores text as a string or a list of strings and {"type", "text"} fragments."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                return None
        return "".join(parts)
    return None


def _telegram_record(obj, *, index: int, line_no: int, zone: ZoneInfo, conversation: str) -> Record | None:
    position = index + 1
    if not isinstance(obj, dict):
        raise ParseError(line_no, f"message {position} is not an object", position)
    if obj.get("type", "message") != "message":
        return None  # service entries (joined, pinned...) are not messages
    date = obj.get("date_unixtime") or obj.get("date")
    if not isinstance(date, str | int | float) or isinstance(date, bool):
        raise ParseError(line_no, f"message {position} has no date", position)
    sender = obj.get("from") or obj.get("from_id")
    if not isinstance(sender, str) or not sender.strip():
        raise ParseError(line_no, f"message {position} has no sender", position)
    text = _telegram_text(obj.get("text", ""))
    if text is None:
        raise ParseError(line_no, f"message {position} has unreadable text", position)
    try:
        sent_at = parse_timestamp(str(date), zone)
    except (ValueError, OverflowError, OSError) as exc:
        raise ParseError(line_no, f"message {position}: {exc}", position) from None
    return Record(
        position=position,
        line_no=line_no,
        sent_at=sent_at,
        sender=_clean(sender),
        conversation=conversation,
        text=_limit(text.replace("\x00", ""), line_no, position),
    )


class _JsonSyntaxError(ParseError):
    """Where the JSON text itself is broken; the parser gives it the message number it stopped at."""


class _JsonWindow:
    """A JSON text read in chunks, decoded strictly as UTF-8, that knows the line of every position.

    Values are decoded by the standard library's C decoder (`raw_decode`) straight from the window,
    so each message's line, and the line of any syntax error, is exact (the newlines before it are
    counted), and memory holds one chunk and one message, however large the export.
    """

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.line = 1  # the line `pos` is on
        self.eof = False

    def line_of(self, position: int) -> int:
        return self.line + self.text.count("\n", self.pos, position)

    def advance(self, position: int) -> None:
        self.line = self.line_of(position)
        self.pos = position

    def fill(self) -> bool:
        """Read the next chunk into the window (dropping what is behind `pos`); False at the end."""
        if self.eof:
            return False
        chunk = self.stream.read(TELEGRAM_CHUNK)
        pending = self.decoder.getstate()[0]
        try:
            text = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            where = max(0, exc.start - len(pending))
            line = self.line_of(len(self.text)) + chunk[:where].count(b"\n")
            raise _JsonSyntaxError(line, f"not UTF-8 text (byte 0x{(pending + chunk)[exc.start]:02x})") from None
        self.text = self.text[self.pos :] + text
        self.pos = 0
        self.eof = not chunk
        return bool(chunk)

    def peek(self) -> str:
        """The next character that is not JSON whitespace ("" at the end), without consuming it."""
        while True:
            self.advance(_JSON_SPACE.match(self.text, self.pos).end())
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def expect(self, allowed: str, what: str, problem: str = "not valid JSON") -> str:
        char = self.peek()
        if not char or char not in allowed:
            found = f"found {char!r}" if char else "the file ends"
            raise _JsonSyntaxError(self.line, f"{problem}: expected {what}, {found}")
        self.advance(self.pos + 1)
        return char

    def value(self):
        """Decode the JSON value starting at the next non-space character."""
        self.peek()
        while True:
            if len(self.text) - self.pos > TELEGRAM_MAX_VALUE:
                raise _JsonSyntaxError(self.line, f"a JSON value longer than {TELEGRAM_MAX_VALUE:,} characters")
            try:
                value, end = _JSON.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                # A value cut by the end of the window fails at (or just before) the window's end,
                # or as an unterminated string: read on and try again. Anything else is an error.
                # (Reading shifts the window, so the value is decoded again, never `exc` reused.)
                cut = exc.pos >= len(self.text) - 12 or exc.msg.startswith("Unterminated string")
                if cut and not self.eof:
                    self.fill()
                    continue
                raise _JsonSyntaxError(self.line_of(exc.pos), f"not valid JSON: {exc.msg}") from None
            except RecursionError:
                raise _JsonSyntaxError(self.line, "not valid JSON: nested too deeply") from None
            if end >= len(self.text) and not self.eof:
                self.fill()  # a number at the window's end may go on in the next chunk
                continue
            self.advance(end)
            return value


_JSON = json.JSONDecoder()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
TELEGRAM_CHUNK = 256 * 1024
TELEGRAM_MAX_VALUE = 16 * 1024 * 1024  # characters in one message (or other top-level value)


def parse_telegram(
    stream: BinaryIO, *, conversation: str = "", tz: str = DEFAULT_TZ, strict: bool = False
) -> Iterator[Record | ParseError]:
    """Streams `messages` from {"name": ..., "messages": [...]}. The conversation is the export's
    "name" when it comes before the messages, else the name given at import.

    Positions are message numbers (1-based); each message's line is the line its "{" is on. A JSON
    syntax error stops the file (nothing after it can be trusted) and names the line of the
    character at fault; a message that is valid JSON but not a message is reported and skipped.
    """
    zone = ZoneInfo(tz)
    window = _JsonWindow(stream)
    name = conversation or "Telegram conversation"
    index = -1  # of the last message read
    seen_messages = False
    try:
        window.expect("{", 'the export to be a JSON object ("{")', "not a Telegram-like export")
        if window.peek() == "}":
            window.advance(window.pos + 1)
        else:
            while True:
                if window.peek() != '"':
                    window.expect('"', "a key in quotes")
                key = window.value()
                window.expect(":", 'a ":" after the key')
                if key == "messages":
                    seen_messages = True
                    window.expect("[", 'a list ("[") of messages', "not a Telegram-like export")
                    if window.peek() == "]":
                        window.advance(window.pos + 1)
                    else:
                        while True:
                            window.peek()
                            line = window.line
                            obj = window.value()
                            index += 1
                            yield from _telegram_one(obj, index, line, zone, name, strict)
                            if window.expect(",]", '"," or "]" after a message') == "]":
                                break
                else:
                    value = window.value()
                    if key == "name" and not conversation and isinstance(value, str):
                        name = _clean(value) or name
                if window.expect(",}", '"," or "}" after a value') == "}":
                    break
        if window.peek():
            raise _JsonSyntaxError(window.line, "not valid JSON: more text after the end of the export")
    except _JsonSyntaxError as error:
        yield _emit_error(ParseError(error.line_no, error.message, index + 2), strict)
        return
    if not seen_messages:
        yield _emit_error(ParseError(window.line, 'no "messages" list in the export', index + 2), strict)


def _telegram_one(obj, index, line_no, zone, name, strict):
    try:
        record = _telegram_record(obj, index=index, line_no=line_no, zone=zone, conversation=name)
    except ParseError as error:
        yield _emit_error(error, strict)
        return
    if record is not None:
        yield record


PARSERS = {"whatsapp": parse_whatsapp, "csv": parse_csv, "telegram": parse_telegram, "jsonl": parse_jsonl}


def parse(
    fmt: str, stream: BinaryIO, *, conversation: str = "", tz: str = DEFAULT_TZ, strict: bool = False
) -> Iterator[Record | ParseError]:
    """Records and errors from `stream` in `fmt`; in strict mode the first error is raised."""
    try:
        parser = PARSERS[fmt]
    except KeyError:
        raise ValueError(f"Unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    return parser(stream, conversation=conversation, tz=tz, strict=strict)


def validate(fmt: str, stream: BinaryIO, **kwargs) -> tuple[int, list[ParseError]]:
    """A full pass without keeping anything: how many records, and every error (for all-or-nothing)."""
    count, errors = 0, []
    for item in parse(fmt, stream, **kwargs):
        if isinstance(item, ParseError):
            errors.append(item)
        else:
            count += 1
    return count, errors
