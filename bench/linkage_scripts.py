"""Synthetic persons in six scripts, each recorded twice with realistic errors (palermo.demo.near_duplicates),
plus as many recorded once: per-script precision and recall of the linkage at its queue threshold, and the
linkage's time at growing sizes (blocking keeps it near n log n). `python -m bench.linkage_scripts
[--pairs N] [--sizes 10000,100000] [--wide]` (`--pairs 0`: the scaling only; `--wide`: names from the wide
pools at Zipf-like frequencies, `palermo.demo.near_duplicates.wide_pools`, as a population of a million has
them)."""

from __future__ import annotations

import argparse
import base64
import logging
import math
import random
import resource
import secrets
import time
from collections import Counter

from django.conf import settings

if not settings.configured:
    settings.configure(BLIND_INDEX_KEY=base64.b64encode(secrets.token_bytes(32)).decode())
logging.getLogger("splink").setLevel(logging.ERROR)

from palermo.demo.near_duplicates import SCRIPTS, Recorded, population  # noqa: E402
from palermo.linkage.probabilistic import THRESHOLD, LinkRecord, link  # noqa: E402


def as_record(uid: str, person: Recorded) -> LinkRecord:
    born = ""
    if person.born is not None:
        born = {
            "year": f"{person.born.year:04d}",
            "estimated": f"{person.born.year:04d}",
            "year_month": person.born.isoformat()[:7],
        }.get(person.precision, person.born.isoformat())
    return LinkRecord(uid=uid, given=person.given, family=person.family, birth=born)


def records(
    pairs: int, seed: int, *, wide: bool = False
) -> tuple[list[LinkRecord], dict[str, str], set[tuple[str, str]]]:
    """Each person twice, and as many others once (people with the same names, never the same person)."""
    twice = population(pairs, seed=seed, wide=wide)
    once = population(pairs, seed=seed + 1, wide=wide)
    made: list[LinkRecord] = []
    script_of: dict[str, str] = {}
    truth: set[tuple[str, str]] = set()
    for number, (first, second) in enumerate(twice):
        a, b = f"p{number}a", f"p{number}b"
        made += [as_record(a, first), as_record(b, second)]
        script_of[a] = script_of[b] = first.script
        truth.add((a, b))
    for number, (_, second) in enumerate(once):
        uid = f"s{number}"
        made.append(as_record(uid, second))
        script_of[uid] = second.script
    random.Random(seed).shuffle(made)
    return made, script_of, truth


CANDIDATE_THRESHOLDS = (0.8, 0.9, 0.95, 0.98, 0.99)


def per_script(pairs: int, seed: int = 11, *, wide: bool = False) -> None:
    """Per-script precision and recall at the queue threshold and at its neighbours (one prediction, cut at
    each): the threshold is chosen where the lowest figure of any script is highest."""
    made, script_of, truth = records(pairs, seed, wide=wide)
    result = link(made, threshold=min(CANDIDATE_THRESHOLDS))
    truth = {(min(pair), max(pair)) for pair in truth}
    print(f"synthetic: {len(made)} records, {pairs} true pairs, {result.seconds:.1f}s")
    lowest: dict[float, float] = {}
    for threshold in sorted({*CANDIDATE_THRESHOLDS, THRESHOLD}):
        kept = [pair for pair in result.pairs if pair.probability >= threshold]
        found = {(min(pair.left, pair.right), max(pair.left, pair.right)) for pair in kept}
        hits: Counter[str] = Counter()
        proposed: Counter[str] = Counter()
        real: Counter[str] = Counter()
        for pair in found:
            proposed[script_of[pair[0]]] += 1
            hits[script_of[pair[0]]] += pair in truth
        for pair in truth:
            real[script_of[pair[0]]] += 1
        chosen = " (the queue's)" if threshold == THRESHOLD else ""
        print(f"  threshold {threshold}{chosen}")
        figures = []
        for script in SCRIPTS:
            precision = hits[script] / proposed[script] if proposed[script] else 0.0
            recall = hits[script] / real[script] if real[script] else 0.0
            figures += [precision, recall]
            print(f"    {script:11} precision {precision:.3f} recall {recall:.3f} ({real[script]} pairs)")
        lowest[threshold] = min(figures)
    best = max(lowest, key=lambda threshold: lowest[threshold])
    print(f"  lowest figure by threshold: {lowest}; highest lowest at {best} (queue threshold {THRESHOLD})")


def scaling(sizes: list[int], *, wide: bool = False) -> None:
    """The linkage's time at each size (wall and CPU), its blocked comparisons (in all and by rule), and the
    CPU time's ratio to what n log n (and n squared) from the first size predicts: 1.0 is that growth; the
    process's peak memory so far with it."""
    first = None
    for size in sizes:
        made, _, truth = records(size // 3, seed=size, wide=wide)
        cpu = time.process_time()
        result = link(made, threshold=THRESHOLD)
        cpu = time.process_time() - cpu  # every thread's (DuckDB's too): less skewed by a loaded machine
        n = len(made)
        if first is None:
            first = (n, cpu)
        expected = first[1] * (n * math.log(n)) / (first[0] * math.log(first[0]))
        squared = first[1] * (n / first[0]) ** 2
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        found = {(min(pair.left, pair.right), max(pair.left, pair.right)) for pair in result.pairs}
        hits = len(found & {(min(pair), max(pair)) for pair in truth})
        print(
            f"scaling: {n:>8} persons {result.seconds:7.1f}s ({cpu:.1f}s CPU), {result.compared} comparisons "
            f"({result.compared / n:.1f} a person), {len(result.pairs)} pairs (precision "
            f"{hits / max(1, len(found)):.3f}, recall {hits / len(truth):.3f}); "
            f"CPU time's ratio to n log n from the first size {cpu / expected:.2f}, "
            f"to n squared {cpu / squared:.3f}; peak memory {peak:.0f} MB",
            flush=True,
        )
        rules = ", ".join(f"{rule} {count}" for rule, count in result.compared_by_rule.items())
        print(f"  comparisons by the first rule that gave them: {rules}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--wide", action="store_true", help="names from the wide pools (Zipf-like)")
    args = parser.parse_args()
    if args.pairs:
        per_script(args.pairs, wide=args.wide)
    if args.sizes:
        scaling([int(size) for size in args.sizes.split(",")], wide=args.wide)


if __name__ == "__main__":
    main()
