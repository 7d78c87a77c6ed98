"""The words an indicator pattern's matches must contain, worked out from the pattern itself.

A pattern is expanded into the strings it can match (alternatives, optional parts, character
sets of a few letters, short repeats); anything open-ended (\\d+, .{0,40}, a negated set) stands
as a wildcard. In each expansion, a run of word characters bounded on both sides by something
that is certainly not a word character (a space, an apostrophe, the start or end of the match:
the families are matched between (?<!\\w) and (?!\\w)) is a whole word the text must contain.
The key set is a few such words, rare ones preferred, covering every expansion.

A pattern that cannot be expanded (too many expansions, or an expansion with no certain word)
has no key words (None): its family is then tried on every message. Getting this wrong could
only cost speed, never a flag, as long as every returned word really is in every match; the
tests check that against the patterns' own matches.
"""

from __future__ import annotations

import re
from itertools import product

try:  # the standard library's own regex parser (private, stable in practice)
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - another Python: no key words, every family is tried
    sre = sre_parse = None

MAX_EXPANSIONS = 4096
WILD = "\x00wild"  # an unknown run of characters, word characters perhaps
GAP = "\x00gap"  # one or more characters that are certainly not word characters
_WORD_CHAR = re.compile(r"\w")

# Words too common in chat to be worth a lookup when a rarer one is there (speed only).
_COMMON_WORDS = """
    a about all am an and any are as at be but by can could do does don dont for from get go got had
    has have he her him his how i if im in is it its just ll m me my no not now of on one or our out r
    re s she so some t that the them then there they this to u up ur us ve was we what when where which
    who will with ya you your
"""
COMMON = frozenset(_COMMON_WORDS.split())


class _Unexpandable(Exception):
    pass


def _is_word(ch: str) -> bool:
    return bool(_WORD_CHAR.match(ch))


def _join(left: list[tuple], right: list[tuple]) -> list[tuple]:
    out = [a + b for a in left for b in right]
    if len(out) > MAX_EXPANSIONS:
        raise _Unexpandable
    return out


def _sequence(items) -> list[tuple]:
    expansions: list[tuple] = [()]
    for op, av in items:
        expansions = _join(expansions, _node(op, av))
    return expansions


def _charset(members) -> list[tuple]:
    chars: list[str] = []
    for op, av in members:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < 8:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD):
            chars.append(GAP)
        else:  # \d, \w, a negated set, a wide range
            return [(WILD,)]
    return [(c,) for c in dict.fromkeys(chars)]


def _node(op, av) -> list[tuple]:
    if op is sre.LITERAL:
        return [(chr(av),)]
    if op is sre.IN:
        return _charset(av)
    if op is sre.BRANCH:
        out: list[tuple] = []
        for alternative in av[1]:
            out.extend(_sequence(alternative))
        if len(out) > MAX_EXPANSIONS:
            raise _Unexpandable
        return out
    if op is sre.SUBPATTERN:
        return _sequence(av[-1])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        inner = _sequence(body)
        if all(all(part == GAP for part in e) for e in inner if e):  # \s+, [- ]*: separators only
            return [(), (GAP,)] if low == 0 else [(GAP,)]
        if high > 3:
            return [(), (WILD,)] if low == 0 else [(WILD,)]
        out = []
        for times in range(low, high + 1):
            out.extend(_flatten(p) for p in product(inner, repeat=times))
        if len(out) > MAX_EXPANSIONS:
            raise _Unexpandable
        return out
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return [()]  # zero-width: adds no characters
    return [(WILD,)]  # ANY, NOT_LITERAL, group references, anything else


def _flatten(parts: tuple) -> tuple:
    return tuple(x for part in parts for x in part)


def certain_words(expansion: tuple) -> list[str]:
    """Whole words in one expansion: word-character runs with a certain boundary on each side."""
    words, current, clean_start = [], [], True
    for part in (*expansion, GAP):  # the end of the match is a boundary: (?!\w)
        if part == WILD:
            current, clean_start = [], False
        elif part == GAP or not _is_word(part):
            if current and clean_start:
                words.append("".join(current))
            current, clean_start = [], True
        else:
            current.append(part)
    return words


def rarest(words) -> str:
    """The word to index a set of words by: uncommon first, then longest (speed only)."""
    return max(sorted(words), key=lambda w: (w not in COMMON, len(w)))


def word_sets(pattern: str) -> list[frozenset[str]] | None:
    """For each way `pattern` can match, the lower-cased whole words that match must contain.

    A text can only match if its words include every word of at least one of these sets. None
    if the pattern cannot be expanded or one of its expansions has no certain word.
    """
    if sre_parse is None:
        return None
    try:
        expansions = _sequence(list(sre_parse.parse(pattern)))
    except (_Unexpandable, re.error, RecursionError):
        return None
    sets = set()
    for expansion in expansions:
        words = frozenset(w.lower() for w in certain_words(expansion))
        if not words:
            return None
        # Dropping common words keeps the filter sound (fewer words needed) and merges expansions
        # that differ only in them ("i'll" / "i will"), so a message is checked against fewer
        # sets; two uncommon words are kept at least, or the filter would let too much through.
        uncommon = frozenset(w for w in words if w not in COMMON)
        sets.add(uncommon if len(uncommon) >= 2 else words)
    # A set that contains another adds nothing: the smaller one already lets the text through.
    return sorted((s for s in sets if not any(o < s for o in sets)), key=sorted)
