"""FEBRL4 privacy-preserving linkage: the hardened encodings (keyed, salted by birth year, balanced;
palermo.linkage.pprl) against clkhash + anonlink with their example schema's defaults (bigrams of the names,
15 bits a token, positional date digits, 1024 bits, greedy solving), on the same columns in the same run.
`python -m bench.linkage_pprl`. clkhash and anonlink are bench-only (they pin old `cryptography`)."""

from __future__ import annotations

import base64
import secrets
import time
from collections import defaultdict

from django.conf import settings

if not settings.configured:
    settings.configure(BLIND_INDEX_KEY=base64.b64encode(secrets.token_bytes(32)).decode())

from bench.linkage_febrl import febrl4, scores
from palermo.linkage.pprl import THRESHOLD, Encoder, dice

SECRET = secrets.token_bytes(32)


def _date(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:]}" if len(value) == 8 else ""


def greedy(scored: list[tuple[float, str, str]]) -> set[tuple[str, str]]:
    """One-to-one, best first (as anonlink's greedy solver)."""
    used_left, used_right, found = set(), set(), set()
    for _, left, right in sorted(scored, reverse=True):
        if left not in used_left and right not in used_right:
            used_left.add(left)
            used_right.add(right)
            found.add((left, right))
    return found


def ours(left, right, threshold: float = THRESHOLD) -> tuple[set[tuple[str, str]], float]:
    started = time.perf_counter()
    encoder = Encoder(SECRET)
    blocks: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for uid, row in left.iterrows():
        birth = _date(row.date_of_birth)
        blocks[encoder.block(birth)].append((uid, encoder.encode(row.given_name, row.surname, birth)))
    scored = []
    for uid, row in right.iterrows():
        birth = _date(row.date_of_birth)
        question = encoder.encode(row.given_name, row.surname, birth)
        for other, encoding in blocks.get(encoder.block(birth), ()):
            similarity = dice(question, encoding)
            if similarity >= threshold:
                scored.append((similarity, other, uid))
    return greedy(scored), time.perf_counter() - started


def clkhash_anonlink(left, right) -> tuple[set[tuple[str, str]], float]:
    import anonlink
    from clkhash import clk
    from clkhash.schema import from_json_dict

    started = time.perf_counter()
    schema = from_json_dict(
        {
            "version": 3,
            "clkConfig": {
                "l": 1024,
                "kdf": {"type": "HKDF", "hash": "SHA256", "keySize": 64},
            },
            "features": [
                {
                    "identifier": name,
                    "format": {"type": "string", "encoding": "utf-8"},
                    "hashing": {
                        "comparison": {"type": "ngram", "n": 2},
                        "strategy": {"bitsPerToken": 15},
                        "hash": {"type": "doubleHash"},
                    },
                }
                for name in ("given_name", "surname")
            ]
            + [
                {
                    "identifier": "date_of_birth",
                    "format": {"type": "string", "encoding": "utf-8"},
                    "hashing": {
                        "comparison": {"type": "ngram", "n": 1, "positional": True},
                        "strategy": {"bitsPerToken": 30},
                        "hash": {"type": "doubleHash"},
                    },
                }
            ],
        }
    )
    columns = ["given_name", "surname", "date_of_birth"]
    secret = "shared secret of the bench"  # noqa: S105 (a bench)
    clks = [clk.generate_clks(table[columns].values.tolist(), schema, secret) for table in (left, right)]
    candidates = anonlink.candidate_generation.find_candidate_pairs(
        clks, anonlink.similarities.dice_coefficient, 0.8
    )
    groups = anonlink.solving.greedy_solve(candidates)
    ids = [list(left.index), list(right.index)]
    found = set()
    for group in groups:
        members = {dataset: ids[dataset][row] for dataset, row in group}
        if len(members) == 2:
            found.add((members[0], members[1]))
    return found, time.perf_counter() - started


def main() -> None:
    left, right, truth = febrl4()
    baseline, base_seconds = clkhash_anonlink(left, right)
    found, seconds = ours(left, right)
    for name, pairs, spent in (("clkhash+anonlink", baseline, base_seconds), ("hardened", found, seconds)):
        precision, recall, f1 = scores(pairs, truth)
        print(f"PPRL FEBRL4 {name:16} precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f} {spent:.1f}s")
    ratio = scores(found, truth)[2] / scores(baseline, truth)[2]
    print(f"PPRL FEBRL4 F1 ratio {ratio:.3f} (hardened / baseline)")


if __name__ == "__main__":
    main()
