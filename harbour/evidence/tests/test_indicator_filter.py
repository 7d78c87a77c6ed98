"""The word filter in front of the indicator rules may only save time, never lose a flag."""

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbour.evidence.indicators import DEFAULT_RULES, WORD, Indicators, words_of
from harbour.evidence.indicators.keywords import word_sets
from harbour.evidence.localtime import LocalClock, LocalDays

PATTERNS = [p for fam in json.loads(DEFAULT_RULES.read_text())["families"] for p in fam["patterns"]]


def test_every_default_pattern_names_the_words_its_matches_need():
    """No default pattern falls back to 'try on every message'."""
    assert all(word_sets(p) for p in PATTERNS)


def test_word_sets_of_simple_shapes():
    assert word_sets("new phone") == [frozenset({"new", "phone"})]
    assert word_sets("top[- ]?up") == [frozenset({"top", "up"}), frozenset({"topup"})]
    # Common words are dropped where two uncommon ones remain; "i'll" and "i will" merge.
    assert word_sets("i(?:'ll| will) buy (?:you|u) (?:trainers|vapes)") == [
        frozenset({"buy", "trainers"}),
        frozenset({"buy", "vapes"}),
    ]
    # A word next to a wildcard is not certain: "year" is, the number is not.
    assert word_sets(r"in year \d+") == [frozenset({"in", "year"})]
    assert word_sets(r"\d+") is None  # no certain word: the family is tried on every message
    assert word_sets(".*") is None


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_contains_all_words_of_one_set(pattern, data):
    sets = word_sets(pattern)
    matched = data.draw(st.from_regex(re.compile(pattern), fullmatch=True))
    # In a message the match is bounded by non-word characters, as (?<!\w) and (?!\w) demand.
    words = set(WORD.findall(f" {matched} ".lower()))
    assert any(needed <= words for needed in sets), (matched, sets)


@given(st.text())
def test_words_of_agrees_with_the_regular_expression(text):
    assert words_of(text) == set(WORD.findall(text.lower()))


class _Unfiltered(Indicators):
    """The same rules with the filter switched off: every family tried on every message."""

    def candidates(self, text):
        return set(range(len(self.families)))


PHRASES = [
    "how old are you",
    "don't tell your mum",
    "Don\u2019t  tell your MUM",
    "delete this chat",
    "are your parents home",
    "add me on snap",
    "send me a pic",
    "i can pick you up",
    "you owe me",
    "if you don't do it i'll tell everyone",
    "meet me tomorrow at 7",
    "top-up",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PHRASES) | st.text(max_size=30), max_size=6), st.sampled_from([" ", ", ", "\n", "!"]))
def test_filtered_scan_equals_unfiltered_scan(parts, joiner):
    text = joiner.join(parts)
    rules = Indicators.load()
    unfiltered = _Unfiltered(json.loads(DEFAULT_RULES.read_text()))
    assert rules.scan(text) == unfiltered.scan(text)


def test_evaluation_set_flags_are_unchanged_by_the_filter():
    rules = Indicators.load()
    unfiltered = _Unfiltered(json.loads(DEFAULT_RULES.read_text()))
    path = DEFAULT_RULES.parents[3] / "bench" / "data" / "evidence_indicators_eval.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
    assert len(texts) > 100
    flagged = [rules.scan(t) for t in texts]
    assert flagged == [unfiltered.scan(t) for t in texts]
    assert sum(1 for f in flagged if f) > 50


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_local_clock_agrees_with_astimezone_across_clock_changes(zone):
    """Lord Howe Island changes its clocks by half an hour, at 02:00: the per-hour shortcut must not apply."""
    clock = LocalClock(ZoneInfo(zone))
    start = datetime(2026, 1, 1)
    for minutes in range(0, 365 * 24 * 60, 7):
        local = start + timedelta(minutes=minutes)
        expected = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        got = clock.to_utc(local.year, local.month, local.day, local.hour, local.minute, local.second)
        assert got == expected and got.tzinfo is UTC, (zone, local)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_local_days_agree_with_astimezone_across_clock_changes(zone):
    days = LocalDays(ZoneInfo(zone))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for minutes in range(0, 365 * 24 * 60, 11):
        instant = start + timedelta(minutes=minutes, seconds=minutes % 60)
        assert days.day(instant) == instant.astimezone(ZoneInfo(zone)).date(), (zone, instant)
