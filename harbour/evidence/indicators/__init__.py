"""Grooming indicator rules: data in JSON, a small matcher here (plain Python, no Django).

The rules are explainable by construction: each flag names its family and the words that
matched. A force can replace the rule file (HARBOUR_EVIDENCE_INDICATORS setting, or the
`path` argument) without code changes.

An import checks millions of messages, nearly all ordinary. So before any family's regular
expression runs, the message's words are compared with the words each pattern's matches must
contain, worked out from the rules themselves (see keywords.py): a family is tried only when
the message holds all the words of some way one of its patterns can match. That is a filter,
never a rule: the flags are exactly those the family expressions find on their own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .keywords import rarest, word_sets

DEFAULT_RULES = Path(__file__).with_name("default.json")
WORD = re.compile(r"\w+")
# For ASCII text, \w is [A-Za-z0-9_]: one byte translation lower-cases those and blanks the rest,
# several times faster than a regular expression over the same text.
_ASCII_WORD_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122 or c == 95) else 32 for c in range(256)
)


def words_of(text: str) -> set[str]:
    """The lower-cased words (runs of \\w) of `text`."""
    if text.isascii():
        return set(text.encode().translate(_ASCII_WORD_BYTES).decode().split())
    return set(WORD.findall(text.lower()))


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    weight: int
    regex: re.Pattern


@dataclass(frozen=True)
class Hit:
    family: str
    matched: tuple[str, ...]


class Indicators:
    def __init__(self, data: dict):
        self.families: list[Family] = []
        # A word -> (family index, all the words a match needs), indexed by the set's rarest word.
        # Families with a pattern that names no certain word are tried on every message.
        self.by_word: dict[str, list[tuple[int, frozenset[str]]]] = {}
        self.always: set[int] = set()
        for index, fam in enumerate(data["families"]):
            body = "|".join(f"(?:{p})" for p in fam["patterns"])
            self.families.append(
                Family(fam["key"], fam["label"], int(fam.get("weight", 1)), re.compile(rf"(?<!\w)(?:{body})(?!\w)"))
            )
            for pattern in fam["patterns"]:
                sets = word_sets(pattern)
                if sets is None:
                    self.always.add(index)
                    continue
                for needed in sets:
                    entry = (index, needed)
                    bucket = self.by_word.setdefault(rarest(needed), [])
                    if entry not in bucket:
                        bucket.append(entry)
        self.words = frozenset(self.by_word)
        self.labels = {f.key: f.label for f in self.families}
        self.weights = {f.key: f.weight for f in self.families}

    @classmethod
    def load(cls, path: str | Path | None = None) -> Indicators:
        return _load(str(path or DEFAULT_RULES))

    def candidates(self, text: str) -> set[int]:
        """The families that could match `text` (a superset of those that do)."""
        tokens = words_of(text)
        found = set(self.always)
        for word in self.words.intersection(tokens):
            for index, needed in self.by_word[word]:
                if index not in found and needed <= tokens:
                    found.add(index)
        return found

    def scan(self, text: str) -> list[Hit]:
        candidates = self.candidates(text)
        if not candidates:
            return []
        lowered = normalise(text)
        hits = []
        for index in sorted(candidates):
            family = self.families[index]
            found = [m.group(0) for m in family.regex.finditer(lowered)]
            if found:
                hits.append(Hit(family.key, tuple(dict.fromkeys(found))))
        return hits


def normalise(text: str) -> str:
    """Lower case, typographic apostrophes straightened, runs of spaces collapsed."""
    text = text.lower()
    if "\u2019" in text or "\u2018" in text:
        text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


@lru_cache(maxsize=4)
def _load(path: str) -> Indicators:
    with open(path, encoding="utf-8") as handle:
        return Indicators(json.load(handle))
