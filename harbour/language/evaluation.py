"""Precision and recall of the checker on the labelled sentences (eval/labelled.jsonl).

Plain Python, shared by the pytest threshold test and bench/language_checker.py. A sentence that should be
flagged counts as found only if a finding carries the expected term id; a sentence that should not be
flagged counts as a false alarm if anything at all is flagged in it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .checker import Lexicon

LABELLED_PATH = Path(__file__).resolve().parent / "eval" / "labelled.jsonl"


@dataclass(frozen=True)
class Example:
    text: str
    should_flag: bool
    term: str | None
    line: int


@dataclass
class Evaluation:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    wrong_term: int = 0  # flagged, but under another term (counted as a miss and a false alarm)
    misses: list[Example] = field(default_factory=list)
    false_alarms: list[tuple[Example, list[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_examples(path: Path = LABELLED_PATH) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                row = json.loads(line)
                examples.append(Example(row["text"], bool(row["should_flag"]), row.get("term"), number))
    return examples


def evaluate(lexicon: Lexicon, examples: list[Example]) -> Evaluation:
    result = Evaluation()
    for example in examples:
        found = [f.term_id for f in lexicon.check(example.text)]
        if example.should_flag:
            if example.term in found:
                result.true_positives += 1
            else:
                result.false_negatives += 1
                result.misses.append(example)
                if found:
                    result.wrong_term += 1
                    result.false_positives += 1
                    result.false_alarms.append((example, found))
        elif found:
            result.false_positives += 1
            result.false_alarms.append((example, found))
        else:
            result.true_negatives += 1
    return result
