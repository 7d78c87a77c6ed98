"""Benchmark: the child-centred language checker's precision, recall and speed.

Run: .venv/bin/python bench/language_checker.py [--notes 2000] [--seed 1]

No database, no Django: the default lexicon (harbour/language/lexicon/default.json) against
1. the labelled sentences (harbour/language/eval/labelled.jsonl), which the rules were developed on, and
2. the held-out sentences (eval/holdout.jsonl), written after the rules, for a less flattering figure.
Prints precision, recall and F1 for each, with every miss and false alarm. Then times the checker on
synthetic case notes of about 1,500 characters (sentences drawn from both sets with neutral filler, about
a quarter containing a flagged phrase), as the as-you-type check sees them: compile time, p50/p95/max per
note and throughput. Issue 4's targets: recall >= 0.95, precision >= 0.9.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from harbour.language.checker import Lexicon, load_lexicon_data  # noqa: E402
from harbour.language.evaluation import LABELLED_PATH, evaluate, load_examples  # noqa: E402

HOLDOUT_PATH = LABELLED_PATH.with_name("holdout.jsonl")
FILLER = [
    "Visit completed at the placement with her key worker present.",
    "A strategy meeting is booked for Thursday and police will attend.",
    "The return home interview was offered within 72 hours and accepted.",
    "School report attendance of 82% this term, with two exclusions.",
    "She was found at the retail park by a patrol and brought back by taxi.",
    "Trigger plan reviewed; the philomena profile photograph is up to date.",
    "Her phone has been examined and the contacts passed to the analyst.",
    "The care home manager will share the missing log with the MASH.",
]


def report(name: str, lexicon: Lexicon, path: Path) -> None:
    examples = load_examples(path)
    result = evaluate(lexicon, examples)
    positives = sum(e.should_flag for e in examples)
    print(f"\n{name}: {len(examples)} sentences ({positives} should be flagged, {len(examples) - positives} not)")
    print(f"  precision {result.precision:.3f}   recall {result.recall:.3f}   F1 {result.f1:.3f}")
    print(
        f"  true positives {result.true_positives}, false positives {result.false_positives}, "
        f"false negatives {result.false_negatives} (of which flagged under another term: {result.wrong_term})"
    )
    for example in result.misses:
        print(f"  missed    [{example.term}] {example.text!r}")
    for example, found in result.false_alarms:
        print(f"  false alarm {found} {example.text!r}")


def notes(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    sentences = [e.text for e in load_examples(LABELLED_PATH) + load_examples(HOLDOUT_PATH)]
    built = []
    for _ in range(count):
        parts = []
        while sum(len(p) + 1 for p in parts) < 1500:
            parts.append(rng.choice(sentences) if rng.random() < 0.25 else rng.choice(FILLER))
        built.append(" ".join(parts))
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=2000, help="synthetic notes to time (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    lexicon = Lexicon(load_lexicon_data())
    compile_ms = (time.perf_counter() - started) * 1000
    patterns = sum(len(rule.patterns) for entry in lexicon.entries for rule in entry.rules)
    print(f"Lexicon: {len(lexicon.entries)} terms, {patterns} patterns, compiled in {compile_ms:.1f} ms")

    report("Labelled set (development)", lexicon, LABELLED_PATH)
    report("Held-out set", lexicon, HOLDOUT_PATH)

    texts = notes(args.notes, args.seed)
    lexicon.check(texts[0])  # warm up
    wall, cpu, findings = [], [], 0
    started = time.perf_counter()
    for text in texts:
        t0, c0 = time.perf_counter(), time.thread_time()
        findings += len(lexicon.check(text))
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    characters = sum(len(t) for t in texts)
    print(f"\nSpeed: {len(texts)} notes of ~{characters // len(texts)} characters, {findings} findings")
    # CPU time is the checker's own cost; wall time also counts waiting for a busy machine's processors.
    for label, timings in (("CPU time", sorted(cpu)), ("wall time", sorted(wall))):
        p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95)]
        print(f"  per note ({label}): p50 {p50:.2f} ms   p95 {p95:.2f} ms   max {timings[-1]:.2f} ms")
    print(f"  throughput: {len(texts) / elapsed:.0f} notes/s, {characters / elapsed / 1e6:.2f} million characters/s")
    print(f"  machine load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} processors")


if __name__ == "__main__":
    main()
