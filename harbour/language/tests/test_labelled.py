"""The checker against the labelled sentences in the repo: recall at least 0.95 and precision at least 0.9
(issue 4), on the development set and on the held-out set written after the rules."""

from pathlib import Path

import pytest

from harbour.language.checker import Lexicon
from harbour.language.evaluation import LABELLED_PATH, evaluate, load_examples

HOLDOUT_PATH = Path(LABELLED_PATH).with_name("holdout.jsonl")


def test_labelled_set_is_big_enough_and_balanced():
    examples = load_examples()
    assert len(examples) >= 150
    positives = [e for e in examples if e.should_flag]
    assert len(positives) >= 75 and len(examples) - len(positives) >= 75
    assert {e.term for e in positives} == {entry.id for entry in Lexicon.default().entries}


@pytest.mark.parametrize("path", [LABELLED_PATH, HOLDOUT_PATH], ids=["labelled", "holdout"])
def test_precision_and_recall_meet_the_targets(path):
    result = evaluate(Lexicon.default(), load_examples(path))
    misses = "\n".join(f"  missed {e.term}: {e.text}" for e in result.misses)
    alarms = "\n".join(f"  false alarm {found}: {e.text}" for e, found in result.false_alarms)
    assert result.recall >= 0.95, f"recall {result.recall:.3f}\n{misses}"
    assert result.precision >= 0.9, f"precision {result.precision:.3f}\n{alarms}"
