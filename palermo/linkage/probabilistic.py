"""Probabilistic record linkage (Fellegi-Sunter) with Splink on an in-memory DuckDB (docs/decisions/0042).

Pure: records in, scored pairs out; no Django model is read or written here, so the background run, the
bench and the tests call the same code. The records' names and birth dates are plaintext only in this
process's memory for the run (DuckDB in memory, no database file, no spill directory); the caller writes out
nothing but pair identifiers and scores.

Each record gives its names in Latin letters in two romanisations (`palermo.linkage.keys.spellings`), its
birth date as far as known (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), sex and citizenships. Candidate pairs
are *blocked on keyed digests*, keys like the tolerant search stores (sound keys of the names, birth year):
the blocking columns are HMACs, never names. Comparisons: each name by Splink's `NameComparison` levels at
the best over both romanisations of both sides, given and family names in a canonical order (names swapped),
the full birth date exact, a day off or day and month swapped, one digit wrong, the year of partial dates,
sex and citizenship exactly. The training sessions block on the compared columns themselves (see `_train`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from palermo.core.blind_index import sound_key
from palermo.linkage.keys import BIRTH, SKELETON, SOUND, YEAR, digest, skeleton, spellings, words

THRESHOLD = 0.95  # match probability from which a pair goes to the review queue (bench.linkage_scripts)
Progress = Callable[[int, str], None]  # percent done, stage


@dataclass(frozen=True)
class LinkRecord:
    uid: str
    given: str
    family: str
    birth: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    sex: str = ""
    citizenship: str = ""  # ISO codes joined by a space
    source: str = "a"  # for a link between two sets (the bench), which set


@dataclass(frozen=True)
class ScoredPair:
    left: str
    right: str
    probability: float


@dataclass
class LinkageResult:
    pairs: list[ScoredPair] = field(default_factory=list)
    seconds: float = 0.0
    compared: int = 0


def _latin(text: str, which: int) -> str:
    found = []
    for word in words(text):
        romanised = spellings(word)
        if romanised:
            found.append(romanised[min(which, len(romanised) - 1)])
    return " ".join(found)


def _other(first: str, second: str) -> str | None:
    """The second romanisation when it differs from the first (else nothing to compare again)."""
    return second if second and second != first else None


def _first_sound(text: str) -> str:
    latin = _latin(text, 0).split()
    return digest(SOUND, sound_key(latin[0])) if latin else ""


def _bones(text: str) -> str:
    latin = _latin(text, 0).replace(" ", "")
    return digest(SKELETON, skeleton(latin)) if latin else ""


def _in_canonical_order(record: LinkRecord) -> LinkRecord:
    """Given and family names in the order of their consonant skeletons: a record with its names swapped
    (a common error: which is the family name differs across cultures) compares name with name."""
    first, second = _latin(record.given, 0).replace(" ", ""), _latin(record.family, 0).replace(" ", "")
    if (skeleton(second), second) < (skeleton(first), first):
        return replace(record, given=record.family, family=record.given)
    return record


def frame(records: Iterable[LinkRecord]) -> Any:
    """The records as Splink's input: comparison columns, and keyed blocking columns (digests only)."""
    import pandas as pd

    rows = []
    for record in records:
        record = _in_canonical_order(record)
        given, family = _latin(record.given, 0), _latin(record.family, 0)
        digits = record.birth.replace("-", "")
        rows.append(
            {
                "unique_id": record.uid,
                "source_dataset": record.source,
                "given": given or None,
                "family": family or None,
                "given_alt": _other(given, _latin(record.given, 1)),
                "family_alt": _other(family, _latin(record.family, 1)),
                "birth": digits if len(digits) == 8 else None,
                "birth_year": digits[:4] or None,
                "sex": record.sex or None,
                "citizenship": record.citizenship or None,
                "k_given": _first_sound(record.given) or None,
                "k_family": _first_sound(record.family) or None,
                "k_bones": _bones(f"{record.given} {record.family}") or None,
                "k_year": digest(YEAR, digits[:4]) if digits else None,
                "k_birth": digest(BIRTH, digits) if len(digits) == 8 else None,
            }
        )
    return pd.DataFrame(rows)


def _best_of(column: str, sql: str) -> str:
    """`sql` (with {l} and {r} for the two sides' columns) at its best over the romanisations of each side."""
    sides = [(f"{column}{a}_l", f"{column}{b}_r") for a in ("", "_alt") for b in ("", "_alt")]
    # greatest() skips the nulls of a side with one romanisation
    return "greatest(" + ", ".join(sql.format(l=left, r=right) for left, right in sides) + ")"


def _name_comparison(column: str) -> Any:
    """Splink's `NameComparison` levels (exact, Jaro-Winkler 0.92, 0.88, 0.7), each met in any romanisation
    of either side: Ge'ez and Arabic romanise most differently ("salaame" / "selam"); a record in the person's
    own script is compared with a record in Latin letters in whichever romanisation that record used."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    exact = _best_of(column, "cast({l} = {r} as integer)")
    similar = _best_of(column, "jaro_winkler_similarity({l}, {r})")
    levels = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column).configure(tf_adjustment_column=column, tf_adjustment_weight=1.0),
        cll.CustomLevel(f"{exact} = 1", "Exact match in another romanisation"),
    ]
    levels += [cll.CustomLevel(f"{similar} >= {cut}", f"Jaro-Winkler >= {cut}") for cut in (0.92, 0.88, 0.7)]
    return cl.CustomComparison([*levels, cll.ElseLevel()], output_column_name=column)


def _birth_comparison() -> Any:
    """The full birth date: exact; the errors of case files (a day off, day and month swapped, one digit
    wrong); else. A date a month or a year away is another date: among the many persons with the same common
    names, nearness of dates is what tells them apart (the year alone is compared by `birth_year`)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    swapped = (
        "substr(birth_l, 5, 2) = substr(birth_r, 7, 2) and substr(birth_l, 7, 2) = substr(birth_r, 5, 2)"
    )
    day_off = "abs(date_diff('day', try_strptime(birth_l, '%Y%m%d'), try_strptime(birth_r, '%Y%m%d'))) <= 1"
    return cl.CustomComparison(
        [
            cll.NullLevel("birth"),
            cll.ExactMatchLevel("birth"),
            cll.CustomLevel(
                f"({day_off}) or (substr(birth_l, 1, 4) = substr(birth_r, 1, 4) and {swapped})",
                "A day off, or day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("birth", 1),
            cll.ElseLevel(),
        ],
        output_column_name="birth",
    )


def _settings(
    link_type: Literal["link_only", "dedupe_only"],
    *,
    with_sex: bool,
    with_citizenship: bool,
    with_partial_dates: bool,
) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons: list[Any] = [
        _name_comparison("given"),
        _name_comparison("family"),
        _birth_comparison(),
    ]
    if with_partial_dates:
        comparisons.append(cl.ExactMatch("birth_year"))
    if with_sex:
        comparisons.append(cl.ExactMatch("sex"))
    if with_citizenship:
        comparisons.append(cl.ExactMatch("citizenship").configure(term_frequency_adjustments=True))
    return SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("k_given", "k_family"),
            block_on("k_given", "k_year"),
            block_on("k_family", "k_year"),
            {"blocking_rule": "l.k_given = r.k_family and l.k_family = r.k_given"},  # names swapped
            block_on("k_bones"),
            block_on("k_birth"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _train(linker: Any, size: int) -> None:
    """Fellegi-Sunter parameters from the data itself (no labels). A population too small or too uniform
    to estimate a parameter keeps Splink's starting value for it: a handful of persons is still scored."""
    from splink import block_on
    from splink.internals.exceptions import SplinkException

    with contextlib.suppress(ValueError):  # more exact matches than the recall allows: a tiny population
        linker.training.estimate_probability_two_random_records_match(
            [block_on("k_given", "k_family", "k_year")], recall=0.6
        )
    linker.training.estimate_u_using_random_sampling(max_pairs=min(1e6, 50.0 * size) + 1e5)
    # Each session blocks on the compared columns themselves, not on their keyed digests: Splink leaves out
    # of a session's estimates the comparisons whose columns its blocking rule names, and a rule on digests
    # only would let the blocked comparison (every pair agreeing on it) take every pair for a match.
    for rule in (block_on("birth", "birth_year"), block_on("given", "family")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except (SplinkException, ValueError):  # no pair to learn from under this rule
            continue


def link(
    records: Sequence[LinkRecord],
    *,
    threshold: float = THRESHOLD,
    link_only: bool = False,
    progress: Progress | None = None,
    extra: Callable[[Any], Any] | None = None,
) -> LinkageResult:
    """Score the likely pairs among `records` (or, with `link_only`, between their two sources)."""
    import duckdb
    import splink.comparison_library  # noqa: F401  (imported before the logging is quietened)
    from splink import Linker
    from splink.backends.duckdb import DuckDBAPI

    started = time.perf_counter()
    report = progress or (lambda percent, stage: None)
    report(5, "prepare")
    table = frame(records)
    if extra is not None:
        table = extra(table)
    if len(table) < 2:
        return LinkageResult(seconds=time.perf_counter() - started)
    connection = duckdb.connect(":memory:")
    connection.execute("SET enable_external_access = false")  # nothing read from or spilled to disk
    settings = _settings(
        "link_only" if link_only else "dedupe_only",
        with_sex=bool(table["sex"].notna().any()),
        with_citizenship=bool(table["citizenship"].notna().any()),
        with_partial_dates=bool((table["birth"].isna() & table["birth_year"].notna()).any()),
    )
    if link_only:
        inputs = [table[table.source_dataset == name] for name in sorted(table.source_dataset.unique())]
    else:
        inputs = [table]
    api = DuckDBAPI(connection=connection)
    linker = Linker([api.register(part) for part in inputs], settings, log_level=logging.WARNING)
    report(15, "train")
    _train(linker, len(table))
    report(60, "predict")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    scored = predictions.as_pandas_dataframe()
    report(90, "collect")
    pairs = [
        ScoredPair(str(left), str(right), float(probability))
        for left, right, probability in zip(
            scored["unique_id_l"], scored["unique_id_r"], scored["match_probability"], strict=True
        )
    ]
    connection.close()
    report(100, "done")
    return LinkageResult(pairs=pairs, seconds=time.perf_counter() - started, compared=len(scored))
