"""Precision and recall per grooming indicator family on the labelled synthetic evaluation set.

    .venv/bin/python bench/evidence_indicators.py [bench/data/evidence_indicators_eval.jsonl]

The set is synthetic and non-explicit. It tests the rules' wording coverage, not real-world
performance: a force should evaluate on its own labelled data (`harbour evidence-eval`). Also
prints a 5-fold cross-validated figure for the TF-IDF classifier, for comparison.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harbour.evidence import classifier  # noqa: E402
from harbour.evidence.indicators import Indicators  # noqa: E402


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else ROOT / "bench" / "data" / "evidence_indicators_eval.jsonl"
    texts, truth = classifier.read_labelled(path)
    rules = Indicators.load()
    families = [f.key for f in rules.families]
    print(f"Rules on {len(texts)} labelled lines ({path})")
    print(classifier.format_scores(classifier.score(truth, classifier.predict_rules(texts, rules), families)))
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return
    predicted: list[set[str]] = [set() for _ in texts]
    folds = 5
    for fold in range(folds):
        train_idx = [i for i in range(len(texts)) if i % folds != fold]
        test_idx = [i for i in range(len(texts)) if i % folds == fold]
        model = classifier.train([texts[i] for i in train_idx], [truth[i] for i in train_idx])
        for i, labels in zip(test_idx, classifier.predict(model, [texts[i] for i in test_idx]), strict=True):
            predicted[i] = labels
    print(f"\nTF-IDF + logistic regression, {folds}-fold cross-validation")
    print(classifier.format_scores(classifier.score(truth, predicted, families)))


if __name__ == "__main__":
    main()
