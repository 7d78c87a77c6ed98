"""An optional learned classifier for the indicator families: TF-IDF and logistic regression,
one binary classifier per family, trained from a force's labelled JSONL file.

The explainable rules (indicators/) work without it; the classifier is for forces that have
labelled data and want to measure whether it adds recall. File format, one object a line:
{"text": "...", "labels": ["secrecy", ...]} (an empty list is a negative example).

Models are saved with joblib (pickle): load only model files your own force produced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .indicators import Indicators


def read_labelled(path: str | Path) -> tuple[list[str], list[list[str]]]:
    texts, labels = [], []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, row_labels = row["text"], row.get("labels", [])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}, line {number}: expected {{'text': ..., 'labels': [...]}} ({exc})") from None
            if not isinstance(text, str) or not isinstance(row_labels, list):
                raise ValueError(f"{path}, line {number}: 'text' must be text and 'labels' a list")
            texts.append(text)
            labels.append([str(label) for label in row_labels])
    return texts, labels


def train(texts: list[str], labels: list[list[str]]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer()
    y = binarizer.fit_transform(labels)
    pipeline = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        OneVsRestClassifier(LogisticRegression(max_iter=1000, class_weight="balanced")),
    )
    pipeline.fit(texts, y)
    return {"pipeline": pipeline, "families": list(binarizer.classes_)}


def save(model, path: str | Path) -> None:
    import joblib

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)


def load(path: str | Path):
    import joblib

    return joblib.load(path)


def predict(model, texts: list[str]) -> list[set[str]]:
    matrix = model["pipeline"].predict(texts)
    if matrix.ndim == 1:  # trained on one family: scikit-learn answers one column, flattened
        matrix = matrix.reshape(-1, 1)
    return [{f for f, on in zip(model["families"], row, strict=True) if on} for row in matrix]


def predict_rules(texts: list[str], rules: Indicators | None = None) -> list[set[str]]:
    rules = rules or Indicators.load()
    return [{hit.family for hit in rules.scan(text)} for text in texts]


@dataclass
class Score:
    family: str
    support: int
    precision: float
    recall: float
    f1: float


def score(truth: list[list[str]], predicted: list[set[str]], families: list[str]) -> list[Score]:
    scores = []
    for family in families:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if family in t and family in p)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if family not in t and family in p)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if family in t and family not in p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(Score(family, tp + fn, precision, recall, f1))
    return scores


def format_scores(scores: list[Score]) -> str:
    lines = [f"{'family':<20} {'support':>7} {'precision':>9} {'recall':>7} {'F1':>6}"]
    for s in scores:
        lines.append(f"{s.family:<20} {s.support:>7} {s.precision:>9.2f} {s.recall:>7.2f} {s.f1:>6.2f}")
    if scores:
        n = len(scores)
        lines.append(
            f"{'macro average':<20} {sum(s.support for s in scores):>7} "
            f"{sum(s.precision for s in scores) / n:>9.2f} {sum(s.recall for s in scores) / n:>7.2f} "
            f"{sum(s.f1 for s in scores) / n:>6.2f}"
        )
    return "\n".join(lines)
