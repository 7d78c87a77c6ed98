"""Parsers: known shapes, malformed lines with their numbers, and hypothesis for anything else."""

import csv
import io
import json
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.evidence import parsers
from harbour.evidence.parsers import FORMATS, ParseError, Record, parse, validate


def run(fmt, data: bytes, **kw):
    return list(parse(fmt, io.BytesIO(data), **kw))


def test_whatsapp_continuation_lines_and_errors():
    data = (
        b"24/11/2026, 19:02 - Alex: first line\nsecond line\n"
        b"31/02/2026, 19:03 - Sam: impossible date\n"
        b"25/11/2026, 07:04 - Sam: morning\n"
        b"[26/11/2026, 19:02:33] Alex: bracketed\n"
    )
    out = run("whatsapp", data, conversation="Alex and Sam")
    assert [type(x) for x in out] == [Record, ParseError, Record, Record]
    assert out[0].text == "first line\nsecond line" and out[0].line_no == 1
    assert out[1].line_no == 3 and "impossible" in out[1].message
    assert out[2].sent_at == datetime(2026, 11, 25, 7, 4, tzinfo=UTC)  # GMT in November
    assert out[0].conversation == "Alex and Sam"


def test_whatsapp_summer_time_is_converted_to_utc():
    (record,) = run("whatsapp", b"01/07/2026, 19:02 - Alex: hi\n")
    assert record.sent_at == datetime(2026, 7, 1, 18, 2, tzinfo=UTC)


def test_csv_threads_by_participants_and_reports_bad_rows():
    data = (
        b"timestamp,sender,recipient,message\n"
        b'2026-11-24T19:02:00Z,Alex,Sam,"hello\nthere"\n'
        b"yesterday,Alex,Sam,bad time\n"
        b"2026-11-24T19:05:00Z,Sam,Alex,ok\n"
        b"only,two\n"
    )
    out = run("csv", data)
    assert [x.line_no for x in out] == [2, 4, 5, 6]
    assert out[0].conversation == out[2].conversation == "Alex & Sam"
    assert out[0].text == "hello\nthere"
    assert isinstance(out[1], ParseError) and isinstance(out[3], ParseError)


def test_csv_header_must_name_columns():
    (error,) = run("csv", b"when,who,what\n1,2,3\n")
    assert isinstance(error, ParseError) and error.line_no == 1


def test_telegram_export_streams_messages_and_skips_service_entries():
    doc = {
        "name": "Chat A",
        "type": "personal_chat",
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2026-11-24T19:02:00",
                "from": "Alex",
                "text": ["hi ", {"type": "bold", "text": "you"}],
            },
            {"id": 2, "type": "service", "action": "pin_message"},
            {"id": 3, "type": "message", "from": "Sam", "text": "no date"},
            {"id": 4, "type": "message", "date_unixtime": "1795540920", "from": "Sam", "text": "ok"},
        ],
    }
    out = run("telegram", json.dumps(doc, indent=1).encode())
    assert isinstance(out[0], Record) and out[0].text == "hi you" and out[0].conversation == "Chat A"
    assert isinstance(out[1], ParseError) and out[1].position == 3
    assert out[2].position == 4 and out[2].sender == "Sam"


def test_telegram_truncated_file_is_one_error_after_the_good_messages():
    doc = json.dumps({"name": "c", "messages": [{"date": "2026-01-01T00:00:00", "from": "A", "text": "x"}] * 3})
    out = run("telegram", doc[:-20].encode())
    assert isinstance(out[-1], ParseError)
    assert all(isinstance(x, Record) for x in out[:-1])


def test_jsonl_generic_format():
    lines = [
        {"sent_at": "2026-11-24T19:02:00+00:00", "sender": "A", "conversation": "c1", "recipients": ["B"], "text": "x"},
        "not json",
        {"sent_at": "2026-11-24T19:03:00", "sender": "", "text": "y"},
    ]
    data = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()
    out = run("jsonl", data)
    assert out[0].recipients == ("B",) and out[0].conversation == "c1"
    assert (out[1].line_no, out[2].line_no) == (2, 3)


def test_strict_mode_raises_the_first_error():
    with pytest.raises(ParseError) as exc:
        run("jsonl", b'{"sent_at": "2026-01-01T00:00:00Z", "sender": "a", "text": "b"}\n{oops\n', strict=True)
    assert exc.value.line_no == 2


def test_validate_counts_records_and_errors():
    count, errors = validate("whatsapp", io.BytesIO(b"junk\n01/01/2026, 10:00 - A: b\n"))
    assert count == 1 and [e.line_no for e in errors] == [1]


# --- hypothesis: malformed input never crashes with anything but a ParseError with a line --------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(fmt=st.sampled_from(FORMATS), data=st.binary(max_size=2000))
def test_arbitrary_bytes_yield_records_or_located_errors(fmt, data):
    for entry in parse(fmt, io.BytesIO(data)):
        assert isinstance(entry, Record | ParseError)
        if isinstance(entry, ParseError):
            assert entry.line_no >= 1


@FUZZ
@given(fmt=st.sampled_from(FORMATS), data=st.binary(max_size=2000))
def test_strict_mode_raises_only_parse_errors(fmt, data):
    try:
        for _ in parse(fmt, io.BytesIO(data), strict=True):
            pass
    except ParseError as error:
        assert error.line_no >= 1


SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
    min_size=0,
    max_size=60,
)
NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).map(
    lambda s: s.strip() or "A"
)
TIMES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)).map(
    lambda d: d.replace(microsecond=0)
)
MESSAGES = st.lists(st.tuples(TIMES, NAMES, SAFE_TEXT), min_size=1, max_size=15)


@FUZZ
@given(messages=MESSAGES, junk=st.lists(st.text(max_size=30), max_size=5))
def test_jsonl_valid_lines_round_trip_among_junk(messages, junk):
    lines = [
        json.dumps({"sent_at": t.isoformat(), "sender": s, "conversation": "c", "text": x}) for t, s, x in messages
    ]
    garbage = [j for j in junk if j.strip() and not j.strip().startswith("{")]
    data = "\n".join(lines + garbage).encode()
    records = [r for r in parse("jsonl", io.BytesIO(data)) if isinstance(r, Record)]
    assert [(r.sent_at, r.sender, r.text) for r in records] == [
        (t, s.strip(), x.replace("\x00", "")) for t, s, x in messages
    ]


@FUZZ
@given(messages=MESSAGES)
def test_csv_round_trip(messages):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["timestamp", "sender", "conversation", "message"])
    for t, s, x in messages:
        writer.writerow([t.isoformat(), s, "c", x])
    records = list(parse("csv", io.BytesIO(out.getvalue().encode())))
    assert all(isinstance(r, Record) for r in records)
    # csv normalises line endings inside quoted fields
    assert [(r.sent_at, r.sender, r.text) for r in records] == [
        (t, s.strip(), x.replace("\r\n", "\n").replace("\r", "\n")) for t, s, x in messages
    ]


ONE_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() == s and s)


@FUZZ
@given(messages=st.lists(st.tuples(TIMES.map(lambda d: d.replace(second=0)), NAMES, ONE_LINE), min_size=1, max_size=15))
def test_whatsapp_round_trip(messages):
    lines = [f"{t:%d/%m/%Y, %H:%M} - {s}: {x}" for t, s, x in messages]
    records = list(parse("whatsapp", io.BytesIO("\n".join(lines).encode()), tz="UTC"))
    assert all(isinstance(r, Record) for r in records)
    assert [(r.sent_at, r.sender, r.text) for r in records] == [(t, s.strip(), x) for t, s, x in messages]


@FUZZ
@given(messages=MESSAGES)
def test_telegram_round_trip(messages):
    doc = {
        "name": "n",
        "messages": [{"type": "message", "date": t.isoformat(), "from": s, "text": x} for t, s, x in messages],
    }
    records = list(parse("telegram", io.BytesIO(json.dumps(doc).encode())))
    assert [(r.sent_at, r.sender, r.text) for r in records] == [(t, s.strip(), x) for t, s, x in messages]


# --- Telegram: every error names the line where the problem is -----------------------------------


def telegram_export(messages, *, indent, gaps) -> tuple[str, list[int]]:
    """A Telegram-like export and the line each message's "{" is on (counted independently of the
    parser: from the text written before it). `gaps` puts blank lines and spaces between messages."""
    dumps = [json.dumps(m, indent=indent, ensure_ascii=False) for m in messages]
    text = '{\n "name": "Chat A",\n "type": "personal_chat",\n "messages": ['
    lines = []
    for n, dumped in enumerate(dumps):
        text += ("," if n else "") + "\n" * (1 + gaps[n % len(gaps)]) + " " * gaps[n % len(gaps)]
        lines.append(text.count("\n") + 1)
        text += dumped
    return text + "\n ]\n}\n", lines


def as_messages(rows):
    return [
        {"id": n, "type": "message", "date": t.isoformat(), "from": s, "text": x} for n, (t, s, x) in enumerate(rows)
    ]


@contextmanager
def telegram_chunks(size: int):
    """Read exports in tiny chunks, so values and errors fall across the parser's window edges."""
    saved = parsers.TELEGRAM_CHUNK
    parsers.TELEGRAM_CHUNK = size
    try:
        yield
    finally:
        parsers.TELEGRAM_CHUNK = saved


LAYOUT = {"indent": st.sampled_from([None, 1, 2]), "gaps": st.lists(st.integers(0, 3), min_size=1, max_size=4)}


@FUZZ
@given(rows=MESSAGES, chunk=st.sampled_from([1, 3, 64, 256 * 1024]), **LAYOUT)
def test_telegram_records_carry_the_line_of_their_opening_brace(rows, chunk, indent, gaps):
    text, lines = telegram_export(as_messages(rows), indent=indent, gaps=gaps)
    with telegram_chunks(chunk):
        records = run("telegram", text.encode())
    assert [(r.line_no, r.position, r.text) for r in records] == [
        (line, n + 1, x) for n, (line, (_, _, x)) in enumerate(zip(lines, rows, strict=True))
    ]


@FUZZ
@given(rows=MESSAGES, bad=st.integers(min_value=0), field=st.sampled_from(["from", "date", "text"]), **LAYOUT)
def test_telegram_a_malformed_message_is_reported_at_its_own_line_and_the_rest_kept(rows, bad, field, indent, gaps):
    messages = as_messages(rows)
    k = bad % len(messages)
    messages[k][field] = None if field != "text" else {"not": "text"}
    text, lines = telegram_export(messages, indent=indent, gaps=gaps)
    out = run("telegram", text.encode())
    errors = [e for e in out if isinstance(e, ParseError)]
    assert [(e.line_no, e.position) for e in errors] == [(lines[k], k + 1)]
    assert len(out) == len(messages)


CORRUPTIONS = st.sampled_from(["delete", "truncate", *'{}[],:"\\x@ '])


@FUZZ
@given(rows=MESSAGES, where=st.integers(min_value=0), corruption=CORRUPTIONS, chunk=st.sampled_from([2, 256 * 1024]))
def test_telegram_syntax_errors_name_the_line_the_standard_json_parser_names(rows, where, corruption, chunk):
    """Break the messages list anywhere (delete, insert a character, or cut the file): if Python's
    own JSON parser finds an error, the import's last entry is an error on exactly that line (the
    import stops there); if it finds none, the import reports no JSON syntax error."""
    text, _ = telegram_export(as_messages(rows), indent=1, gaps=[0, 2])
    start, end = text.index("[") + 1, text.rindex("]")
    at = start + where % (end - start)
    if corruption == "delete":
        broken = text[:at] + text[at + 1 :]
    elif corruption == "truncate":
        broken = text[:at]
    else:
        broken = text[:at] + corruption + text[at:]
    with telegram_chunks(chunk):
        out = run("telegram", broken.encode())
    try:
        json.loads(broken)
    except json.JSONDecodeError as error:
        assert isinstance(out[-1], ParseError) and out[-1].message.startswith("not valid JSON")
        assert out[-1].line_no == error.lineno, (out[-1], error)
        assert all(isinstance(e, Record) or "not valid JSON" not in e.message for e in out[:-1])
    else:
        assert not any(isinstance(e, ParseError) and "not valid JSON" in e.message for e in out)


def test_telegram_errors_outside_the_messages_name_their_lines():
    cases = [
        (b'[\n {"from": "A"}\n]', 1, "not a Telegram-like export"),  # a list, not an export
        (b'{\n "name": "c",\n "messages": {"a": 1}\n}', 3, "not a Telegram-like export"),
        (b'{\n "name": "c",\n "messages": []\n}\n\n  trailing', 6, "more text after the end"),
        (b'{\n "name": "c"\n "messages": []\n}', 3, 'expected "," or "}"'),
        (b'{\n "name": "c",\n "nothing": []\n}\n', 5, 'no "messages" list'),
        (b'{\n "name": "caf\xc3\xa9",\n "messages": [\n  {"from": "b\xff"}\n ]\n}', 4, "not UTF-8"),
        (b'\xef\xbb\xbf{\n "messages": [\n  [1, 2,\n', 4, "not valid JSON"),  # a BOM, then cut short
    ]
    for data, line, problem in cases:
        for chunk in (1, 5, 256 * 1024):
            with telegram_chunks(chunk):
                *_, error = run("telegram", data)
            assert isinstance(error, ParseError) and error.line_no == line and problem in error.message, (data, error)


def test_telegram_strict_mode_raises_the_error_with_its_line_and_message_number():
    data = b'{\n "messages": [\n  {"date": "2026-01-01T00:00:00Z", "from": "A", "text": "x"},\n  {"from": "B"}\n ]\n}'
    with pytest.raises(ParseError) as exc:
        run("telegram", data, strict=True)
    assert (exc.value.line_no, exc.value.position) == (4, 2)
    valid = data.replace(b'{"from": "B"}', b'{"date": "1795540920", "from": "B", "text": "y"}')
    assert len(run("telegram", valid, strict=True)) == 2
    with pytest.raises(ParseError) as exc:
        run("telegram", valid.replace(b"]", b"", 1), strict=True)  # "}" where "," or "]" belongs
    assert (exc.value.line_no, exc.value.position) == (6, 3)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="0123456789/:, -[]\u200eAPMapm\t\u00a0\u0660", min_size=15, max_size=30),
    st.text(st.characters(blacklist_characters="\n"), max_size=10),
)
def test_whatsapp_common_header_reads_as_the_regular_expression_does(head, rest):
    """(Lines never hold a newline: the parser splits on them.)"""
    from harbour.evidence.parsers import WHATSAPP_HEADER, whatsapp_common_header

    for line in (head + rest, "24/11/2026, 19:02 - " + head + rest, head[:20] + " - " + rest):
        fast = whatsapp_common_header(line)
        if fast is not None:
            match = WHATSAPP_HEADER.match(line)
            assert match is not None and match.groups() == fast, line


def test_identifiers_include_uk_postcodes_as_places():
    from harbour.evidence.identifiers import extract

    found = {(f.kind, f.value) for f in extract("meet at hb67 4rp or SW1A 1AA, not HB3 5ML, at 7pm")}
    assert ("place", "HB67 4RP") in found and ("place", "SW1A 1AA") in found
    assert ("place", "HB3 5ML") not in found  # M never ends a postcode: not one
    assert not [f for f in extract("see you at 7pm, 20 quid") if f.kind == "place"]
