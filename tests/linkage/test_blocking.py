"""The linkage's blocking: capped blocks, the comparisons counted by rule, and the wide synthetic name pools
of the scaling bench."""

from __future__ import annotations

from collections import Counter

from palermo.demo.near_duplicates import POOLS, SCRIPTS, population, wide_pools
from palermo.linkage.probabilistic import BLOCK_CAP, BLOCKING_RULES, LinkRecord, frame, link
from tests.linkage.synthetic import Recorded


def _records(count: int, given: str, family: str, born: str = "") -> list[LinkRecord]:
    return [
        LinkRecord(uid=f"{given}{number}", given=given, family=family, birth=born) for number in range(count)
    ]


def test_a_capped_block_is_kept_while_small() -> None:
    table = frame(_records(3, "Maria", "Rossi") + _records(BLOCK_CAP + 1, "Anna", "Novak"))
    few, many = table[table.given == "maria"], table[table.given == "anna"]
    assert few.c_names.notna().all() and few.c_names.nunique() == 1
    assert many.c_names.isna().all()  # a common name without a date: no block
    assert table.c_birth.isna().all()  # no date, no date block
    assert table.k_given.str.fullmatch("[0-9a-f]{32}").all()  # keyed digests, never names


def test_comparisons_counted_by_rule() -> None:
    records = []
    for number, (first, second) in enumerate(population(30, seed=3)):
        for side, person in (("a", first), ("b", second)):
            born = person.born.isoformat() if person.born and person.precision == "exact" else ""
            records.append(
                LinkRecord(uid=f"{number}{side}", given=person.given, family=person.family, birth=born)
            )
    result = link(records, threshold=0.5)
    assert set(result.compared_by_rule) == {name for name, _ in BLOCKING_RULES}
    assert result.compared == sum(result.compared_by_rule.values()) >= len(result.pairs) > 0
    found = {frozenset((pair.left[:-1], pair.right[:-1])) for pair in result.pairs}
    assert sum(len(uids) == 1 for uids in found) >= 20  # most persons' two records found as a pair


def test_wide_pools_are_wider_and_zipf_like() -> None:
    pools = wide_pools()
    for script in SCRIPTS:
        assert len(pools[script][0]) > len(POOLS[script][0]) and len(pools[script][1]) > len(POOLS[script][1])
        assert pools[script][0][: len(POOLS[script][0])] == POOLS[script][0]  # the common names first
    made: list[tuple[Recorded, Recorded]] = population(3000, seed=5, scripts=("latin",), wide=True)
    given = Counter(first.given for first, _ in made)
    assert given.most_common(1)[0][1] < 0.05 * len(made)  # the commonest name a few per cent
    assert len(given) > 300  # and many rare ones
    assert made == population(3000, seed=5, scripts=("latin",), wide=True)  # reproducible
