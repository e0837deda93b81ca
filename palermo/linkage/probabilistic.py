"""Probabilistic record linkage (Fellegi-Sunter) with Splink on an in-memory DuckDB (docs/decisions/0042).

Pure: records in, scored pairs out; no Django model is read or written here, so the background run, the
bench and the tests call the same code. The records' names and birth dates are plaintext only in this
process's memory for the run (DuckDB in memory, no database file, no spill directory); the caller writes out
nothing but pair identifiers and scores.

Each record gives its names in Latin letters in two romanisations (`palermo.linkage.keys.spellings`), its
birth date as far as known (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), sex and citizenships. Candidate pairs
are *blocked on keyed digests*, keys like the tolerant search stores (sound keys of the names, birth year):
the blocking columns are HMACs, never names; each rule pairs name keys with a date key, or holds only blocks
of at most `BLOCK_CAP` records, so the candidate pairs grow about as the population (`BLOCKING_RULES`;
`LinkageResult.compared` counts them). Comparisons: each name by Splink's `NameComparison` levels at
the best over both romanisations of both sides, given and family names in a canonical order (names swapped),
the full birth date exact, a day off or day and month swapped, one digit wrong, the year of partial dates,
sex and citizenship exactly. The training sessions block on the compared columns themselves (see `_train`).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from palermo.core.blind_index import sound_key
from palermo.linkage.keys import BIRTH, MONTH, SKELETON, SOUND, YEAR, digest, skeleton, spellings, words

logger = logging.getLogger(__name__)
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
    compared: int = 0  # candidate pairs the blocking rules gave, each scored once
    compared_by_rule: dict[str, int] = field(default_factory=dict)  # the rule that first gave each pair


def _latin(text: str, which: int, spell: Callable[[str], tuple[str, ...]] = spellings) -> str:
    found = []
    for word in words(text):
        romanised = spell(word)
        if romanised:
            found.append(romanised[min(which, len(romanised) - 1)])
    return " ".join(found)


def _other(first: str, second: str) -> str | None:
    """The second romanisation when it differs from the first (else nothing to compare again)."""
    return second if second and second != first else None


def _first_sound(latin: str) -> str:
    """The keyed sound of a name's first word (`latin`: the name in its first romanisation)."""
    found = latin.split()
    return digest(SOUND, sound_key(found[0])) if found else ""


_INITIALS = {
    **dict.fromkeys(
        "aeiouyjh", "v"
    ),  # vowels and the glides romanisations write for them ("Iuliia", "Yuliya")
    **dict.fromkeys("bfpvw", "1"),
    **dict.fromkeys("cgkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def _initial(latin: str) -> str:
    """The sound class of a name's first letter: a misspelling seldom reaches it."""
    found = latin.split()
    if not found:
        return ""
    word = "h" + found[0][2:] if found[0].startswith("kh") else found[0]  # "Khadija", "Hadija"
    initial = _INITIALS.get(word[0], "")
    return digest(SOUND, f"^{initial}") if initial else ""


def _bones(latin: str) -> str:
    joined = latin.replace(" ", "")
    return digest(SKELETON, skeleton(joined)) if joined else ""


def _swapped(given: str, family: str) -> bool:
    """Whether the names (first romanisations) are out of the order of their consonant skeletons: records
    are compared in that order, so a record with its names swapped (a common error: which is the family
    name differs across cultures) compares name with name."""
    first, second = given.replace(" ", ""), family.replace(" ", "")
    return (skeleton(second), second) < (skeleton(first), first)


def frame(records: Iterable[LinkRecord]) -> Any:
    """The records as Splink's input: comparison columns, and keyed blocking columns (digests only). Built
    column by column: a million persons as a million dictionaries would hold twice the memory."""
    import pandas as pd

    # Each word's spellings once per run (names repeat), forgotten with the run like the records themselves.
    spell = functools.cache(spellings)
    columns: dict[str, list[str | None]] = {name: [] for name in _COLUMNS}
    for record in records:
        given, family = _latin(record.given, 0, spell), _latin(record.family, 0, spell)
        if _swapped(given, family):
            record = replace(record, given=record.family, family=record.given)
            given, family = family, given
        digits = record.birth.replace("-", "")
        values = (
            record.uid,
            record.source,
            given or None,
            family or None,
            _other(given, _latin(record.given, 1, spell)),
            _other(family, _latin(record.family, 1, spell)),
            digits if len(digits) == 8 else None,
            digits[:4] or None,
            record.sex or None,
            record.citizenship or None,
            _first_sound(given) or None,
            _first_sound(family) or None,
            _initial(given) or None,
            _initial(family) or None,
            _bones(f"{given} {family}") or None,
            digest(YEAR, digits[:4]) if digits else None,
            digest(MONTH, digits[4:]) if len(digits) == 8 else None,
            digest(BIRTH, digits) if len(digits) == 8 else None,
        )
        for name, value in zip(_COLUMNS, values, strict=True):
            columns[name].append(value)
    table = pd.DataFrame(columns, dtype=object)
    for capped, keys in _CAPPED.items():
        # a 64-bit hash of the key columns' values in order (not of their names: the crossed rules compare
        # one capped column with another); a record missing one of them gets none
        hashed = pd.util.hash_pandas_object(table[list(keys)], index=False)
        kept = table[list(keys)].notna().all(axis=1) & (hashed.map(hashed.value_counts()) <= BLOCK_CAP)
        table[capped] = pd.array(hashed.where(kept), dtype="UInt64")
    return table


BLOCK_CAP = 30  # the most records a capped block holds (see BLOCKING_RULES)
_CAPPED = {  # capped keys: their blocks only while small
    "c_names": ("k_given", "k_family"),
    "c_family": ("k_family", "i_given"),
    "c_given": ("k_given", "i_family"),
    "c_birth": ("k_birth",),
    "c_given_year": ("k_given", "i_family", "k_year"),
    "c_family_year": ("k_family", "i_given", "k_year"),
}


_COLUMNS = (
    "unique_id",
    "source_dataset",
    "given",
    "family",
    "given_alt",
    "family_alt",
    "birth",
    "birth_year",
    "sex",
    "citizenship",
    "k_given",
    "k_family",
    "i_given",
    "i_family",
    "k_bones",
    "k_year",
    "k_day",
    "k_birth",
)


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


def _rule(name: str, *equal: str) -> tuple[str, dict[str, str]]:
    """A blocking rule: each "a=b" is the left record's column a equal to the right's b ("a" alone: a=a)."""
    sides = [pair.split("=") if "=" in pair else (pair, pair) for pair in equal]
    return name, {"blocking_rule": " and ".join(f"l.{left} = r.{right}" for left, right in sides)}


# Candidate pairs. A rule on a name key alone, or on one name's sound with the birth year alone, gives blocks
# that grow with the population (a common name's bearers born in one year): its pairs grow as n squared. So
# each rule either pairs name keys with a date key (both names' sounds with the year, or with the month and
# day when the year is wrong; one name with the full date; the full name's consonant skeleton, for another
# romanisation, with the year; the full date with both initials), or is *capped*: it pairs the records of a
# block only while the block holds at most BLOCK_CAP records (`_CAPPED`: both names without a date, one name
# with the other's initial, the date alone, one name with the other's initial and the year). A capped rule
# gives at most BLOCK_CAP / 2 pairs a record, whatever the population; what it leaves out are the common
# names, where a name without a date is no evidence anyway. Names swapped: the canonical order (see
# `_swapped`) and, as a misspelling can reverse that order, the crossed rules.
BLOCKING_RULES: tuple[tuple[str, dict[str, str]], ...] = (
    _rule("names and year", "k_given", "k_family", "k_year"),
    _rule("names, month and day", "k_given", "k_family", "k_day"),
    _rule("names swapped and year", "k_given=k_family", "k_family=k_given", "k_year"),
    _rule("skeleton and year", "k_bones", "k_year"),
    _rule("given name and date", "k_given", "k_birth"),
    _rule("family name and date", "k_family", "k_birth"),
    _rule("given as family name and date", "k_given=k_family", "k_birth"),
    _rule("family as given name and date", "k_family=k_given", "k_birth"),
    _rule("date and initials", "k_birth", "i_given", "i_family"),
    _rule("names (uncommon)", "c_names"),
    _rule("family name and given initial (uncommon)", "c_family"),
    _rule("given name and family initial (uncommon)", "c_given"),
    _rule("date (uncommon)", "c_birth"),
    _rule("given name, family initial and year (uncommon)", "c_given_year"),
    _rule("family name, given initial and year (uncommon)", "c_family_year"),
    _rule("given as family name, initial and year (uncommon)", "c_given_year=c_family_year"),
    _rule("family as given name, initial and year (uncommon)", "c_family_year=c_given_year"),
)


def _settings(
    link_type: Literal["link_only", "dedupe_only"],
    *,
    with_sex: bool,
    with_citizenship: bool,
    with_partial_dates: bool,
) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator

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
        blocking_rules_to_generate_predictions=[rule for _, rule in BLOCKING_RULES],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


EM_SAMPLE = 20_000  # records on the left of a training session's pairs: its pairs grow as n, not n squared


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
    # only would let the blocked comparison (every pair agreeing on it) take every pair for a match. Above
    # EM_SAMPLE records, a session takes the pairs of a sample of the left records (by a hash of their
    # identifier, which no comparison reads): the blocks of a common name grow with the population.
    every = max(1, size // EM_SAMPLE)
    sample = f" and hash(l.unique_id) % {every} = 0" if every > 1 else ""
    for columns in (("birth", "birth_year"), ("given", "family")):
        rule = " and ".join(f"l.{column} = r.{column}" for column in columns) + sample
        try:
            linker.training.estimate_parameters_using_expectation_maximisation({"blocking_rule": rule})
        except (SplinkException, ValueError):  # no pair to learn from under this rule
            continue


def _untrained_levels(linker: Any) -> tuple[int, int]:
    """How many of the model's comparison levels (not counting the null ones) training left without an
    estimate, of how many."""
    levels = [
        level
        for comparison in linker.misc.save_model_to_json()["comparisons"]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]
    untrained = [
        level for level in levels if level.get("m_probability") is None or level.get("u_probability") is None
    ]
    return len(untrained), len(levels)


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
    connection.execute("SET preserve_insertion_order = false")  # less memory held for the joins
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
    # Splink warns once for each comparison level the data holds no example of, and again before scoring:
    # expected of a small or uniform population (`_train`), so its own messages stay below the operator's
    # log and one line says how many levels kept their starting values.
    linker = Linker([api.register(part) for part in inputs], settings, log_level=logging.ERROR)
    size = len(table)
    report(15, "train")
    _train(linker, size)
    untrained, levels = _untrained_levels(linker)
    if untrained:
        logger.info(
            "duplicate detection: %d of %d comparison levels had no example in the data to learn from and "
            "kept their starting values",
            untrained,
            levels,
        )
    report(50, "block")
    blocked = linker.inference.compute_blocked_pairs_for_predict()  # kept: predict() scores these
    by_rule = dict(blocked.as_duckdbpyrelation().aggregate("match_key, count(*)", "match_key").fetchall())
    compared_by_rule = {
        name: int(by_rule.get(str(index), 0)) for index, (name, _) in enumerate(BLOCKING_RULES)
    }
    report(60, "predict")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    blocked.drop_table_from_database_and_remove_from_cache()
    report(90, "collect")
    # only the three columns leave DuckDB (no frame of every comparison column)
    found = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_probability").fetchall()
    pairs = [ScoredPair(str(left), str(right), float(probability)) for left, right, probability in found]
    connection.close()
    report(100, "done")
    return LinkageResult(
        pairs=pairs,
        seconds=time.perf_counter() - started,
        compared=sum(compared_by_rule.values()),
        compared_by_rule=compared_by_rule,
    )
