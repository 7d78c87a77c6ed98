"""Grooming indicator rules: data in JSON, a small matcher here (plain Python, no Django).

The rules are explainable by construction: each flag names its family and the words that
matched. A force can replace the rule file (HARBOUR_EVIDENCE_INDICATORS setting, or the
`path` argument) without code changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_RULES = Path(__file__).with_name("default.json")


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
        alternatives = []
        for fam in data["families"]:
            body = "|".join(f"(?:{p})" for p in fam["patterns"])
            alternatives.append(body)
            self.families.append(
                Family(fam["key"], fam["label"], int(fam.get("weight", 1)), re.compile(rf"(?<!\w)(?:{body})(?!\w)"))
            )
        # One pass over every message decides whether any family could match at all: most
        # messages are ordinary, and this keeps the scan of millions of them cheap.
        self.any = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")
        self.labels = {f.key: f.label for f in self.families}
        self.weights = {f.key: f.weight for f in self.families}

    @classmethod
    def load(cls, path: str | Path | None = None) -> Indicators:
        return _load(str(path or DEFAULT_RULES))

    def scan(self, text: str) -> list[Hit]:
        lowered = normalise(text)
        if not self.any.search(lowered):
            return []
        hits = []
        for family in self.families:
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
